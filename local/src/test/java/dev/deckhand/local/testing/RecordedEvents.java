package dev.deckhand.local.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.aws.EventPublisher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An EventBridge stand-in that keeps every published event, in order. */
public final class RecordedEvents implements EventPublisher {

    private final List<ObjectNode> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(ObjectNode event) {
        events.add(event);
    }

    public List<ObjectNode> all() {
        return List.copyOf(events);
    }

    public List<ObjectNode> ofType(String detailType) {
        return events.stream().filter(e -> e.path("detail-type").asText().equals(detailType)).toList();
    }

    public void clear() {
        events.clear();
    }
}
