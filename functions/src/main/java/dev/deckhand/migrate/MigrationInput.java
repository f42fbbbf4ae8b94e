package dev.deckhand.migrate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deploy.Release;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.json.JsonHandler;
import dev.deckhand.json.StepInputs;
import dev.deckhand.wait.WaitKey;
import dev.deckhand.wait.WaitRouter;
import java.util.Map;

/** What the definition asks of run-migration, one record per action. */
public sealed interface MigrationInput {

    StepInputs<MigrationInput> ACTIONS = StepInputs.<MigrationInput>of("start", Start::parse)
            .or("startVerification", StartVerification::parse)
            .or("check", Check::parse);

    /**
     * Does what the action asks of the service; the result is the step's output. {@code waits}
     * stores what a starting step waits for (Deckhand's own account, whatever the target's).
     */
    Object runWith(MigrationService service, WaitRouter waits);

    /** Where the action acts (its account decides the credentials). */
    DeploymentTarget target();

    /**
     * Starts the migration task of this attempt (idempotently, by its client token) and, as a
     * {@code .waitForTaskToken} state, stores its token keyed by the task: the task's STOPPED
     * event answers the state.
     */
    record Start(DeploymentTarget target, Release release, int attempt, String taskToken, String executionArn)
            implements MigrationInput {
        static Start parse(JsonNode event) {
            return new Start(targetWith(event, "migration"), JsonHandler.field(event, "release", Release.class),
                    event.path("attempt").asInt(1), StepInputs.required(event, "taskToken"),
                    StepInputs.required(event, "executionArn"));
        }

        @Override
        public Object runWith(MigrationService service, WaitRouter waits) {
            return awaitStopped(service.start(target, release, attempt), waits, taskToken, executionArn);
        }
    }

    /**
     * Starts the verification task of this attempt once the release is healthy and, like the
     * migration's start, stores its token keyed by the task: its STOPPED event answers the state.
     */
    record StartVerification(DeploymentTarget target, Release release, int attempt, String taskToken,
            String executionArn) implements MigrationInput {
        static StartVerification parse(JsonNode event) {
            return new StartVerification(targetWith(event, "verification"), JsonHandler.field(event, "release", Release.class),
                    event.path("attempt").asInt(1), StepInputs.required(event, "taskToken"),
                    StepInputs.required(event, "executionArn"));
        }

        @Override
        public Object runWith(MigrationService service, WaitRouter waits) {
            return awaitStopped(service.startVerification(target, release, attempt), waits, taskToken, executionArn);
        }
    }

    /** Stores the starting state's token keyed by the task it started: the task's STOPPED event answers it. */
    private static MigrationRun awaitStopped(MigrationRun run, WaitRouter waits, String taskToken, String executionArn) {
        waits.await(WaitKey.task(run.taskArn()), DeckhandJson.MAPPER.valueToTree(run), taskToken, executionArn);
        return run;
    }

    /**
     * One look at the migration or the verification task. Without {@code migration} (the heartbeat path of "Start
     * database migration", whose own result Step Functions does not keep), the task is the one the
     * execution's wait was stored with. The answer carries the migration on.
     */
    record Check(DeploymentTarget target, MigrationRun migration, String executionArn) implements MigrationInput {
        static Check parse(JsonNode event) {
            MigrationRun migration = event.hasNonNull("migration")
                    ? JsonHandler.field(event, "migration", MigrationRun.class) : null;
            return new Check(JsonHandler.field(event, "target", DeploymentTarget.class), migration, migration == null
                    ? StepInputs.required(event, "executionArn") : event.path("executionArn").asText(""));
        }

        @Override
        public Object runWith(MigrationService service, WaitRouter waits) {
            MigrationRun stored = executionArn.isEmpty() ? null : waits.endWaits(executionArn, WaitKey.TASK)
                    .map(started -> DeckhandJson.MAPPER.convertValue(started, MigrationRun.class)).orElse(null);
            MigrationRun run = migration != null ? migration : stored;
            if (run == null) {
                throw new InvalidInputException("migration: none given, and execution " + executionArn + " waits for no migration task");
            }
            MigrationProgress progress = service.check(target, run);
            return Map.of("status", progress.status(), "taskArn", progress.taskArn(), "detail", progress.detail(),
                    "migration", run);
        }
    }

    /** The target, which must have the one-off task asked for (the definition only asks when it has). */
    private static DeploymentTarget targetWith(JsonNode event, String task) {
        DeploymentTarget target = JsonHandler.field(event, "target", DeploymentTarget.class);
        if ((task.equals("migration") ? target.migration() : target.verification()) == null) {
            throw new InvalidInputException("target." + task + ": this environment has no " + task);
        }
        return target;
    }
}
