package dev.deckhand.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.aws.Environment;
import dev.deckhand.json.JsonStepHandler;

/** run-migration: {@code start} and {@code check}, as the definition names them. */
public final class MigrationHandler extends JsonStepHandler {

    private final MigrationService service;

    /** Used by the Lambda runtime. */
    public MigrationHandler() {
        this(Environment.migrationService());
    }

    public MigrationHandler(MigrationService service) {
        this.service = service;
    }


    @Override
    protected Object step(JsonNode event) {
        return MigrationInput.ACTIONS.parse(event).runWith(service);
    }
}
