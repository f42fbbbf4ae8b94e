package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecs.HookAnswerRecord;
import dev.deckhand.local.ecs.ListenerAnswer;
import dev.deckhand.statemachine.ExecutionDescription;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deckhand driving ECS's native strategies on the local cloud, end to end: the real definition,
 * handlers and hook function, the local ECS shifting traffic and invoking the hook through the
 * local Lambda as the stack's invoke role. What ECS does is per "Lifecycle hooks for Amazon ECS
 * service deployments" (deployment-lifecycle-hooks, lambda-lifecycle-hooks: FAILED rolls back,
 * IN_PROGRESS with callBackDelay is asked again) and "View service history using Amazon ECS
 * service deployments" (service-deployment: SUCCESSFUL, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED).
 */
class NativeStrategiesIT {

    private static final String ELB = "arn:aws:elasticloadbalancing:us-east-1:000000000000:";

    private static String strategy(String name, String type, String extra) {
        return """
                      %s:
                        cluster: native
                        service: api-%s
                        deployOnPush: ["%s-*"]
                        healthCheck: {url: "http://api-%s.native.internal/health", consecutiveSuccesses: 2, maxAttempts: 3}
                        strategy:
                          type: %s
                %s
                          loadBalancer:
                            targetGroupArn: %stargetgroup/api-%s-blue/1111111111111111
                            alternateTargetGroupArn: %stargetgroup/api-%s-green/2222222222222222
                            productionListenerRule: %slistener-rule/app/api/3333333333333333/4444444444444444/5555555555555555
                            testListenerRule: %slistener-rule/app/api/3333333333333333/6666666666666666/7777777777777777
                            roleArn: arn:aws:iam::000000000000:role/ecs-infrastructure-api
                            containerPort: 8080
                            testUrl: http://test.api-%s.native.internal:8443/health
                """.formatted(name, name, name, name, type, extra, ELB, name, ELB, name, ELB, ELB, name);
    }

    private static final String CONFIGURATION = """
            version: 1
            services:
              api:
                repository: acme/api
                container: web
                environments:
            """
            + strategy("canary", "canary", "          canary: {percent: 10, bakeMinutes: 2}")
            + strategy("linear", "linear", "          linear: {stepPercent: 50, stepBakeMinutes: 1}")
            + strategy("bluegreen", "blue-green", "          bakeMinutes: 1")
            + strategy("fragile", "canary", "          canary: {percent: 50, bakeMinutes: 1}")
            + strategy("brittle", "blue-green", "          bakeMinutes: 1")
            + strategy("regressing", "canary", "          canary: {percent: 10, bakeMinutes: 2}")
            + strategy("stepping", "canary", "          canary: {percent: 50, bakeMinutes: 30}\n          alarms: [api-stepping-5xx]")
            + strategy("alarmed", "blue-green", "          bakeMinutes: 5\n          alarms: [api-alarmed-5xx]")
            + """
                  rolling:
                    cluster: native
                    service: api-rolling
                    deployOnPush: ["rolling-*"]
                    healthCheck: {url: "http://api-rolling.native.internal/health", consecutiveSuccesses: 2, maxAttempts: 3}
                    strategy: {type: rolling, circuitBreaker: true}
            """
            + strategy("migrating", "canary", "          canary: {percent: 10, bakeMinutes: 1}")
                    .replace("        strategy:", "        migration: {command: [\"bin/migrate\"]}\n        strategy:");

    private static LocalDeckhand deckhand;
    private static DeployerScenarios scenarios;

    private static final List<String> ENVIRONMENTS = List.of("canary", "linear", "bluegreen", "fragile", "brittle",
            "migrating", "alarmed", "rolling", "stepping", "regressing");

    /**
     * A first healthy deployment to each environment: it moves the service from its rolling update
     * to the environment's strategy, so the deployments under test run with it from the start.
     */
    @BeforeAll
    static void start() throws Exception {
        deckhand = LocalDeckhand.builder(ConfigurationLoader.parse(CONFIGURATION, "native-strategies.yml")).start();
        scenarios = new DeployerScenarios(deckhand);
        for (String environment : ENVIRONMENTS) {
            EcrImage baseline = deckhand.push("acme/api", List.of(environment + "-v1"), ImageBehaviour.healthy());
            ExecutionDescription execution = scenarios.finishedExecutionOf(baseline);
            assertThat(execution.status()).as(environment + " baseline: " + execution.error() + " " + execution.cause())
                    .isEqualTo(dev.deckhand.statemachine.ExecutionStatus.SUCCEEDED);
        }
    }

