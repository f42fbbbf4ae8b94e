package dev.deckhand.aws;

import dev.deckhand.json.DeckhandJson;
import dev.deckhand.notify.DeploymentReport;
import dev.deckhand.notify.NotificationChannel;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * Emits every report as an EventBridge event ({@code source: deckhand}, detail-type
 * {@value #DETAIL_TYPE}), so other systems can react with their own rules.
 */
public final class EventBridgeChannel implements NotificationChannel {

    public static final String SOURCE = "deckhand";
    public static final String DETAIL_TYPE = "Deckhand Deployment Outcome";

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
    public boolean send(DeploymentReport report, String slackWebhookSecret) throws Exception {
        String detail = DeckhandJson.MAPPER.writeValueAsString(report);
        PutEventsResponse response = AwsCalls.call("put event on " + busName, () -> events.putEvents(request -> request
                .entries(entry -> entry.source(SOURCE).detailType(DETAIL_TYPE).detail(detail).eventBusName(busName)
                        .resources(report.executionArn() == null ? java.util.List.of() : java.util.List.of(report.executionArn())))));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            throw new IllegalStateException("EventBridge refused the event: " + response.entries().get(0).errorCode());
        }
        return true;
    }
}
