package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.errors.AwsRequestRejectedException;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.notify.DeploymentReport;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * EventBridge PutEvents through AwsJsonClient. API_PutEvents: request Entries[] with Source,
 * DetailType, Detail (a JSON string), EventBusName and Resources; the call can succeed while an
 * entry fails, with FailedEntryCount and the entry's ErrorCode and ErrorMessage. Target prefix
 * AWSEvents, signed for "events". The resending of throttled entries runs against the local bus
 * in EventBridgeChannelIT.
 */
class EventBridgeChannelTest {

    private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

    private final LoopbackAwsService events = new LoopbackAwsService();

    @AfterEach
    void stop() {
        events.close();
    }

    @Test
    void putsTheReportAsOneEventOnTheBus() throws Exception {
        events.answer(200, "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}");
        DeploymentReport report = report("arn:aws:states:eu-west-1:123456789012:execution:deckhand:x");

        assertThat(new EventBridgeChannel(events.clients().events(), "deckhand-bus").send(report, null)).isTrue();

        LoopbackAwsService.Request request = events.requests().get(0);
        assertThat(request.target()).isEqualTo("AWSEvents.PutEvents");
        assertThat(request.contentType()).isEqualTo("application/x-amz-json-1.1");
        assertThat(request.authorization()).contains("/eu-west-1/events/aws4_request");
        JsonNode entry = request.json().path("Entries").get(0);
        assertThat(request.json().path("Entries")).hasSize(1);
        assertThat(entry.path("Source").asText()).isEqualTo("deckhand");
        assertThat(entry.path("DetailType").asText()).isEqualTo("Deckhand Deployment Outcome");
        assertThat(entry.path("EventBusName").asText()).isEqualTo("deckhand-bus");
        assertThat(entry.path("Resources")).containsExactly(
                DeckhandJson.MAPPER.getNodeFactory().textNode(report.executionArn()));
        assertThat(DeckhandJson.MAPPER.readTree(entry.path("Detail").asText()))
                .isEqualTo(DeckhandJson.MAPPER.valueToTree(report));
    }

    @Test
    void aReportWithoutAnExecutionNamesNoResource() throws Exception {
        events.answer(200, "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}");

        new EventBridgeChannel(events.clients().events(), "default").send(report(null), null);

        assertThat(events.requests().get(0).json().path("Entries").get(0).path("Resources")).isEmpty();
    }

    @Test
    void anEntryRefusedForGoodIsRejectedWithoutResending() {
        events.answer(200, "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"MalformedDetail\","
                + "\"ErrorMessage\":\"Detail is malformed.\"}]}");

        assertThatThrownBy(() -> new EventBridgeChannel(events.clients().events(), "default").send(report(null), null))
                .isInstanceOf(AwsRequestRejectedException.class)
                .hasMessage("EventBridge refused the event on default (MalformedDetail: Detail is malformed.)");
        assertThat(events.requests()).hasSize(1);
    }

    @Test
    void aThrottledEntryIsResentUntilItIsPut() throws Exception {
        events.answer(200, "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"ThrottlingException\","
                + "\"ErrorMessage\":\"Rate exceeded\"}]}")
                .answer(200, "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-2\"}]}");

        assertThat(new EventBridgeChannel(events.clients().events(), "default").send(report(null), null)).isTrue();
        assertThat(events.requests()).hasSize(2);
        assertThat(events.requests().get(1).body()).isEqualTo(events.requests().get(0).body());
    }

    private static DeploymentReport report(String executionArn) {
        return new DeploymentReport(Outcome.SUCCEEDED, "Deployed v1 to web/prod", "web.prod.0000000000000001", 1,
                "web", "prod", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:" + "0".repeat(64), "v1",
                "PUSH", null, executionArn, START, START.plusSeconds(300), null);
    }
}
