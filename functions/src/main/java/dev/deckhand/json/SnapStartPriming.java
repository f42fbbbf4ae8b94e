package dev.deckhand.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: before Lambda takes a function's snapshot, one representative step event is
 * read and written through the very JSON path every invocation takes, so the classes and caches
 * Jackson builds lazily are in the snapshot instead of in the first invocation after a restore.
 * It calls nothing outside the process: no AWS request is made at publish time.
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-java.html)
 */
public final class SnapStartPriming implements Resource {

    private static final SnapStartPriming INSTANCE = new SnapStartPriming();
    private static boolean registered;

    private SnapStartPriming() {
    }

    /**
     * Registers the hook once per JVM (every handler's constructor calls this). The global context
     * keeps only a weak reference, hence the static instance.
     */
    public static synchronized void register() {
        if (!registered) {
            Core.getGlobalContext().register(INSTANCE);
            registered = true;
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Deckhand keeps no state of its own that a restore would make stale.
    }

    /** Reads and writes the priming event as an invocation does; returns what it read. */
    static JsonNode prime() {
        try (InputStream in = SnapStartPriming.class.getResourceAsStream("/priming/step-event.json")) {
            if (in == null) {
                throw new IllegalStateException("priming/step-event.json is missing from the functions jar");
            }
            JsonNode event = DeckhandJson.MAPPER.readTree(in);
            DeckhandJson.MAPPER.writeValueAsBytes(event);
            DeckhandJson.PAYLOADS.writeValueAsBytes(event);
            return event;
        } catch (IOException e) {
            throw new UncheckedIOException("SnapStart priming could not read its event", e);
        }
    }
}
