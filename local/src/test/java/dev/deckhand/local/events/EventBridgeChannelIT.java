package dev.deckhand.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.aws.AwsClients;
import dev.deckhand.aws.EventBridgeChannel;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.errors.TransientAwsException;
import dev.deckhand.local.Clients;
import dev.deckhand.local.LocalCloud;
import dev.deckhand.local.fault.FaultInjector;
import dev.deckhand.local.fault.FaultKind;
import dev.deckhand.local.fault.FaultRule;
import dev.deckhand.notify.DeploymentReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * PutEvents per-entry failures ("eb-putevents", Handling failures with PutEvents: the call succeeds,
 * FailedEntryCount counts the failed entries, each with ErrorCode and ErrorMessage, and "you must
 * detect unsuccessful entries and include them in a subsequent call"), injected by the local
 * cloud and handled by Deckhand's {@link EventBridgeChannel} through its signed JSON client.
 */
class EventBridgeChannelIT {

    private static LocalCloud cloud;
    private static EventBridgeClient events;
    /** Deckhand's own client for the channel (AwsJsonClient); the SDK client above checks the bus. */
    private static AwsClients aws;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false).faultSeed(13).build().start();
        events = Clients.eventBridge(cloud);
        aws = AwsClients.forEndpoint(cloud.endpoint(), Region.of(cloud.region()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    @AfterAll
    static void stop() {
        events.close();
        cloud.close();
    }

    @AfterEach
    void clearFaults() {
        cloud.faults().clear();
    }

    @Test
    void theLocalBusFailsSingleEntriesWithRetryableCodesWhileTheCallSucceeds() {
        cloud.faults().add(FaultRule.failEntries("AWSEvents", "PutEvents", FaultKind.ENTRY_THROTTLED, 1));
        cloud.faults().add(FaultRule.failEntries("AWSEvents", "PutEvents", FaultKind.ENTRY_INTERNAL_FAILURE, 1));
        int before = cloud.events().events().size();

        PutEventsResponse response = events.putEvents(request -> request.entries(entry("a"), entry("b")));

        assertThat(response.failedEntryCount()).isEqualTo(2);
        assertThat(response.entries()).extracting(PutEventsResultEntry::errorCode)
                .containsExactly("ThrottlingException", "ThrottlingException");
        assertThat(response.entries()).allSatisfy(result -> assertThat(result.eventId()).isNull());
        assertThat(cloud.events().events()).hasSize(before);

        cloud.faults().clear();
        cloud.faults().add(FaultRule.failEntries("AWSEvents", "PutEvents", FaultKind.ENTRY_INTERNAL_FAILURE, 1));
        assertThat(events.putEvents(request -> request.entries(entry("c"))).entries())
                .extracting(PutEventsResultEntry::errorCode).containsExactly("InternalFailure");
    }

    @Test
    void theChannelResendsFailedEntriesUntilEachEventIsPutOnce() throws Exception {
        cloud.faults().add(FaultRule.failEntries("AWSEvents", "PutEvents", FaultKind.ENTRY_THROTTLED, 0.3));
        cloud.faults().resetCounts();
        EventBridgeChannel channel = new EventBridgeChannel(aws.events(), "default");
        List<String> deployments = List.of("web.prod.0000000000000001", "web.prod.0000000000000002",
                "web.prod.0000000000000003", "web.prod.0000000000000004", "web.prod.0000000000000005",
                "web.prod.0000000000000006", "web.prod.0000000000000007", "web.prod.0000000000000008");

        for (String deployment : deployments) {
            assertThat(channel.send(report(deployment), null)).isTrue();
        }

        for (String deployment : deployments) {
            assertThat(cloud.events().events()).as(deployment)
                    .filteredOn(event -> event.path("detail").path("deploymentId").asText().equals(deployment))
                    .hasSize(1);
        }
        assertThat(putEvents()).satisfies(count -> {
            assertThat(count.faulted()).as("entries failed and were resent").isPositive();
            assertThat(count.requests()).isEqualTo(deployments.size() + count.faulted());
        });
    }

    @Test
    void theChannelReportsAFailureWhenTheEntryStillFailsAfterItsResends() {
        cloud.faults().add(FaultRule.failEntries("AWSEvents", "PutEvents", FaultKind.ENTRY_INTERNAL_FAILURE, 1));
        cloud.faults().resetCounts();
        EventBridgeChannel channel = new EventBridgeChannel(aws.events(), "default");

        assertThatThrownBy(() -> channel.send(report("web.prod.00000000000000ff"), null))
                .isInstanceOf(TransientAwsException.class).hasMessageContaining("InternalFailure")
                .hasMessageContaining("4 times");
        assertThat(putEvents().requests()).isEqualTo(4);
        assertThat(cloud.events().events())
                .noneMatch(event -> event.path("detail").path("deploymentId").asText().equals("web.prod.00000000000000ff"));
    }

    private static FaultInjector.OperationCount putEvents() {
        return cloud.faults().counts().stream().filter(count -> count.operation().equals("PutEvents")).findFirst()
                .orElseThrow();
    }

    private static PutEventsRequestEntry entry(String name) {
        return PutEventsRequestEntry.builder().source("test").detailType("Entry").detail("{\"name\":\"" + name + "\"}")
                .build();
    }

    private static DeploymentReport report(String deploymentId) {
        return new DeploymentReport(Outcome.SUCCEEDED, "Deployed v1 to web/prod", deploymentId, 1, "web", "prod",
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:" + "0".repeat(64), "v1", "PUSH", null,
                null, Instant.parse("2026-12-06T10:00:00Z"), Instant.parse("2026-12-06T10:05:00Z"), null);
    }
}
