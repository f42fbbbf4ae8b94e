package dev.deckhand.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.deploy.EcsDeployment;
import dev.deckhand.deploy.EcsDeployments;
import dev.deckhand.deploy.ServiceSnapshot;
import dev.deckhand.deploy.TaskDefinitionRevision;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.errors.ConfigurationUnavailableException;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.testing.InMemoryDeploymentHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RevisionCleanupTest {

    private static final String FAMILY = "arn:aws:ecs:eu-west-1:123456789012:task-definition/api:";
    private static final String CONFIG = """
            version: 1
            services:
              api:
                repository: acme/api
                environments:
                  dev:
                    cluster: dev
                    service: api
                    deployOnPush: ["main-*"]
                    keepRevisions: 2
                  prod:
                    cluster: prod
                    service: api
                    promoteFrom: dev
            """;

    private final InMemoryDeploymentHistory history = new InMemoryDeploymentHistory();
    private final List<String> deregistered = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    /** What the dev service runs: a rollout from revision 7 to 8 still draining 7. */
    private final List<String> running = List.of(FAMILY + 8, FAMILY + 7);

    private final TaskDefinitionFamilies families = new TaskDefinitionFamilies() {
        @Override
        public List<String> registeredByDeckhand(String family) {
            assertThat(family).isEqualTo("api");
            return IntStream.rangeClosed(1, 8).mapToObj(n -> FAMILY + n).toList();
        }

        @Override
        public void deregister(String taskDefinitionArn) {
            if (refused.contains(taskDefinitionArn)) {
                throw new IllegalStateException("ThrottlingException: Rate exceeded");
            }
            deregistered.add(taskDefinitionArn);
        }
    };

    @Test
    void keepsTheNewestNTheRunningAndEveryEnvironmentsVerifiedRevision() {
        history.markVerified("api", "prod", verified(FAMILY + 3));

        RevisionCleanup.Report report = cleanup(() -> ConfigurationLoader.parse(CONFIG, "deckhand.yml"))
                .afterSuccess("api", "dev", "dev", "api", FAMILY + 8);

        // keepRevisions 2 keeps 8 and 7 (7 also runs); 3 is prod's rollback target.
        assertThat(deregistered).containsExactly(FAMILY + 1, FAMILY + 2, FAMILY + 4, FAMILY + 5, FAMILY + 6);
        assertThat(report.deregistered()).isEqualTo(deregistered);
        assertThat(report.note()).isEqualTo("kept the newest 2 revisions of api that Deckhand registered, deregistered 5");
    }

    @Test
    void aRefusedDeregistrationIsNotedAndTheOthersStillHappen() {
        refused.add(FAMILY + 2);

        RevisionCleanup.Report report = cleanup(() -> ConfigurationLoader.parse(CONFIG, "deckhand.yml"))
                .afterSuccess("api", "dev", "dev", "api", FAMILY + 8);

        assertThat(deregistered).containsExactly(FAMILY + 1, FAMILY + 3, FAMILY + 4, FAMILY + 5, FAMILY + 6);
        assertThat(report.note()).endsWith("deregistered 5; could not deregister 1 (" + FAMILY + 2
                + "), the deployment is unaffected");
    }

    @Test
    void aCrossAccountEnvironmentIsSkippedWithoutAnyEcsCall() {
        String crossAccount = CONFIG.replace("    promoteFrom: dev\n", "    promoteFrom: dev\n"
                + "        account: \"444455556666\"\n"
                + "        roleArn: arn:aws:iam::444455556666:role/deckhand-deploy\n");

        RevisionCleanup.Report report = new RevisionCleanup(() -> ConfigurationLoader.parse(crossAccount, "deckhand.yml"),
                history, new NoEcs(), families).afterSuccess("api", "prod", "prod", "api", FAMILY + 8);

        assertThat(deregistered).isEmpty();
        assertThat(report.note()).isEqualTo("cleanup skipped: api/prod lives in account 444455556666, where Deckhand "
                + "does not deregister revisions (the deployment is unaffected)");
    }

    @Test
    void anUnreadableConfigurationSkipsTheCleanupWithoutFailing() {
        RevisionCleanup.Report report = cleanup(() -> {
            throw new ConfigurationUnavailableException("parameter /deckhand/config not found");
        }).afterSuccess("api", "dev", "dev", "api", FAMILY + 8);

        assertThat(deregistered).isEmpty();
        assertThat(report.note()).isEqualTo("cleanup skipped (the deployment is unaffected): "
                + "parameter /deckhand/config not found");
    }

    private RevisionCleanup cleanup(ConfigurationSource configuration) {
        return new RevisionCleanup(configuration, history, new RunningRevisions(), families);
    }

    private static VerifiedRevision verified(String taskDefinition) {
        return new VerifiedRevision("d-1", taskDefinition, "acme/api@sha256:" + "a".repeat(64),
                Instant.parse("2026-12-01T00:00:00Z"), "prod/api");
    }

    /** Only describeService is part of the cleanup's contract with ECS. */
    private class RunningRevisions implements EcsDeployments {
        @Override
        public ServiceSnapshot describeService(String cluster, String service) {
            List<EcsDeployment> deployments = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                deployments.add(new EcsDeployment("ecs-svc/" + i, running.get(i), i == 0 ? "PRIMARY" : "ACTIVE",
                        "IN_PROGRESS", null, 1, 1, 0));
            }
            return new ServiceSnapshot("arn:service", "ACTIVE", deployments, List.of());
        }

        @Override
        public TaskDefinitionRevision registerRevision(String base, String container, String image, DeploymentId id) {
            throw new AssertionError("the cleanup never registers");
        }

        @Override
        public java.util.Optional<dev.deckhand.deploy.ServiceDeploymentState> serviceDeployment(String serviceDeploymentArn) {
            throw new AssertionError("the cleanup never reads a service deployment");
        }

        @Override
        public String updateService(String cluster, String service, String taskDefinitionArn,
                dev.deckhand.deploy.StrategyRequest strategy) {
            throw new AssertionError("the cleanup never updates a service");
        }

        @Override
        public List<String> stoppedTasks(String cluster, String service, String ecsDeploymentId, int limit) {
            throw new AssertionError("not used");
        }

        @Override
        public TaskDefinitionRevision usableRevision(String taskDefinitionArn, DeploymentId deploymentId) {
            throw new AssertionError("not used");
        }

        @Override
        public java.util.Optional<String> newestServiceDeployment(String cluster, String service, Instant notBefore) {
            throw new AssertionError("not used");
        }
    }

    /** ECS of an account the cleanup must not reach. */
    private final class NoEcs extends RunningRevisions {
        @Override
        public ServiceSnapshot describeService(String cluster, String service) {
            throw new AssertionError("the cleanup called ECS for a cross-account environment");
        }
    }
}