    @AfterAll
    static void stop() {
        if (deckhand != null) {
            deckhand.close();
        }
    }

    private JsonNode outcomeOf(ExecutionDescription execution) {
        return DeployerScenarios.json(execution.output() != null ? execution.output() : "{}");
    }

    private AttemptRecord recordOf(EcrImage image, String environment) {
        String id = dev.deckhand.deployment.DeploymentId.of("api", environment,
                new dev.deckhand.deployment.ImageDigest(image.digest())).value();
        return deckhand.history().attempt(id, 1).orElseThrow();
    }

    /** The image digests that {@code requests} production requests were answered by. */
    private static List<String> productionDigests(String environment, int requests) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.URI url = deckhand.ecs().serviceUrl("native", "api-" + environment).resolve("/health");
        List<String> digests = new java.util.ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String body = client.send(java.net.http.HttpRequest.newBuilder(url).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            digests.add(DeployerScenarios.json(body).path("imageDigest").asText());
        }
        return digests;
    }

    private List<ListenerAnswer> answersFrom(String environment, EcrImage image, String listener) {
        return deckhand.ecs().listenerAnswers("native", "api-" + environment).stream()
                .filter(answer -> answer.listener().equals(listener) && image.digest().equals(answer.imageDigest()))
                .toList();
    }

    @Test
    void eachStrategyDeploysAHealthyImageJudgedByDeckhandsHookAndEcsServiceDeployment() throws Exception {
        for (String environment : List.of("canary", "linear", "bluegreen")) {
            EcrImage image = deckhand.push("acme/api", List.of(environment + "-v2"), ImageBehaviour.healthy());

            ExecutionDescription execution = scenarios.finishedExecutionOf(image);

            assertThat(recordOf(image, environment).outcome()).as(environment + ": " + execution.error() + " "
                    + execution.cause()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(scenarios.servingImage("native", "api-" + environment, "web")).isEqualTo(image.uri());
            assertThat(scenarios.service("native", "api-" + environment).deploymentConfiguration().strategyAsString())
                    .isEqualTo(environment.equals("bluegreen") ? "BLUE_GREEN" : environment.toUpperCase());
            // The hook probed the test listener (the new revision alone) before production traffic moved.
            assertThat(answersFrom(environment, image, "test")).as(environment).isNotEmpty();
        }
    }

    @Test
    void aHookFailedAtTestTrafficIsRolledBackByEcsBeforeAnyProductionRequestReachesTheNewRevision() throws Exception {
        EcrImage image = deckhand.push("acme/api", List.of("fragile-v2"), ImageBehaviour.unhealthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        AttemptRecord record = recordOf(image, "fragile");
        assertThat(record.outcome()).as(execution.error() + " " + execution.cause()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(record.details().path("rollback").path("by").asText()).isEqualTo("ECS");
        assertThat(record.details().path("failure").path("error").asText())
                .isEqualTo("dev.deckhand.errors.RolledBackByEcsException");
        assertThat(record.details().path("failure").path("cause").asText()).contains("ROLLBACK_SUCCESSFUL")
                .contains("the hook answered FAILED at POST_TEST_TRAFFIC_SHIFT (0.0 % production, 100.0 % test): ");
        assertThat(answersFrom("fragile", image, "test")).as("the hook probed the new revision").isNotEmpty();
        assertThat(answersFrom("fragile", image, "production")).as("no production answer from the new revision")
                .isEmpty();
        assertThat(scenarios.servingImage("native", "api-fragile", "web")).isNotEqualTo(image.uri());
        assertThat(scenarios.published()).anySatisfy(message -> {
            assertThat(message.path("outcome").asText()).isEqualTo("ROLLED_BACK");
            assertThat(message.path("summary").asText()).startsWith("ECS rolled back api/fragile after fragile-v2 failed")
                    .contains("the hook answered FAILED at POST_TEST_TRAFFIC_SHIFT").contains("answered status 503");
        });
        // No rollback of Deckhand's own: ECS already put the previous revision back.
        assertThat(deckhand.engine().getExecutionHistory(execution.executionArn()))
                .noneMatch(event -> "Roll back to the last verified revision".equals(event.stateName()));
    }

    @Test
    void aRollbackEcsCannotFinishIsReportedRollbackFailed() throws Exception {
        deckhand.ecs().failNextRollback("native", "api-brittle", "the production listener rule could not be restored");
        EcrImage image = deckhand.push("acme/api", List.of("brittle-v2"), ImageBehaviour.unhealthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        AttemptRecord record = recordOf(image, "brittle");
        assertThat(record.outcome()).as(execution.error() + " " + execution.cause()).isEqualTo(Outcome.ROLLBACK_FAILED);
        assertThat(record.details().path("rollbackFailure").path("error").asText())
                .isEqualTo("dev.deckhand.errors.EcsRollbackFailedException");
        assertThat(record.details().path("rollbackFailure").path("cause").asText())
                .contains("ROLLBACK_FAILED", "the production listener rule could not be restored");
    }

    /**
     * API_DeploymentAlarms: with {@code rollback}, an alarm in ALARM during the deployment (bake time
     * included) makes ECS roll it back; Deckhand reports the rollback ECS made.
     */
    @Test
    void anAlarmInAlarmDuringTheDeploymentIsRolledBackByEcsAndReported() throws Exception {
        deckhand.cloud().cloudWatch().handle("PutMetricAlarm", DeployerScenarios.json("{\"AlarmName\": \"api-alarmed-5xx\"}"));
        EcrImage image = deckhand.push("acme/api", List.of("alarmed-v2"), ImageBehaviour.healthy());
        scenarios.awaitEntered(image, "Wait for the rollout");
        deckhand.cloud().cloudWatch().setState("api-alarmed-5xx", "ALARM", "5xx above threshold", null);

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        AttemptRecord record = recordOf(image, "alarmed");
        assertThat(record.outcome()).as(execution.error() + " " + execution.cause()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(record.details().path("rollback").path("by").asText()).isEqualTo("ECS");
        assertThat(record.details().path("failure").path("cause").asText()).contains("ROLLBACK_SUCCESSFUL")
                .contains("api-alarmed-5xx");
        assertThat(scenarios.servingImage("native", "api-alarmed", "web")).isNotEqualTo(image.uri());
    }

    /**
     * A failure during the canary step: half the production traffic on the new revision, then an
     * alarm; ECS puts all traffic back on the old revision (API_DeploymentAlarms rollback).
     */
    @Test
    void aFailureAtTheCanaryStepPutsAllTrafficBackOnTheOldRevision() throws Exception {
        deckhand.cloud().cloudWatch().handle("PutMetricAlarm", DeployerScenarios.json("{\"AlarmName\": \"api-stepping-5xx\"}"));
        EcrImage image = deckhand.push("acme/api", List.of("stepping-v2"), ImageBehaviour.healthy());
        scenarios.awaitEntered(image, "Wait for the rollout");
        dev.deckhand.local.Eventually.value(DeployerScenarios.TIMEOUT, () -> "the canary step of " + image.digest(),
                () -> deckhand.sdk().ecs().listServiceDeployments(r -> r.cluster("native").service("api-stepping"))
                        .serviceDeployments().stream()
                        .filter(brief -> "PRODUCTION_TRAFFIC_SHIFT".equals(deckhand.sdk().ecs()
                                .describeServiceDeployments(r -> r.serviceDeploymentArns(brief.serviceDeploymentArn()))
                                .serviceDeployments().get(0).lifecycleStageAsString()))
                        .findFirst());
        List<String> duringTheStep = productionDigests("stepping", 10);
        deckhand.cloud().cloudWatch().setState("api-stepping-5xx", "ALARM", "5xx above threshold", null);

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        AttemptRecord record = recordOf(image, "stepping");
        assertThat(record.outcome()).as(execution.error() + " " + execution.cause()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(record.details().path("rollback").path("by").asText()).isEqualTo("ECS");
        assertThat(record.details().path("failure").path("cause").asText()).contains("ROLLBACK_SUCCESSFUL")
                .contains("api-stepping-5xx in ALARM");
        // Half the production answers came from the new revision during the step; none do after the rollback.
        assertThat(duringTheStep).contains(image.digest());
        assertThat(productionDigests("stepping", 10)).doesNotContain(image.digest());
        assertThat(scenarios.servingImage("native", "api-stepping", "web")).isNotEqualTo(image.uri());
    }

    /**
     * Deckhand's hook fails a canary at its step: the image regresses only once production traffic
     * reaches it, so the hook passes it at POST_TEST_TRAFFIC_SHIFT (test listener, no production
     * traffic) and fails it at the 10 % step of PRODUCTION_TRAFFIC_SHIFT, still probing the test
     * listener (which sends the new revision all test traffic). Per lambda-lifecycle-hooks, FAILED
     * makes ECS roll back: production traffic goes back to the old revision at once.
     */
    @Test
    void aRegressionUnderProductionTrafficFailsTheHookAtTheCanaryStepAndEcsShiftsTrafficBack() throws Exception {
        EcrImage image = deckhand.push("acme/api", List.of("regressing-v2"), ImageBehaviour.productionRegression());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        AttemptRecord record = recordOf(image, "regressing");
        assertThat(record.outcome()).as(execution.error() + " " + execution.cause()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(record.details().path("rollback").path("by").asText()).isEqualTo("ECS");
        // ECS keeps only the hook's status; the cause carries what the hook kept: what the probes saw.
        assertThat(record.details().path("failure").path("cause").asText()).contains("ROLLBACK_SUCCESSFUL")
                .contains("returned FAILED at PRODUCTION_TRAFFIC_SHIFT")
                .contains("the hook answered FAILED at PRODUCTION_TRAFFIC_SHIFT (10.0 % production, 100.0 % test): ")
                .contains("answered status 503");
        List<HookAnswerRecord> failed = deckhand.ecs().hookAnswers("native", "api-regressing").stream()
                .filter(answer -> "FAILED".equals(answer.hookStatus())).toList();
        assertThat(failed).as("one FAILED answer, at the canary step: 10 % of production, all test traffic")
                .singleElement().satisfies(answer -> {
                    assertThat(answer.lifecycleStage()).isEqualTo("PRODUCTION_TRAFFIC_SHIFT");
                    assertThat(answer.productionPercent()).isEqualTo(10.0);
                    assertThat(answer.testPercent()).isEqualTo(100.0);
                });
        String serviceDeployment = failed.get(0).serviceDeploymentArn();
        assertThat(deckhand.ecs().hookAnswers("native", "api-regressing"))
                .as("the same deployment passed the hook at test traffic, before production traffic moved")
                .anySatisfy(answer -> {
                    assertThat(answer.serviceDeploymentArn()).isEqualTo(serviceDeployment);
                    assertThat(answer.lifecycleStage()).isEqualTo("POST_TEST_TRAFFIC_SHIFT");
                    assertThat(answer.hookStatus()).isEqualTo("SUCCEEDED");
                });
        // The new revision answered 200 on the test listener until the canary step, 503 from then on.
        assertThat(answersFrom("regressing", image, "test")).extracting(ListenerAnswer::status).contains(200, 503);
        assertThat(productionDigests("regressing", 10)).as("all production traffic back on the old revision")
                .doesNotContain(image.digest()).doesNotContain("");
        assertThat(scenarios.servingImage("native", "api-regressing", "web")).isNotEqualTo(image.uri());
    }

    /** A rolling deployment keeps Deckhand's own verdict and rollback; ECS's breaker stops a crashing rollout. */
    @Test
    void aRollingDeploymentAsksForTheBreakerAndDeckhandRollsBackWhatItStopped() throws Exception {
        EcrImage image = deckhand.push("acme/api", List.of("rolling-v2"), ImageBehaviour.crashOnStart());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(recordOf(image, "rolling").outcome()).as(execution.error() + " " + execution.cause())
                .isEqualTo(Outcome.ROLLED_BACK);
        assertThat(scenarios.service("native", "api-rolling").deploymentConfiguration().deploymentCircuitBreaker()
                .enable()).isTrue();
        assertThat(deckhand.engine().getExecutionHistory(execution.executionArn()))
                .anyMatch(event -> "Roll back to the last verified revision".equals(event.stateName()));
    }

    @Test
    void aFailedMigrationStopsTheDeploymentBeforeAnyTrafficShifts() throws Exception {
        EcrImage image = deckhand.push("acme/api", List.of("migrating-v2"), ImageBehaviour.migrationExit(3));

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(recordOf(image, "migrating").outcome()).as(execution.error() + " " + execution.cause())
                .isEqualTo(Outcome.FAILED);
        assertThat(deckhand.ecs().listenerAnswers("native", "api-migrating"))
                .as("no listener, test or production, ever answered from the new image")
                .noneMatch(answer -> image.digest().equals(answer.imageDigest()));
        assertThat(scenarios.servingImage("native", "api-migrating", "web")).isNotEqualTo(image.uri());
    }
}
