package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.config.NotificationSettings;
import dev.deckhand.errors.AwsRequestRejectedException;
import dev.deckhand.errors.TransientAwsException;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.notify.DeploymentReport;
import dev.deckhand.notify.NotificationChannel;
import java.time.Duration;
import java.util.List;

/**
 * Emits every report as an EventBridge event ({@code source: deckhand}, detail-type
 * {@value #DETAIL_TYPE}), so other systems can react with their own rules.
 *
 * <p>PutEvents succeeds as a call while single entries fail ("eb-putevents", Handling failures
 * with PutEvents: "You must detect unsuccessful entries and include them in a subsequent call").
 * An entry that failed with a retryable ErrorCode ({@code ThrottlingException},
 * {@code InternalFailure}) is sent again, a bounded number of times with a short backoff.
 *
 * <p>Sent through {@link AwsJsonClient} (AWS JSON 1.1, {@code AWSEvents.PutEvents}; API_PutEvents:
 * request {@code Entries[]} of Source, DetailType, Detail, EventBusName, Resources; response
 * {@code FailedEntryCount} and {@code Entries[]} with ErrorCode and ErrorMessage per failed entry).
 */
public final class EventBridgeChannel implements NotificationChannel {

    public static final String SOURCE = "deckhand";
    public static final String DETAIL_TYPE = "Deckhand Deployment Outcome";
    /** Sends of one event, the first included. */
    static final int SENDS = 4;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final List<String> RETRYABLE = List.of("ThrottlingException", "InternalFailure");

    private final AwsJsonClient events;
    private final String busName;

    public EventBridgeChannel(AwsJsonClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public String name() {
        return "eventbridge";
    }

    @Override
    public boolean send(DeploymentReport report, NotificationSettings settings) throws Exception {
        String detail = DeckhandJson.MAPPER.writeValueAsString(report);
        ObjectNode request = DeckhandJson.MAPPER.createObjectNode();
        ObjectNode entry = request.putArray("Entries").addObject().put("Source", SOURCE).put("DetailType", DETAIL_TYPE)
                .put("Detail", detail).put("EventBusName", busName);
        var resources = entry.putArray("Resources"); // empty when there is no execution, as the SDK sent it
        if (report.executionArn() != null) {
            resources.add(report.executionArn());
        }
        Duration backoff = FIRST_BACKOFF;
        for (int send = 1; ; send++) {
            JsonNode response = AwsCalls.call("put event on " + busName, () -> events.call("PutEvents", request));
            if (response.path("FailedEntryCount").asInt(0) == 0) {
                return true;
            }
            JsonNode failed = response.path("Entries").path(0);
            String errorCode = failed.path("ErrorCode").asText(null);
            String error = errorCode + ": " + failed.path("ErrorMessage").asText(null);
            if (!RETRYABLE.contains(errorCode)) {
                throw new AwsRequestRejectedException("EventBridge refused the event on " + busName + " (" + error + ")",
                        null);
            }
            if (send == SENDS) {
                throw new TransientAwsException("EventBridge failed the event on " + busName + " " + SENDS
                        + " times (" + error + ")", null);
            }
            Thread.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2);
        }
    }
}
