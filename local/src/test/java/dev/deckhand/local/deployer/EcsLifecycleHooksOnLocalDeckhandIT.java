package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.iam.PolicyDocument;
import dev.deckhand.local.lambda.LocalLambda;
import dev.deckhand.statemachine.ExecutionDescription;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.AdvancedConfiguration;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;

/**
 * The wiring the Deckhand side of ECS's strategies relies on: a hook registered in LocalDeckhand's
 * local Lambda is invoked by its ECS on the deployer's simulated clock (ECS tells the clock when a
 * hook is due), and a FAILED answer at POST_TEST_TRAFFIC_SHIFT rolls the service back before any
 * production traffic reached the new revision ("Lambda hooks for Amazon ECS service deployments").
 */
class EcsLifecycleHooksOnLocalDeckhandIT extends FreshDeckhandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aHookInLocalDeckhandsLambdaIsInvokedOnTheSimulatedClockAndItsFailureRollsEcsBack() throws Exception {
        String account = deckhand.cloud().account();
        String region = deckhand.cloud().region();
        String hook = "arn:aws:lambda:" + region + ":" + account + ":function:test-hook";
        String role = "arn:aws:iam::" + account + ":role/ecs-invokes-test-hook";
        List<String> stages = new CopyOnWriteArrayList<>();
        LocalLambda lambda = deckhand.lambda();
        lambda.function(hook, payload -> {
            stages.add(payload.path("lifecycleStage").asText());
            return JSON.createObjectNode().put("hookStatus",
                    payload.path("lifecycleStage").asText().equals("POST_TEST_TRAFFIC_SHIFT") ? "FAILED" : "SUCCEEDED");
        });
        ObjectNode policy = JSON.createObjectNode();
        policy.putArray("Statement").addObject().put("Effect", "Allow").put("Action", "lambda:InvokeFunction")
                .put("Resource", hook);
        lambda.role(role, List.of("ecs.amazonaws.com"), PolicyDocument.parse(policy));
        String elb = "arn:aws:elasticloadbalancing:" + region + ":" + account + ":";
        deckhand.sdk().ecs().updateService(r -> r.cluster("acme-dev").service("storefront-dev")
                .loadBalancers(LoadBalancer.builder().targetGroupArn(elb + "targetgroup/blue/1111111111111111")
                        .containerName("web").containerPort(8080)
                        .advancedConfiguration(AdvancedConfiguration.builder()
                                .alternateTargetGroupArn(elb + "targetgroup/green/2222222222222222")
                                .productionListenerRule(elb + "listener-rule/app/web/3333333333333333/4444444444444444/5555555555555555")
                                .roleArn("arn:aws:iam::" + account + ":role/ecs-infrastructure").build()).build())
                .deploymentConfiguration(c -> c.strategy("BLUE_GREEN").lifecycleHooks(h -> h.hookTargetArn(hook)
                        .roleArn(role).lifecycleStagesWithStrings("POST_SCALE_UP", "POST_TEST_TRAFFIC_SHIFT"))));
        String baseline = scenarios.servingImage("acme-dev", "storefront-dev", "web");
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-hooked"), ImageBehaviour.healthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(stages).as("execution " + execution.status()).containsExactly("POST_SCALE_UP", "POST_TEST_TRAFFIC_SHIFT");
        String arn = deckhand.sdk().ecs().listServiceDeployments(r -> r.cluster("acme-dev").service("storefront-dev"))
                .serviceDeployments().stream().filter(d -> d.targetServiceRevisionArn() != null)
                .filter(d -> d.status() == ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL).findFirst().orElseThrow()
                .serviceDeploymentArn();
        ServiceDeployment rolledBack = deckhand.sdk().ecs().describeServiceDeployments(r -> r.serviceDeploymentArns(arn))
                .serviceDeployments().get(0);
        assertThat(rolledBack.rollback().reason()).contains("POST_TEST_TRAFFIC_SHIFT");
        assertThat(deckhand.ecs().listenerAnswers("acme-dev", "storefront-dev"))
                .filteredOn(answer -> answer.listener().equals("production"))
                .noneMatch(answer -> rolledBack.targetServiceRevision().arn().equals(answer.serviceRevisionArn()));
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(baseline);
    }
}
