package dev.deckhand.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.resolve.DeploymentRequest.ImagePushed;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The precedence rules of {@link EnvironmentResolver}, as a table. */
class EnvironmentResolverTest {

    /** Overlapping patterns on purpose: the order of the environments decides. */
    private static final EnvironmentResolver RESOLVER = new EnvironmentResolver(ConfigurationLoader.parse("""
            version: 1
            services:
              api:
                repository: acme/api
                environments:
                  hotfix:
                    cluster: prod
                    service: api-hotfix
                    deployOnPush: ["release-*-hotfix"]
                  staging:
                    cluster: staging
                    service: api-staging
                    deployOnPush: ["release-*", "rc-?"]
                  dev:
                    cluster: dev
                    service: api-dev
                    deployOnPush: ["*"]
                  sandbox:
                    repository: acme/api-sandbox
                    cluster: dev
                    service: api-sandbox
                    deployOnPush: ["*"]
            """, "overlapping.yml"));

    private static final ImageDigest DIGEST = new ImageDigest("sha256:" + "ab".repeat(32));

    @ParameterizedTest(name = "{0}:{1} → {2}")
    @CsvSource({
            "acme/api,         release-2-hotfix, hotfix",
            "acme/api,         release-2,        staging",
            "acme/api,         rc-1,             staging",
            "acme/api,         rc-10,            dev",
            "acme/api,         feature-x,        dev",
            "acme/api-sandbox, release-2,        sandbox",
    })
    void theFirstEnvironmentInFileOrderWhosePatternMatchesWins(String repository, String tag, String environment) {
        Resolution resolution = RESOLVER.resolve(new ImagePushed("123456789012", "eu-west-1", repository, DIGEST, tag));

        assertThat(resolution).isInstanceOfSatisfying(Resolution.Deploy.class, deploy -> {
            assertThat(deploy.target().environment()).isEqualTo(environment);
            assertThat(deploy.target().image().repository()).isEqualTo(repository);
        });
    }

    @ParameterizedTest(name = "region {0} → registry {1}")
    @CsvSource({
            "eu-west-1,      123456789012.dkr.ecr.eu-west-1.amazonaws.com",
            "cn-north-1,     123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
            "us-gov-west-1,  123456789012.dkr.ecr.us-gov-west-1.amazonaws.com",
    })
    void theImageIsPinnedByDigestInTheRegistryOfThePush(String region, String registry) {
        Resolution resolution = RESOLVER.resolve(new ImagePushed("123456789012", region, "acme/api", DIGEST, "x"));

        assertThat(((Resolution.Deploy) resolution).target().image().uri())
                .isEqualTo(registry + "/acme/api@sha256:" + "ab".repeat(32));
    }

    @org.junit.jupiter.api.Test
    void aCrossAccountTargetCarriesItsDeploymentRoleAndTheImageOfTheToolsAccountsRegistryByDigest() {
        EnvironmentResolver resolver = new EnvironmentResolver(ConfigurationLoader.parse("""
                version: 1
                services:
                  api:
                    repository: acme/api
                    environments:
                      dev:
                        cluster: dev
                        service: api-dev
                        deployOnPush: ["*"]
                        account: "444455556666"
                        roleArn: arn:aws:iam::444455556666:role/deckhand-deploy
                """, "cross-account.yml"));

        Resolution resolution = resolver.resolve(new ImagePushed("123456789012", "eu-west-1", "acme/api", DIGEST, "x"));

        assertThat(((Resolution.Deploy) resolution).target().roleArn())
                .isEqualTo("arn:aws:iam::444455556666:role/deckhand-deploy");
        assertThat(((Resolution.Deploy) resolution).target().image().uri())
                .isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/api@sha256:" + "ab".repeat(32));
        assertThat(((Resolution.Deploy) RESOLVER.resolve(new ImagePushed("123456789012", "eu-west-1", "acme/api",
                DIGEST, "x"))).target().roleArn()).isNull();
    }
}
