package dev.deckhand.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Task shapes as DescribeTasks reports them (API_Task, API_Container: exitCode absent until the container ran). */
class MigrationVerdictTest {

    static Stream<Arguments> tasks() {
        return Stream.of(
                Arguments.of("still provisioning", task("PROVISIONING", null, null, migrate("PENDING", null, null)),
                        "Running[lastStatus=PROVISIONING]"),
                Arguments.of("running", task("RUNNING", null, null, migrate("RUNNING", null, null)),
                        "Running[lastStatus=RUNNING]"),
                Arguments.of("exited 0", task("STOPPED", "EssentialContainerExited", "Essential container in task exited",
                        migrate("STOPPED", 0, null)), "Succeeded[]"),
                Arguments.of("exited 1", task("STOPPED", "EssentialContainerExited", "Essential container in task exited",
                        migrate("STOPPED", 1, null)),
                        "Failed[exitCode=1, reason=Essential container in task exited]"),
                Arguments.of("sidecar exits 0 while the migration exits 1",
                        task("STOPPED", "EssentialContainerExited", "Essential container in task exited",
                                new ContainerSnapshot("log-router", "STOPPED", 0, null), migrate("STOPPED", 1, null)),
                        "Failed[exitCode=1, reason=Essential container in task exited]"),
                Arguments.of("image never pulled", task("STOPPED", "TaskFailedToStart",
                                "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
                                migrate("STOPPED", null, "CannotPullContainerError")),
                        "NeverStarted[stopCode=TaskFailedToStart, reason=CannotPullContainerError: pull image manifest "
                                + "has been retried 5 time(s); migrate: CannotPullContainerError]"),
                Arguments.of("stopped by Deckhand's timeout", task("STOPPED", "UserInitiated",
                                "Deckhand: migration timed out after 600 s", migrate("STOPPED", 137, null)),
                        "Failed[exitCode=137, reason=Deckhand: migration timed out after 600 s]"),
                Arguments.of("no such container", task("STOPPED", "EssentialContainerExited", null,
                                new ContainerSnapshot("web", "STOPPED", 0, null)),
                        "NeverStarted[stopCode=EssentialContainerExited, reason=the task has no container named 'migrate']"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tasks")
    void judgesTheNamedContainersExitCode(String situation, TaskSnapshot task, String expected) {
        assertThat(MigrationVerdict.judge(task, "migrate").toString()).isEqualTo(expected);
    }

    private static TaskSnapshot task(String lastStatus, String stopCode, String stoppedReason,
            ContainerSnapshot... containers) {
        return new TaskSnapshot("arn:aws:ecs:eu-west-1:123456789012:task/acme-dev/0123456789abcdef", lastStatus,
                stopCode, stoppedReason, List.of(containers));
    }

    private static ContainerSnapshot migrate(String lastStatus, Integer exitCode, String reason) {
        return new ContainerSnapshot("migrate", lastStatus, exitCode, reason);
    }
}
