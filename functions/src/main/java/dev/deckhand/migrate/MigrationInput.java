package dev.deckhand.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deploy.Release;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.json.StepInputs;

/** What the definition asks of run-migration, one record per action. */
public sealed interface MigrationInput {

    StepInputs<MigrationInput> ACTIONS = StepInputs.<MigrationInput>of("start", Start::parse)
            .or("check", Check::parse);

    /** Does what the action asks of the service; the result is the step's output. */
    Object runWith(MigrationService service);

    /** Where the action acts (its account decides the credentials). */
    DeploymentTarget target();

    /** Starts the migration task of this attempt (idempotently, by its client token). */
    record Start(DeploymentTarget target, Release release, int attempt) implements MigrationInput {
        static Start parse(JsonNode event) {
            return new Start(targetIn(event), JsonHandler.field(event, "release", Release.class),
                    event.path("attempt").asInt(1));
        }

        @Override
        public Object runWith(MigrationService service) {
            return service.start(target, release, attempt);
        }
    }

    /** One look at the running migration task. */
    record Check(DeploymentTarget target, MigrationRun migration) implements MigrationInput {
        static Check parse(JsonNode event) {
            return new Check(targetIn(event), JsonHandler.field(event, "migration", MigrationRun.class));
        }

        @Override
        public Object runWith(MigrationService service) {
            return service.check(target, migration);
        }
    }

    /** The target, which must have a migration (the definition only asks when it has). */
    private static DeploymentTarget targetIn(JsonNode event) {
        DeploymentTarget target = JsonHandler.field(event, "target", DeploymentTarget.class);
        if (target.migration() == null) {
            throw new InvalidInputException("target.migration: this environment has no migration");
        }
        return target;
    }
}
