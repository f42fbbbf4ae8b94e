package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whole deployments through the real definition and handlers where the local ECS answers as ECS
 * does and Deckhand once assumed more.
 */
class StrictEcsDeploymentsIT extends FreshDeckhandIT {

    // API_RunTask: "The Amazon ECS API follows an eventual consistency model"; RunTask and
    // UpdateService right after RegisterTaskDefinition may not see the new revision yet.
    @Test
    void aDeploymentSucceedsWhenEcsSeesItsNewRevisionOnlySecondsAfterRegistering() throws Exception {
        deckhand.ecs().consistencyDelay(Duration.ofSeconds(5));
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-eventual"), ImageBehaviour.healthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).as(execution.error() + ": " + execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(image.uri());
        assertThat(deckhand.engine().getExecutionHistory(execution.executionArn()))
                .as("the migration's RunTask was answered 'not found' and retried")
                .anySatisfy(event -> assertThat(event.details().toString()).contains("TransientAwsException")
                        .contains("eventually consistent"));
    }

    // API_DescribeTaskDefinition: a family names its latest ACTIVE revision, so it names nothing
    // when every revision is INACTIVE; the service's own revision is still described by its ARN.
    @Test
    void aServiceWhoseEveryRevisionIsInactiveStillDeploys() throws Exception {
        String live = scenarios.service("acme-dev", "storefront-dev").taskDefinition();
        deckhand.sdk().ecs().deregisterTaskDefinition(request -> request.taskDefinition(live));
        EcrImage image = deckhand.push("acme/storefront", List.of("feature-inactive"), ImageBehaviour.healthy());

        ExecutionDescription execution = scenarios.finishedExecutionOf(image);

        assertThat(execution.status()).as(execution.error() + ": " + execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(image.uri());
    }
}
