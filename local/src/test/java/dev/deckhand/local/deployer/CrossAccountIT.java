package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.aws.AssumedRoles;
import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * A cross-account environment in the local cloud: prod lives in a second account, reached by the
 * deploy and migration functions through its deployment role (STS AssumeRole, checked against the
 * role's trust policy), with the local IAM enforcing the role's policy on the assumed credentials.
 * ECR stays in Deckhand's account; the image is deployed by digest from its registry.
 */
class CrossAccountIT {

    private static final String TARGET = "444455556666";
    private static final String ROLE = "arn:aws:iam::444455556666:role/deckhand-deploy";
    private static final String CONFIGURATION = """
            version: 1
            services:
              api:
                repository: acme/api
                environments:
                  dev:
                    cluster: acme-dev
                    service: api-dev
                    deployOnPush: ["feature-*"]
                  prod:
                    cluster: acme-prod
                    service: api-prod
                    deployOnPush: ["release-*"]
                    account: "444455556666"
                    roleArn: arn:aws:iam::444455556666:role/deckhand-deploy
                    migration:
                      command: ["bin/migrate"]
            """;

    private static LocalDeckhand deckhand;

    @BeforeAll
    static void start() {
        deckhand = LocalDeckhand.builder(ConfigurationLoader.parse(CONFIGURATION, "cross-account.yml")).start();
    }

    @AfterAll
    static void stop() {
        if (deckhand != null) {
            deckhand.close();
        }
    }

    @Test
    void aReleaseIsMigratedAndDeployedInTheSecondAccountAndNothingOfProdExistsInTheFirst() throws Exception {
        EcrImage image = deckhand.push("acme/api", List.of("release-1"), ImageBehaviour.healthy());

        ExecutionDescription execution = new DeployerScenarios(deckhand).finishedExecutionOf(image);

        assertThat(execution.status()).as(execution.error() + ": " + execution.cause())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        Service prod = deckhand.adminSdkClientsIn(TARGET).ecs()
                .describeServices(request -> request.cluster("acme-prod").services("api-prod")).services().get(0);
        assertThat(prod.serviceArn()).startsWith("arn:aws:ecs:" + deckhand.cloud().region() + ":" + TARGET + ":");
        String revision = prod.taskDefinition();
        assertThat(revision).contains(":" + TARGET + ":");
        // Pinned by digest in the registry of Deckhand's own (tools) account.
        assertThat(deckhand.adminSdkClientsIn(TARGET).ecs().describeTaskDefinition(request -> request
                .taskDefinition(revision)).taskDefinition().containerDefinitions().get(0).image())
                .isEqualTo(image.uri()).startsWith(deckhand.cloud().account() + ".dkr.ecr.");
        // The first account has neither prod's cluster nor its service.
        // (API_DescribeServices: ClusterNotFoundException, "The specified cluster wasn't found").
        assertThatThrownBy(() -> deckhand.sdk().ecs().describeServices(request -> request.cluster("acme-prod")
                .services("api-prod"))).isInstanceOf(software.amazon.awssdk.services.ecs.model.ClusterNotFoundException.class);
        assertThat(deckhand.ecsOf(TARGET)).isNotSameAs(deckhand.ecs());
        // The record step, which acts in Deckhand's own account, leaves the other account's revisions alone.
        assertThat(deckhand.history().recent("api", "prod", 1).get(0).details().path("cleanup").asText())
                .startsWith("cleanup skipped: api/prod lives in account " + TARGET);
        // Every call of the deployment, at home and through the role, was allowed (the trust test's refusals aside).
        assertThat(deckhand.iam().orElseThrow().denials()).allMatch(denial -> denial.functionName().equals(Functions.NOTIFY)
                && denial.action().equals("sts:AssumeRole"));
    }

    @Test
    void theDeploymentRoleRefusesACallerItsTrustPolicyDoesNotName() {
        // STS API Reference, AssumeRole: a caller the role's trust policy does not name gets HTTP 403 AccessDenied.
        // The notify function's own policy may not even ask (no sts:AssumeRole), so IAM refuses it first.
        assertThatThrownBy(() -> assume(LocalDeckhand.accessKeyOf(DeployerFunction.NOTIFY)))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
        // An administrator of the first account: allowed by IAM, refused by the trust policy.
        assertThatThrownBy(() -> assume(LocalDeckhand.ACCESS_KEY_ID))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .contains("is not authorized to perform: sts:AssumeRole on resource: " + ROLE);
                });
        // The deploy function's role is trusted.
        assertThat(assume(LocalDeckhand.accessKeyOf(DeployerFunction.DEPLOY)).accessKeyId()).startsWith("ASIA");
    }

    @Test
    void assumedCredentialsMayDoOnlyWhatTheDeploymentRoleAllows() {
        AssumedRoles.TemporaryCredentials credentials = assume(LocalDeckhand.accessKeyOf(DeployerFunction.DEPLOY));
        var asRole = new SdkClients(deckhand.cloud().endpoint(), deckhand.cloud().region(),
                StaticCredentialsProvider.create(software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
                        credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken())));

        assertThat(asRole.ecs().describeServices(request -> request.cluster("acme-prod").services("api-prod"))
                .services()).hasSize(1);
        // dev is in the first account: not the role's to touch (and not in this account's ECS either).
        assertThatThrownBy(() -> asRole.ecs().updateService(request -> request.cluster("acme-prod")
                .service("api-other").taskDefinition("api-prod")))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).contains("assumed-role/deckhand-deploy/")
                                .contains("ecs:UpdateService"));
    }

    private static AssumedRoles.TemporaryCredentials assume(String accessKeyId) {
        return dev.deckhand.aws.AwsClients.forEndpoint(deckhand.cloud().endpoint(),
                software.amazon.awssdk.regions.Region.of(deckhand.cloud().region()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "local-secret")))
                .sts().assumeRole(ROLE, "deckhand-test-session", 3600);
    }
}
