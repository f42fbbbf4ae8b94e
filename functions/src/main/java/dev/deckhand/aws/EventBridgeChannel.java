package dev.deckhand.aws;

import dev.deckhand.config.NotificationSettings;

import dev.deckhand.errors.AwsRequestRejectedException;
import dev.deckhand.errors.TransientAwsException;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.notify.DeploymentReport;
import dev.deckhand.notify.NotificationChannel;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Emits every report as an EventBridge event ({@code source: deckhand}, detail-type
 * {@value #DETAIL_TYPE}), so other systems can react with their own rules.
 *
 * <p>PutEvents succeeds as a call while single entries fail ("eb-putevents", Handling failures
 * with PutEvents: "You must detect unsuccessful entries and include them in a subsequent call").
 * An entry that failed with a retryable ErrorCode ({@code ThrottlingException},
 * {@code InternalFailure}) is sent again, a bounded number of times with a short backoff.
 */
public final class EventBridgeChannel implements NotificationChannel {

    public static final String SOURCE = "deckhand";
    public static final String DETAIL_TYPE = "Deckhand Deployment Outcome";
    /** Sends of one event, the first included. */
    static final int SENDS = 4;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final List<String> RETRYABLE = List.of("ThrottlingException", "InternalFailure");

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgeChannel(EventBridgeClient events, String busName) {
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
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder().source(SOURCE).detailType(DETAIL_TYPE)
                .detail(detail).eventBusName(busName)
                .resources(report.executionArn() == null ? List.of() : List.of(report.executionArn())).build();
        Duration backoff = FIRST_BACKOFF;
        for (int send = 1; ; send++) {
            PutEventsResponse response = AwsCalls.call("put event on " + busName, () -> events.putEvents(request -> request
                    .entries(entry)));
            if (response.failedEntryCount() == null || response.failedEntryCount() == 0) {
                return true;
            }
            PutEventsResultEntry failed = response.entries().get(0);
            String error = failed.errorCode() + ": " + failed.errorMessage();
            if (!RETRYABLE.contains(failed.errorCode())) {
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
