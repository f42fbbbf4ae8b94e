package dev.deckhand.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.statemachine.clock.RealTimeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The same engine on wall-clock time, for demos that should be watched. */
class RealTimeExecutionTest {

    @Test
    void waitStatesReallyWaitOnTheRealTimeClock() throws InterruptedException {
        try (StepFunctionsEngine engine = new StepFunctionsEngine(new RealTimeClock(), new TaskResources())) {
            String machine = engine.createStateMachine("real", StateMachineDefinition.parse("""
                    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}}"""));

            ExecutionDescription done = engine.awaitCompletion(engine.startExecution(machine, "r1", "{}"),
                    Duration.ofSeconds(10));

            assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(Duration.between(done.startDate(), done.stopDate())).isBetween(Duration.ofSeconds(1),
                    Duration.ofSeconds(5));
        }
    }
}
