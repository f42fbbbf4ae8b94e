package dev.deckhand.local.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.iam.PolicyDocument;
import dev.deckhand.local.lambda.LocalLambda;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.ecs.model.AdvancedConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;

/**
 * ECS's native strategies in the local ECS, through the real EcsClient on a manual clock, with a
 * plain local Lambda as the lifecycle hook. Sources: "Lambda hooks for Amazon ECS service
 * deployments" (hookStatus SUCCEEDED | FAILED | IN_PROGRESS, callBackDelay default 30 s,
 * hookDetails passed back; "If your function doesn't return a valid hookStatus, or if it fails,
 * Amazon ECS rolls back the deployment"), "Lifecycle hooks for Amazon ECS service deployments"
 * (payload: serviceArn, targetServiceRevisionArn, testTrafficWeights, productionTrafficWeights;
 * hooks for TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT run again on rollback),
 * API_DeploymentLifecycleHook (lifecycleStages), API_ServiceDeployment (lifecycleStage, status,
 * rollback, alarms), API_CanaryConfiguration (canaryPercent 0.1–100.0 by 0.1, bake 0–1440),
 * API_LinearConfiguration (stepPercent 3.0–100.0 by 0.1, step bake 0–1440, none after 100 %).
 */
class EcsDeploymentStrategiesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOOK = "arn:aws:lambda:us-east-1:" + Workloads.ACCOUNT + ":function:deckhand-hook";
    private static final String HOOK_ROLE = "arn:aws:iam::" + Workloads.ACCOUNT + ":role/ecs-invokes-deckhand-hook";
    private static final String ELB = "arn:aws:elasticloadbalancing:us-east-1:" + Workloads.ACCOUNT + ":";
    private static final List<String> ALL_HOOK_STAGES = List.of("PRE_SCALE_UP", "POST_SCALE_UP",
            "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT");

    private final HttpClient http = HttpClient.newHttpClient();
    private final LocalLambda lambda = new LocalLambda();
    /** What each invocation of the hook received, with the simulated instant. */
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    /** How the hook answers, by stage (SUCCEEDED when absent). */
    private final Map<String, Function<JsonNode, JsonNode>> answers = new ConcurrentHashMap<>();
    private final Map<String, String> alarms = new ConcurrentHashMap<>();
    private Workloads workloads;
    private String blueRevision;

    record Invocation(Instant at, JsonNode payload) {
        String stage() {
            return payload.path("lifecycleStage").asText();
        }
    }

    @BeforeEach
    void start() throws Exception {
        workloads = new Workloads();
        workloads.ecs.seedService("dev", "api-dev", workloads.push("api", "v1", ImageBehaviour.healthy()).uri());
        blueRevision = workloads.client.listServiceDeployments(r -> r.cluster("dev").service("api-dev"))
                .serviceDeployments().get(0).targetServiceRevisionArn();
        lambda.function(HOOK, payload -> {
            invocations.add(new Invocation(workloads.clock.instant(), payload));
            return answers.getOrDefault(payload.path("lifecycleStage").asText(), p -> status("SUCCEEDED")).apply(payload);
        });
        lambda.role(HOOK_ROLE, List.of("ecs.amazonaws.com"), policy("lambda:InvokeFunction", HOOK));
        workloads.ecs.lambda(lambda);
        workloads.ecs.alarmStates(alarms::get);
    }

    @AfterEach
    void stop() {
        workloads.close();
    }

    @Test
    void blueGreenGoesThroughTheStagesInOrderAndEndsOnTheNewRevision() {
        useStrategy(c -> c.strategy("BLUE_GREEN").bakeTimeInMinutes(5), ALL_HOOK_STAGES);
        deploy("v2", ImageBehaviour.healthy());

        settleFor(Duration.ofMinutes(10));

        assertThat(invocations).extracting(Invocation::stage).containsExactlyElementsOf(ALL_HOOK_STAGES);
        JsonNode postTest = invocation("POST_TEST_TRAFFIC_SHIFT").payload();
        String green = postTest.path("executionDetails").path("targetServiceRevisionArn").asText();
        assertThat(postTest.path("executionDetails").path("testTrafficWeights").path(green).asDouble()).isEqualTo(100.0);
        assertThat(postTest.path("executionDetails").path("productionTrafficWeights").path(green).asDouble()).isZero();
        assertThat(postTest.path("executionDetails").path("productionTrafficWeights").path(blueRevision).asDouble())
                .isEqualTo(100.0);
        assertThat(postTest.path("resourceArn").asText()).contains(":service-deployment/dev/api-dev/");
        assertThat(postTest.path("executionDetails").path("serviceArn").asText()).endsWith(":service/dev/api-dev");

        ServiceDeployment deployment = latest();
        assertThat(deployment.status()).isEqualTo(ServiceDeploymentStatus.SUCCESSFUL);
        assertThat(deployment.lifecycleStageAsString()).isEqualTo("CLEAN_UP");
        assertThat(deployment.deploymentConfiguration().strategyAsString()).isEqualTo("BLUE_GREEN");
        // Production moved at POST_PRODUCTION_TRAFFIC_SHIFT's instant plus the 5-minute bake.
        assertThat(deployment.finishedAt()).isEqualTo(invocation("POST_PRODUCTION_TRAFFIC_SHIFT").at()
                .plus(Duration.ofMinutes(5)));
        assertThat(get(production()).path("serviceRevisionArn").asText()).isEqualTo(green);
        assertThat(eventNames()).containsExactly("SERVICE_DEPLOYMENT_IN_PROGRESS", "SERVICE_DEPLOYMENT_COMPLETED");
    }

    @Test
    void aHookFailingAtTestTrafficRollsBackBeforeAnyProductionRequestReachesTheNewRevision() {
        useStrategy(c -> c.strategy("BLUE_GREEN"), List.of("POST_TEST_TRAFFIC_SHIFT"));
        URI test = workloads.ecs.testListenerUrl("dev", "api-dev");
        // The hook probes both listeners as Deckhand's judge would, then judges the new revision unhealthy.
        answers.put("POST_TEST_TRAFFIC_SHIFT", payload -> {
            for (int i = 0; i < 5; i++) {
                get(test);
                get(production());
            }
            return status("FAILED");
        });
        deploy("v2", ImageBehaviour.unhealthy());
        for (int second = 0; second < 120; second += 5) {
            workloads.advance(Duration.ofSeconds(5));
            workloads.ecs.emitDueEvents();
            get(production());
        }

        ServiceDeployment deployment = latest();
        assertThat(deployment.status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL);
        assertThat(deployment.rollback().serviceRevisionArn()).isEqualTo(blueRevision);
        assertThat(deployment.rollback().reason()).contains(HOOK).contains("FAILED").contains("POST_TEST_TRAFFIC_SHIFT");
        String green = deployment.targetServiceRevision().arn();
        List<ListenerAnswer> answered = workloads.ecs.listenerAnswers("dev", "api-dev");
        assertThat(answered).filteredOn(a -> a.listener().equals("test"))
                .extracting(ListenerAnswer::serviceRevisionArn).containsOnly(green).hasSize(5);
        assertThat(answered).filteredOn(a -> a.listener().equals("production")).hasSizeGreaterThan(20)
                .extracting(ListenerAnswer::serviceRevisionArn).containsOnly(blueRevision);
        // After the rollback the test listener is the old revision's again.
        assertThat(get(test).path("serviceRevisionArn").asText()).isEqualTo(blueRevision);
        assertThat(eventNames()).containsExactly("SERVICE_DEPLOYMENT_IN_PROGRESS", "SERVICE_DEPLOYMENT_FAILED",
                "SERVICE_DEPLOYMENT_IN_PROGRESS", "SERVICE_DEPLOYMENT_COMPLETED");
        assertThat(workloads.deploymentEvents().get(1).path("detail").path("eventType").asText()).isEqualTo("ERROR");
        assertThat(workloads.describe("dev", "api-dev").deployments()).singleElement()
                .satisfies(d -> assertThat(d.taskDefinition()).endsWith("api-dev:1"));
    }

    @Test
    void inProgressIsAskedAgainAfterCallBackDelayWithTheSameExecutionAndTheReturnedDetails() {
        useStrategy(c -> c.strategy("BLUE_GREEN"), List.of("POST_TEST_TRAFFIC_SHIFT"));
        answers.put("POST_TEST_TRAFFIC_SHIFT", payload -> {
            int round = payload.path("hookDetails").path("round").asInt(0);
            if (round < 2) {
                ObjectNode answer = status("IN_PROGRESS").put("callBackDelay", 10);
                answer.putObject("hookDetails").put("round", round + 1);
                return answer;
            }
            return status("SUCCEEDED");
        });
        deploy("v2", ImageBehaviour.healthy());

        settleFor(Duration.ofMinutes(2));

        assertThat(invocations).hasSize(3);
        assertThat(invocations).extracting(i -> i.payload().path("executionId").asText()).containsOnly(
                invocations.get(0).payload().path("executionId").asText());
        assertThat(invocations).extracting(i -> i.payload().path("hookDetails").path("round").asInt(0))
                .containsExactly(0, 1, 2);
        assertThat(Duration.between(invocations.get(0).at(), invocations.get(2).at())).isEqualTo(Duration.ofSeconds(20));
        assertThat(latest().status()).isEqualTo(ServiceDeploymentStatus.SUCCESSFUL);
    }

    @Test
    void canaryShiftsItsPercentThenBakesAndAFailureAtTheStepPutsAllTrafficBackOnTheOldRevision() {
        useStrategy(c -> c.strategy("CANARY").canaryConfiguration(k -> k.canaryPercent(10.0).canaryBakeTimeInMinutes(3)),
                List.of("PRODUCTION_TRAFFIC_SHIFT"));
        List<String> duringCanary = new ArrayList<>();
        answers.put("PRODUCTION_TRAFFIC_SHIFT", payload -> {
            if (greenWeight(payload) == 0.0) {
                return status("SUCCEEDED"); // invoked again during the rollback, with production back on blue
            }
            for (int i = 0; i < 20; i++) {
                duringCanary.add(get(production()).path("serviceRevisionArn").asText());
            }
            return status("FAILED");
        });
        deploy("v2", ImageBehaviour.unhealthy());

        settleFor(Duration.ofMinutes(5));

        ServiceDeployment deployment = latest();
        String green = deployment.targetServiceRevision().arn();
        // The canary step, then the rollback's PRODUCTION_TRAFFIC_SHIFT with all production traffic on blue.
        assertThat(invocations).extracting(i -> greenWeight(i.payload())).containsExactly(10.0, 0.0);
        // Weighted round robin: exactly one request in ten reached the canary.
        assertThat(duringCanary).filteredOn(green::equals).hasSize(2);
        assertThat(deployment.status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL);
        for (int i = 0; i < 20; i++) {
            assertThat(get(production()).path("serviceRevisionArn").asText()).isEqualTo(blueRevision);
        }
    }

    @Test
    void canarySucceedsAfterItsBakeTime() {
        useStrategy(c -> c.strategy("CANARY").canaryConfiguration(k -> k.canaryPercent(5.0).canaryBakeTimeInMinutes(3)),
                List.of("PRODUCTION_TRAFFIC_SHIFT"));
        deploy("v2", ImageBehaviour.healthy());

        settleFor(Duration.ofMinutes(10));

        String green = latest().targetServiceRevision().arn();
        assertThat(invocations).extracting(i -> i.payload().path("executionDetails").path("productionTrafficWeights")
                .path(green).asDouble()).containsExactly(5.0, 100.0);
        assertThat(Duration.between(invocations.get(0).at(), invocations.get(1).at())).isEqualTo(Duration.ofMinutes(3));
        assertThat(latest().status()).isEqualTo(ServiceDeploymentStatus.SUCCESSFUL);
    }

    @Test
    void linearShiftsInStepsWithABakeBetweenThemButNotAfterTheLast() {
        useStrategy(c -> c.strategy("LINEAR").linearConfiguration(k -> k.stepPercent(25.0).stepBakeTimeInMinutes(2)),
                List.of("PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"));
        deploy("v2", ImageBehaviour.healthy());

        settleFor(Duration.ofMinutes(15));

        String green = latest().targetServiceRevision().arn();
        assertThat(invocations).extracting(Invocation::stage).containsExactly("PRODUCTION_TRAFFIC_SHIFT",
                "PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT",
                "POST_PRODUCTION_TRAFFIC_SHIFT");
        assertThat(invocations.subList(0, 4)).extracting(i -> i.payload().path("executionDetails")
                .path("productionTrafficWeights").path(green).asDouble()).containsExactly(25.0, 50.0, 75.0, 100.0);
        assertThat(Duration.between(invocations.get(0).at(), invocations.get(3).at())).isEqualTo(Duration.ofMinutes(6));
        assertThat(invocations.get(4).at()).isEqualTo(invocations.get(3).at());
        assertThat(latest().status()).isEqualTo(ServiceDeploymentStatus.SUCCESSFUL);
    }

    @Test
    void anAlarmInAlarmDuringBakeTimeRollsBack() {
        useStrategy(c -> c.strategy("BLUE_GREEN").bakeTimeInMinutes(10)
                .alarms(a -> a.alarmNames("api-dev-5xx").enable(true).rollback(true)), List.of());
        alarms.put("api-dev-5xx", "OK");
        deploy("v2", ImageBehaviour.healthy());
        settleFor(Duration.ofMinutes(2));
        assertThat(latest().lifecycleStageAsString()).isEqualTo("BAKE_TIME");
        assertThat(get(production()).path("serviceRevisionArn").asText()).isEqualTo(latest().targetServiceRevision().arn());

        alarms.put("api-dev-5xx", "ALARM");
        settleFor(Duration.ofMinutes(2));

        ServiceDeployment deployment = latest();
        assertThat(deployment.status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL);
        assertThat(deployment.rollback().reason()).contains("api-dev-5xx");
        assertThat(deployment.alarms().statusAsString()).isEqualTo("TRIGGERED");
        assertThat(deployment.alarms().triggeredAlarmNames()).containsExactly("api-dev-5xx");
        assertThat(get(production()).path("serviceRevisionArn").asText()).isEqualTo(blueRevision);
    }

    @Test
    void alarmStatesComeFromTheLocalCloudWatchAsLocalDeckhandWiresThem() {
        // As LocalDeckhand wires it: ECS reads each alarm's state from the local CloudWatch (SetAlarmState).
        dev.deckhand.local.cloudwatch.LocalCloudWatch cloudWatch =
                new dev.deckhand.local.cloudwatch.LocalCloudWatch("us-east-1", Workloads.ACCOUNT, workloads.clock);
        cloudWatch.handle("PutMetricAlarm", JSON.createObjectNode().put("AlarmName", "api-dev-5xx")
                .put("MetricName", "HTTPCode_Target_5XX_Count").put("Namespace", "AWS/ApplicationELB")
                .put("Statistic", "Sum").put("Period", 60).put("EvaluationPeriods", 1).put("Threshold", 1.0)
                .put("ComparisonOperator", "GreaterThanOrEqualToThreshold"));
        workloads.ecs.alarmStates(name -> cloudWatch.state(name).orElse(null));
        useStrategy(c -> c.strategy("LINEAR").linearConfiguration(k -> k.stepPercent(50.0).stepBakeTimeInMinutes(5))
                .alarms(a -> a.alarmNames("api-dev-5xx").enable(true).rollback(true)), List.of());
        deploy("v2", ImageBehaviour.healthy());
        settleFor(Duration.ofMinutes(2));
        assertThat(latest().lifecycleStageAsString()).isEqualTo("PRODUCTION_TRAFFIC_SHIFT");

        cloudWatch.setState("api-dev-5xx", "ALARM", "5xx from the new revision", null);
        settleFor(Duration.ofMinutes(1));

        assertThat(latest().status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL);
        assertThat(latest().alarms().triggeredAlarmNames()).containsExactly("api-dev-5xx");
    }

    @Test
    void aRollingDeploymentWithAlarmsRollsBackWhenOneGoesIntoAlarm() {
        // API_DeploymentAlarms on the rolling update: no load balancer needed, the breaker stays off.
        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").deploymentConfiguration(c -> c
                .deploymentCircuitBreaker(b -> b.enable(false).rollback(false))
                .alarms(a -> a.alarmNames("api-dev-5xx", "api-dev-latency").enable(true).rollback(true))));
        alarms.put("api-dev-5xx", "OK");
        alarms.put("api-dev-latency", "OK");
        deploy("v2", ImageBehaviour.crashOnStart());
        settleFor(Duration.ofSeconds(30));
        assertThat(latest().status()).isEqualTo(ServiceDeploymentStatus.IN_PROGRESS);
        assertThat(latest().alarms().statusAsString()).isEqualTo("MONITORING");

        alarms.put("api-dev-latency", "ALARM");
        settleFor(Duration.ofSeconds(60));

        ServiceDeployment deployment = latest();
        assertThat(deployment.status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL);
        assertThat(deployment.rollback().reason()).contains("api-dev-latency");
        assertThat(deployment.alarms().triggeredAlarmNames()).containsExactly("api-dev-latency");
        assertThat(deployment.deploymentConfiguration().strategyAsString()).isEqualTo("ROLLING");
        assertThat(workloads.describe("dev", "api-dev").taskDefinition()).endsWith("api-dev:1");
    }

    @Test
    void newTasksThatCannotStartTripTheCircuitBreakerWhileTheOldRevisionKeepsAllTraffic() {
        // The seeded service has the breaker on with rollback; green never gets past SCALE_UP.
        useStrategy(c -> c.strategy("BLUE_GREEN").deploymentCircuitBreaker(b -> b.enable(true).rollback(true)),
                List.of("POST_SCALE_UP"));
        deploy("v2", ImageBehaviour.crashOnStart());

        settleFor(Duration.ofMinutes(1));

        ServiceDeployment deployment = latest();
        assertThat(deployment.status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL);
        assertThat(deployment.rollback().reason()).contains("circuit breaker");
        assertThat(deployment.deploymentCircuitBreaker().statusAsString()).isEqualTo("TRIGGERED");
        assertThat(invocations).as("POST_SCALE_UP is never reached").isEmpty();
        assertThat(get(production()).path("serviceRevisionArn").asText()).isEqualTo(blueRevision);
        assertThat(workloads.describe("dev", "api-dev").deployments()).singleElement()
                .satisfies(d -> assertThat(d.rolloutStateAsString()).isEqualTo("COMPLETED"));
    }

    @Test
    void aRollbackThatCannotRestoreTheOldRevisionEndsRollbackFailed() {
        useStrategy(c -> c.strategy("CANARY").canaryConfiguration(k -> k.canaryPercent(50.0)),
                List.of("PRODUCTION_TRAFFIC_SHIFT"));
        answers.put("PRODUCTION_TRAFFIC_SHIFT", payload -> status("FAILED"));
        workloads.ecs.failNextRollback("dev", "api-dev", "the production listener rule could not be modified");
        deploy("v2", ImageBehaviour.unhealthy());

        settleFor(Duration.ofMinutes(2));

        ServiceDeployment deployment = latest();
        assertThat(deployment.status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_FAILED);
        assertThat(deployment.statusReason()).contains("production listener rule could not be modified");
        assertThat(eventNames()).containsExactly("SERVICE_DEPLOYMENT_IN_PROGRESS", "SERVICE_DEPLOYMENT_FAILED",
                "SERVICE_DEPLOYMENT_FAILED");
        // Half the production traffic still reaches the new revision: nothing was restored.
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            served.add(get(production()).path("serviceRevisionArn").asText());
        }
        assertThat(served).contains(blueRevision, deployment.targetServiceRevision().arn());
    }

    @Test
    void aHookEcsMayNotInvokeCountsAsFailed() {
        // The hook's role trusts ECS but its policy allows another function only.
        lambda.role(HOOK_ROLE, List.of("ecs.amazonaws.com"), policy("lambda:InvokeFunction", HOOK + "-other"));
        useStrategy(c -> c.strategy("BLUE_GREEN"), List.of("POST_TEST_TRAFFIC_SHIFT"));
        deploy("v2", ImageBehaviour.healthy());

        settleFor(Duration.ofMinutes(2));

        assertThat(invocations).isEmpty();
        assertThat(latest().status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL);
        assertThat(latest().rollback().reason()).contains("AccessDeniedException").contains("lambda:InvokeFunction");
    }

    @Test
    void aHookThatThrowsOrAnswersNoStatusCountsAsFailed() {
        useStrategy(c -> c.strategy("BLUE_GREEN"), List.of("POST_SCALE_UP"));
        answers.put("POST_SCALE_UP", payload -> JSON.createObjectNode().put("status", "fine"));
        deploy("v2", ImageBehaviour.healthy());
        settleFor(Duration.ofMinutes(2));
        assertThat(latest().status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL);
        assertThat(latest().rollback().reason()).contains("no valid hookStatus");

        answers.put("POST_SCALE_UP", payload -> {
            throw new IllegalStateException("boom");
        });
        deploy("v3", ImageBehaviour.healthy());
        settleFor(Duration.ofMinutes(2));
        assertThat(latest().status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL);
        assertThat(latest().rollback().reason()).contains("java.lang.IllegalStateException");
    }

    @Test
    void describeServicesShowsTheStrategyAsConfigured() {
        useStrategy(c -> c.strategy("LINEAR").bakeTimeInMinutes(7)
                .linearConfiguration(k -> k.stepPercent(20.0).stepBakeTimeInMinutes(1)), List.of("POST_TEST_TRAFFIC_SHIFT"));

        DeploymentConfiguration shown = workloads.describe("dev", "api-dev").deploymentConfiguration();
        assertThat(shown.strategyAsString()).isEqualTo("LINEAR");
        assertThat(shown.bakeTimeInMinutes()).isEqualTo(7);
        assertThat(shown.linearConfiguration().stepPercent()).isEqualTo(20.0);
        assertThat(shown.lifecycleHooks()).singleElement().satisfies(h -> {
            assertThat(h.hookTargetArn()).isEqualTo(HOOK);
            assertThat(h.lifecycleStagesAsStrings()).containsExactly("POST_TEST_TRAFFIC_SHIFT");
        });
        assertThat(workloads.describe("dev", "api-dev").loadBalancers().get(0).advancedConfiguration()
                .alternateTargetGroupArn()).contains("targetgroup/api-green/");
    }

    @Test
    void hooksAreInvokedWhenEcsIsObservedNeverInsideTheApiCallThatStartedTheDeployment() {
        useStrategy(c -> c.strategy("BLUE_GREEN"), List.of("PRE_SCALE_UP"));
        List<Instant> scheduled = new CopyOnWriteArrayList<>();
        workloads.ecs.onScheduled(scheduled::add);

        deploy("v2", ImageBehaviour.healthy());
        assertThat(invocations).isEmpty();
        // ECS told its observer the hook is due now (the deployment's start), as it tells of every due action.
        assertThat(scheduled).contains(workloads.clock.instant());

        workloads.ecs.emitDueEvents();
        assertThat(invocations).extracting(Invocation::stage).containsExactly("PRE_SCALE_UP");
    }

    @Test
    void refusesWhatEcsRefusesAndChangesNothing() {
        // Each case: how the request is wrong, and the words of the one-line message.
        Map<String, java.util.function.Consumer<software.amazon.awssdk.services.ecs.model.UpdateServiceRequest.Builder>>
                refused = new java.util.LinkedHashMap<>();
        refused.put("strategy", r -> r.deploymentConfiguration(c -> c.strategy("RED_BLACK")));
        refused.put("requires a load balancer", r -> r.deploymentConfiguration(c -> c.strategy("CANARY")));
        refused.put("advancedConfiguration", r -> r.loadBalancers(LoadBalancer.builder()
                .targetGroupArn(ELB + "targetgroup/api-blue/1111111111111111").containerName("app").containerPort(8080)
                .build()).deploymentConfiguration(c -> c.strategy("BLUE_GREEN")));
        refused.put("must differ", r -> r.loadBalancers(loadBalancer().toBuilder().targetGroupArn(
                loadBalancer().advancedConfiguration().alternateTargetGroupArn()).build())
                .deploymentConfiguration(c -> c.strategy("BLUE_GREEN")));
        refused.put("canaryConfiguration is only valid", r -> r.loadBalancers(loadBalancer())
                .deploymentConfiguration(c -> c.strategy("BLUE_GREEN").canaryConfiguration(k -> k.canaryPercent(10.0))));
        refused.put("linearConfiguration is only valid", r -> r.loadBalancers(loadBalancer())
                .deploymentConfiguration(c -> c.strategy("CANARY").linearConfiguration(k -> k.stepPercent(10.0))));
        refused.put("canaryPercent", r -> r.loadBalancers(loadBalancer())
                .deploymentConfiguration(c -> c.strategy("CANARY").canaryConfiguration(k -> k.canaryPercent(0.05))));
        refused.put("stepPercent", r -> r.loadBalancers(loadBalancer())
                .deploymentConfiguration(c -> c.strategy("LINEAR").linearConfiguration(k -> k.stepPercent(2.9))));
        refused.put("bakeTimeInMinutes", r -> r.loadBalancers(loadBalancer())
                .deploymentConfiguration(c -> c.strategy("BLUE_GREEN").bakeTimeInMinutes(1441)));
        refused.put("canaryBakeTimeInMinutes", r -> r.loadBalancers(loadBalancer()).deploymentConfiguration(c -> c
                .strategy("CANARY").canaryConfiguration(k -> k.canaryPercent(10.0).canaryBakeTimeInMinutes(-1))));
        refused.put("hookTargetArn", r -> r.deploymentConfiguration(c -> c.lifecycleHooks(h -> h
                .hookTargetArn("arn:aws:sns:us-east-1:" + Workloads.ACCOUNT + ":topic").roleArn(HOOK_ROLE)
                .lifecycleStagesWithStrings("POST_TEST_TRAFFIC_SHIFT"))));
        refused.put("roleArn", r -> r.deploymentConfiguration(c -> c.lifecycleHooks(h -> h.hookTargetArn(HOOK)
                .lifecycleStagesWithStrings("POST_TEST_TRAFFIC_SHIFT"))));
        // The enum is checked before ECS looks at the request, as AWS's model validation does.
        refused.put("Value 'BAKE_TIME' at 'deploymentConfiguration.lifecycleHooks.1.member.lifecycleStages.1.member' "
                + "failed to satisfy constraint", r -> r.deploymentConfiguration(c -> c.lifecycleHooks(h -> h
                .hookTargetArn(HOOK).roleArn(HOOK_ROLE).lifecycleStagesWithStrings("BAKE_TIME"))));
        refused.put("at least one stage", r -> r.deploymentConfiguration(c -> c.lifecycleHooks(h -> h
                .hookTargetArn(HOOK).roleArn(HOOK_ROLE))));
        refused.put("alarms needs", r -> r.deploymentConfiguration(c -> c.alarms(a -> a.alarmNames("x"))));

        refused.forEach((words, request) -> assertThatThrownBy(() -> workloads.client.updateService(r -> {
            r.cluster("dev").service("api-dev").desiredCount(3);
            request.accept(r);
        })).as(words).isInstanceOf(software.amazon.awssdk.services.ecs.model.InvalidParameterException.class)
                .hasMessageContaining(words));

        // Nothing changed: not the strategy, not the load balancers, not even the desired count.
        software.amazon.awssdk.services.ecs.model.Service service = workloads.describe("dev", "api-dev");
        assertThat(service.deploymentConfiguration().strategy()).isNull();
        assertThat(service.loadBalancers()).isEmpty();
        assertThat(service.desiredCount()).isEqualTo(1);
    }

    @Test
    void createServiceValidatesTheStrategyToo() {
        String revision = workloads.register("web", workloads.push("web", "v1", ImageBehaviour.healthy()).uri());
        assertThatThrownBy(() -> workloads.client.createService(r -> r.cluster("dev").serviceName("web")
                .taskDefinition(revision).networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-1")))
                .deploymentConfiguration(c -> c.strategy("LINEAR"))))
                .isInstanceOf(software.amazon.awssdk.services.ecs.model.InvalidParameterException.class)
                .hasMessageContaining("requires a load balancer");

        workloads.client.createService(r -> r.cluster("dev").serviceName("web").taskDefinition(revision)
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-1")))
                .loadBalancers(loadBalancer()).deploymentConfiguration(c -> c.strategy("LINEAR")));
        DeploymentConfiguration shown = workloads.describe("dev", "web").deploymentConfiguration();
        // API_LinearConfiguration: stepPercent defaults to 10.0, stepBakeTimeInMinutes to 6.
        assertThat(shown.linearConfiguration().stepPercent()).isEqualTo(10.0);
        assertThat(shown.linearConfiguration().stepBakeTimeInMinutes()).isEqualTo(6);
    }

    // ---- helpers

    private void useStrategy(java.util.function.Consumer<DeploymentConfiguration.Builder> strategy, List<String> stages) {
        DeploymentConfiguration.Builder configuration = DeploymentConfiguration.builder();
        strategy.accept(configuration);
        if (!stages.isEmpty()) {
            configuration.lifecycleHooks(DeploymentLifecycleHook.builder().hookTargetArn(HOOK).roleArn(HOOK_ROLE)
                    .lifecycleStagesWithStrings(stages)
                    .hookDetails(Document.mapBuilder().putString("environment", "dev").build()).build());
        }
        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").loadBalancers(loadBalancer())
                .deploymentConfiguration(configuration.build()));
    }

    static LoadBalancer loadBalancer() {
        return LoadBalancer.builder()
                .targetGroupArn(ELB + "targetgroup/api-blue/1111111111111111")
                .containerName("app").containerPort(8080)
                .advancedConfiguration(AdvancedConfiguration.builder()
                        .alternateTargetGroupArn(ELB + "targetgroup/api-green/2222222222222222")
                        .productionListenerRule(ELB + "listener-rule/app/api/3333333333333333/4444444444444444/5555555555555555")
                        .testListenerRule(ELB + "listener-rule/app/api/3333333333333333/6666666666666666/7777777777777777")
                        .roleArn("arn:aws:iam::" + Workloads.ACCOUNT + ":role/ecs-infrastructure-api")
                        .build())
                .build();
    }

    private void deploy(String tag, ImageBehaviour behaviour) {
        String image = workloads.push("api", tag, behaviour).uri();
        String revision = workloads.register("api-dev", image);
        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").taskDefinition(revision));
    }

    /** Moves the simulated clock a second at a time, letting ECS act (and invoke hooks) at each. */
    private void settleFor(Duration duration) {
        for (long s = 0; s < duration.toSeconds(); s++) {
            workloads.advance(Duration.ofSeconds(1));
            workloads.ecs.emitDueEvents();
        }
    }

    private ServiceDeployment latest() {
        String arn = workloads.client.listServiceDeployments(r -> r.cluster("dev").service("api-dev"))
                .serviceDeployments().get(0).serviceDeploymentArn();
        return workloads.client.describeServiceDeployments(r -> r.serviceDeploymentArns(arn)).serviceDeployments().get(0);
    }

    private Invocation invocation(String stage) {
        return invocations.stream().filter(i -> i.stage().equals(stage)).findFirst().orElseThrow();
    }

    private List<String> eventNames() {
        return workloads.deploymentEvents().stream().map(e -> e.path("detail").path("eventName").asText()).toList();
    }

    private URI production() {
        return workloads.ecs.serviceUrl("dev", "api-dev");
    }

    private JsonNode get(URI url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve("/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double greenWeight(JsonNode payload) {
        JsonNode details = payload.path("executionDetails");
        return details.path("productionTrafficWeights").path(details.path("targetServiceRevisionArn").asText()).asDouble();
    }

    private static ObjectNode status(String hookStatus) {
        return JSON.createObjectNode().put("hookStatus", hookStatus);
    }

    private static PolicyDocument policy(String action, String resource) {
        ObjectNode document = JSON.createObjectNode();
        document.putArray("Statement").addObject().put("Effect", "Allow").put("Action", action).put("Resource", resource);
        return PolicyDocument.parse(document);
    }
}
