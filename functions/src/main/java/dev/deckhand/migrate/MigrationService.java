package dev.deckhand.migrate;

import dev.deckhand.config.MigrationSettings;
import dev.deckhand.deploy.Release;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.MigrationFailedException;
import dev.deckhand.errors.VerificationFailedException;
import java.time.Clock;
import java.time.Duration;

/**
 * Runs the configured migration as a one-off task of the new revision, before the service is
 * updated, and judges it by the exit code of the migration container.
 */
public final class MigrationService {

    private final MigrationTasks tasks;
    private final Clock clock;

    public MigrationService(MigrationTasks tasks, Clock clock) {
        this.tasks = tasks;
        this.clock = clock;
    }

    public MigrationRun start(DeploymentTarget target, Release release, int attempt) {
        MigrationSettings migration = target.migration();
        String container = migration.container() != null ? migration.container() : release.container();
        // The client token makes retries within one attempt safe; a console rerun after a stopped or
        // rolled-back attempt is a new attempt, and must not run the migration again while it still
        // runs or after it succeeded: adopt that task instead.
        String taskArn = tasks.startedWith(target.cluster(), release.taskDefinition()).stream()
                .filter(task -> {
                    MigrationStatus status = MigrationVerdict.judge(task, container);
                    return status instanceof MigrationStatus.Running || status instanceof MigrationStatus.Succeeded;
                })
                .map(TaskSnapshot::taskArn).findFirst()
                .orElseGet(() -> tasks.start(target.cluster(), target.ecsService(), release.taskDefinition(), container,
                        migration.command(), MigrationClientToken.of(target.deploymentId().value(), attempt)));
        return new MigrationRun(taskArn, release.taskDefinition(), container, clock.instant(), migration.timeoutSeconds(),
                MigrationRun.MIGRATION);
    }

    /**
     * Starts the verification task of this attempt, once the new revision is healthy: the same
     * machinery as the migration (the service's network settings, Deckhand's tag, its own client
     * token, so a retried step starts no second task). A rerun verifies again: nothing is adopted.
     */
    public MigrationRun startVerification(DeploymentTarget target, Release release, int attempt) {
        MigrationSettings verification = target.verification();
        String container = verification.container() != null ? verification.container() : release.container();
        String taskArn = tasks.start(target.cluster(), target.ecsService(), release.taskDefinition(), container,
                verification.command(), MigrationClientToken.of(target.deploymentId().value(), MigrationRun.VERIFICATION,
                        attempt));
        return new MigrationRun(taskArn, release.taskDefinition(), container, clock.instant(),
                verification.timeoutSeconds(), MigrationRun.VERIFICATION);
    }

    /**
     * One look at a migration or a verification task, judged alike.
     *
     * @throws MigrationFailedException (a migration) or {@link VerificationFailedException} (a
     *     verification task) when the container exited non-zero, never ran, or the task ran past its
     *     timeout (it is stopped first)
     */
    public MigrationProgress check(DeploymentTarget target, MigrationRun run) {
        TaskSnapshot task = tasks.describe(target.cluster(), run.taskArn());
        MigrationStatus status = MigrationVerdict.judge(task, run.container());
        if (status instanceof MigrationStatus.Succeeded) {
            return new MigrationProgress("SUCCEEDED", run.taskArn(), "exit code 0");
        }
        if (status instanceof MigrationStatus.Failed failed) {
            throw failure(run, run.what() + " exited with code " + failed.exitCode() + ": " + failed.reason() + logs(run));
        }
        if (status instanceof MigrationStatus.NeverStarted never) {
            throw failure(run, run.what() + (run.purpose().equals(MigrationRun.MIGRATION) ? " task" : "")
                    + " stopped before it ran (" + never.stopCode() + "): " + never.reason());
        }
        Duration running = Duration.between(run.startedAt(), clock.instant());
        if (running.getSeconds() >= run.timeoutSeconds()) {
            tasks.stop(target.cluster(), run.taskArn(), "Deckhand: " + run.what() + " timed out after "
                    + run.timeoutSeconds() + " s");
            throw failure(run, run.what() + " timed out after " + run.timeoutSeconds() + " s and was stopped" + logs(run));
        }
        return new MigrationProgress("RUNNING", run.taskArn(), ((MigrationStatus.Running) status).lastStatus());
    }

    private static RuntimeException failure(MigrationRun run, String message) {
        return MigrationRun.MIGRATION.equals(run.purpose()) ? new MigrationFailedException(message)
                : new VerificationFailedException(message);
    }

    private String logs(MigrationRun run) {
        LogTail tail = LogTail.of(tasks.lastLogLines(run.taskDefinition(), run.container(), run.taskArn(),
                LogTail.MAX_LINES));
        return tail.isEmpty() ? "" : "; last log lines:\n" + tail.text();
    }
}
