package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.aws.AwsClients;
import dev.deckhand.aws.AwsJsonClient;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecr.LocalEcr;
import dev.deckhand.local.testing.AwsJsonHarness;
import dev.deckhand.local.testing.ManualClock;
import dev.deckhand.local.testing.RecordedEvents;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Service;

/** The simulated ECS and ECR behind the real EcsClient, on a manual clock, with recorded events. */
final class Workloads implements AutoCloseable {

    static final String ACCOUNT = "123456789012";
    static final String REGISTRY = ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com";

    final ManualClock clock = ManualClock.startingAt("2026-11-23T10:00:00Z");
    final RecordedEvents events = new RecordedEvents();
    final LocalEcr ecr = new LocalEcr("us-east-1", ACCOUNT, clock, events);
    final LocalEcs ecs;
    final AwsJsonHarness harness;
    final EcsClient client;
    /** ECS's JSON API as Deckhand's functions reach it ({@link AwsClients#ecs()}), on the same harness. */
    final AwsJsonClient json;

    Workloads() throws IOException {
        this(WorkloadTiming.defaults().withHealthHangLimit(Duration.ofSeconds(5)));
    }

    Workloads(WorkloadTiming timing) throws IOException {
        ecs = new LocalEcs("us-east-1", ACCOUNT, clock, ecr, events, timing);
        harness = AwsJsonHarness.start(ecs, ecr);
        client = harness.client(EcsClient.builder());
        json = AwsClients.forEndpoint(harness.endpoint(), Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).ecs();
    }

    EcrImage push(String repository, String tag, ImageBehaviour behaviour) {
        ecr.ensureRepository(repository);
        return ecr.push(repository, List.of(tag), behaviour);
    }

    /** Registers a Fargate revision of {@code family} with one essential container "app". */
    String register(String family, String image) {
        return client.registerTaskDefinition(r -> r.family(family)
                .networkMode("awsvpc").requiresCompatibilitiesWithStrings("FARGATE").cpu("256").memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("app").image(image).build()))
                .taskDefinition().taskDefinitionArn();
    }

    Service describe(String cluster, String service) {
        return client.describeServices(r -> r.cluster(cluster).services(service)).services().get(0);
    }

    void advance(Duration duration) {
        clock.advance(duration);
    }

    List<ObjectNode> deploymentEvents() {
        return events.ofType("ECS Deployment State Change");
    }

    @Override
    public void close() {
        client.close();
        harness.close();
        ecs.close();
    }
}
