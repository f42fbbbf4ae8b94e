package dev.deckhand.local.executions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExecutionProgressTest {

    private static final String LAMBDA_ERROR = "{\"errorMessage\":\"migration exited with code 1\","
            + "\"errorType\":\"dev.deckhand.errors.MigrationFailedException\",\"stackTrace\":[\"a.B.c(B.java:47)\"]}";

    @Test
    void aFailureIsOneLineWithTheErrorsShortNameAndItsMessageNeverAStackTrace() {
        assertThat(ExecutionProgress.failure("dev.deckhand.errors.MigrationFailedException", LAMBDA_ERROR))
                .isEqualTo("MigrationFailedException: migration exited with code 1");
        assertThat(ExecutionProgress.failure("Deckhand.DeploymentFailed",
                "dev.deckhand.errors.MigrationFailedException: " + LAMBDA_ERROR))
                .isEqualTo("DeploymentFailed: migration exited with code 1");
        assertThat(ExecutionProgress.failure("States.Timeout", "the task   timed\nout"))
                .isEqualTo("Timeout: the task timed out");
        assertThat(ExecutionProgress.failure(null, null)).isEqualTo(": ");
        assertThat(ExecutionProgress.failure("E", "x".repeat(400))).hasSize(150).endsWith("…");
    }

    @Test
    void clockShowsMinutesAndSeconds() {
        assertThat(ExecutionProgress.clock(Duration.ofSeconds(203))).isEqualTo("03:23");
        assertThat(ExecutionProgress.clock(Duration.ZERO)).isEqualTo("00:00");
    }
}
