package dev.deckhand.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.readiness.RollbackReadiness;
import dev.deckhand.testing.Fixtures;
import dev.deckhand.testing.InMemoryDeploymentHistory;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The verify checks over a fake {@link Preconditions}: which account each check reads, and the
 * log-group rule. API_LogConfiguration, options: with {@code awslogs-create-group} true the driver
 * creates a missing group (its default, false, needs the group to exist).
 */
class PreflightServiceTest {

    private static final String HOME_ONLY = """
            version: 1
            services:
              api:
                repository: acme/api
                environments:
                  dev:
                    cluster: acme-dev
                    service: api-dev
                    deployOnPush: ["main-*"]
            """;

    @Test
    void aMissingLogGroupPassesOnlyWhenTheDriverCreatesIt() {
        Fake aws = new Fake("acme-dev", List.of(new Preconditions.AwslogsGroup("web", "/ecs/api-dev", null, true)));

        assertThat(line(verify(HOME_ONLY, aws), "log group")).isEqualTo(Check.pass("api/dev", "log group",
                "log group /ecs/api-dev of container web does not exist yet; awslogs-create-group creates it"));

        aws = new Fake("acme-dev", List.of(new Preconditions.AwslogsGroup("web", "/ecs/api-dev", "eu-west-1", false)));
        assertThat(line(verify(HOME_ONLY, aws), "log group").passed()).isFalse();

        aws.logGroups.add("eu-west-1 /ecs/api-dev");
        assertThat(line(verify(HOME_ONLY, aws), "log group").passed()).isTrue();
    }

    @Test
    void aCrossAccountEnvironmentsEcsIsReadThroughItsRoleAndItsRepositoryAtHome() {
        Fake home = new Fake("none", List.of());
        home.policy = Optional.of("{\"Statement\":[" + CrossAccountPull.statement("444455556666") + "]}");
        home.target = new Fake("acme-prod", List.of());

        List<Check> checks = verify(Fixtures.CROSS_ACCOUNT, home);

        assertThat(checks).allMatch(Check::passed);
        assertThat(checks).extracting(Check::name).containsExactly("deployment role", "cluster", "service", "container",
                "roles", "repository", "repository policy", "health URL", "rollback");
        assertThat(home.assumed).containsExactly("arn:aws:iam::444455556666:role/deckhand-deploy");
    }

    @Test
    void aRefusedRoleSkipsTheEcsChecksAndStillChecksThePull() {
        Fake home = new Fake("acme-prod", List.of());

        List<Check> checks = verify(Fixtures.CROSS_ACCOUNT, home);

        assertThat(checks).extracting(Check::name).containsExactly("deployment role", "repository",
                "repository policy", "health URL", "rollback");
        assertThat(line(checks, "deployment role").detail()).isEqualTo("cannot assume "
                + "arn:aws:iam::444455556666:role/deckhand-deploy: AccessDenied: not trusted");
        assertThat(line(checks, "repository policy").detail()).isEqualTo("ECR repository acme/api has no repository "
                + "policy: account 444455556666 cannot pull its images");
    }

    @Test
    void aReadTheRoleMayNotMakeIsALineWithItsFixAndTheOtherChecksStillRun() {
        Fake home = new Fake("none", List.of());
        home.target = new Fake("acme-prod", List.of());
        home.target.refusedLogs = "logs:DescribeLogGroups refused: AccessDeniedException: not allowed";
        home.target.groups.add(new Preconditions.AwslogsGroup("web", "/ecs/api-prod", null, false));

        List<Check> checks = verify(Fixtures.CROSS_ACCOUNT, home);

        assertThat(checks).extracting(Check::name).containsExactly("deployment role", "cluster", "service", "container",
                "roles", "read access", "repository", "repository policy", "health URL", "rollback");
        assertThat(line(checks, "read access")).isEqualTo(Check.fail("api/prod", "read access",
                "logs:DescribeLogGroups refused: AccessDeniedException: not allowed",
                "let the deployment role arn:aws:iam::444455556666:role/deckhand-deploy call it: verify only reads"));
    }

    private static List<Check> verify(String yaml, Preconditions aws) {
        return new PreflightService(ConfigurationSource.of(ConfigurationLoader.parse(yaml, "deckhand.yml")), aws,
                new RollbackReadiness(new InMemoryDeploymentHistory(), image -> Optional.empty())).verify(null, null);
    }

    private static Check line(List<Check> checks, String name) {
        return checks.stream().filter(check -> check.name().equals(name)).findFirst().orElseThrow();
    }

    /** One account: an ACTIVE cluster named {@code cluster} whose service runs one container, {@code web}. */
    private static final class Fake implements Preconditions {
        final String cluster;
        final List<AwslogsGroup> groups;
        String refusedLogs;
        final Set<String> logGroups = new HashSet<>();
        final List<String> assumed = new java.util.ArrayList<>();
        Optional<String> policy = Optional.empty();
        Fake target;

        Fake(String cluster, List<AwslogsGroup> groups) {
            this.cluster = cluster;
            this.groups = new java.util.ArrayList<>(groups);
        }

        @Override
        public Optional<String> clusterStatus(String name) {
            return name.equals(cluster) ? Optional.of("ACTIVE") : Optional.empty();
        }

        @Override
        public Optional<LiveService> service(String clusterName, String service) {
            return Optional.of(new LiveService("ACTIVE", "arn:aws:ecs:us-east-1:1:task-definition/" + service + ":1"));
        }

        @Override
        public LiveTaskDefinition taskDefinition(String taskDefinitionArn) {
            return new LiveTaskDefinition("ACTIVE", List.of("web"), List.of(), List.of(), groups);
        }

        @Override
        public boolean logGroupExists(String group, String region) {
            if (refusedLogs != null) {
                throw new ReadRefused(refusedLogs);
            }
            return logGroups.contains(region + " " + group);
        }

        @Override
        public boolean repositoryExists(String repository) {
            return true;
        }

        @Override
        public Optional<String> repositoryPolicy(String repository) {
            return policy;
        }

        @Override
        public Preconditions asRole(String roleArn) {
            assumed.add(roleArn);
            if (target == null) {
                throw new RoleNotAssumable("AccessDenied: not trusted");
            }
            return target;
        }

        @Override
        public Optional<String> secretProblem(String secretId) {
            return Optional.empty();
        }
    }
}
