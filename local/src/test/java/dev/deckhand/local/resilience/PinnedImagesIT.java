package dev.deckhand.local.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.testing.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Deckhand deploys by digest, never by tag (a tag can move; DESIGN.md, "Why deploy by digest").
 * After the success, rollback, migration-failure and promotion paths, and a push to a service with
 * a single unnamed container, every task-definition revision registered after the seeded baseline
 * — listed and described through the real ECS API — names each container's image by
 * {@code @sha256:} digest, and the deployed container names an image that was pushed.
 */
class PinnedImagesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void everyRevisionDeckhandRegistersNamesItsImagesByDigest() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start()) {
            Set<String> baseline = new HashSet<>(revisions(deckhand));
            List<EcrImage> pushed = new ArrayList<>();
            List<String> outcomes = new ArrayList<>();

            pushed.add(deckhand.push("acme/storefront", List.of("main-1"), ImageBehaviour.healthy()));
            outcomes.add(outcomeOf(deckhand, pushed.get(0)));
            pushed.add(deckhand.push("acme/storefront", List.of("main-2"), ImageBehaviour.unhealthy()));
            outcomes.add(outcomeOf(deckhand, pushed.get(1)));
            pushed.add(deckhand.push("acme/storefront", List.of("main-3"), ImageBehaviour.migrationExit(3)));
            outcomes.add(outcomeOf(deckhand, pushed.get(2)));
            ObjectNode promotion = DeckhandJson.MAPPER.createObjectNode();
            promotion.putObject("promotion").put("service", "storefront").put("from", "dev").put("to", "staging")
                    .put("image", pushed.get(0).uri());
            outcomes.add(end(deckhand, deckhand.startExecution(promotion.toString())));
            pushed.add(deckhand.push("acme/billing-worker-staging", List.of("build-7"), ImageBehaviour.healthy()));
            outcomes.add(outcomeOf(deckhand, pushed.get(3)));
            assertThat(outcomes).containsExactly("SUCCEEDED", "Deckhand.RolledBack", "Deckhand.DeploymentFailed",
                    "SUCCEEDED", "SUCCEEDED");

            List<String> tagOnly = new ArrayList<>();
            int containers = 0;
            List<String> registered = revisions(deckhand).stream().filter(arn -> !baseline.contains(arn)).toList();
            for (String arn : registered) {
                TaskDefinition definition = deckhand.sdk().ecs().describeTaskDefinition(request -> request.taskDefinition(arn))
                        .taskDefinition();
                for (ContainerDefinition container : definition.containerDefinitions()) {
                    containers++;
                    if (!container.image().matches(".+@sha256:[0-9a-f]{64}")) {
                        tagOnly.add(arn + " " + container.name() + ": " + container.image());
                    }
                    assertThat(pushed).as("%s names an image that was pushed", arn).extracting(EcrImage::uri)
                            .contains(container.image());
                }
            }
            System.out.printf("pinned images: %d revisions registered after the baseline (%d containers) after success, "
                    + "rollback, migration failure, promotion and a single-container push: %d tag-only images%n",
                    registered.size(), containers, tagOnly.size());
            // main-1, main-2, main-3 in dev, main-1 promoted to staging, build-7: one revision each.
            assertThat(registered).hasSize(5);
            assertThat(tagOnly).as("revisions naming an image by tag").isEmpty();
        }
    }

    private static List<String> revisions(LocalDeckhand deckhand) {
        return deckhand.sdk().ecs().listTaskDefinitionsPaginator(request -> { }).taskDefinitionArns().stream().toList();
    }

    private static String outcomeOf(LocalDeckhand deckhand, EcrImage image) throws InterruptedException {
        return end(deckhand, deckhand.executionStartedBy(image, TIMEOUT));
    }

    private static String end(LocalDeckhand deckhand, String executionArn) throws InterruptedException {
        ExecutionDescription end = deckhand.awaitCompletion(executionArn, TIMEOUT);
        return end.error() != null ? end.error() : end.status().name();
    }
}
