package dev.deckhand.statemachine.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatedClockTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void scheduledActionsRunInInstantOrderAtTheirInstant() throws InterruptedException {
        SimulatedClock clock = new SimulatedClock(T0);
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        EngineClock.Activity setup = clock.beginActivity();
        clock.schedule(T0.plusSeconds(30), () -> { log.add("30@" + clock.now()); done.countDown(); });
        clock.schedule(T0.plusSeconds(10), () -> { log.add("10@" + clock.now()); done.countDown(); });
        clock.schedule(T0.plusSeconds(20), () -> { log.add("20@" + clock.now()); done.countDown(); });
        setup.close();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(log).containsExactly("10@" + T0.plusSeconds(10), "20@" + T0.plusSeconds(20), "30@" + T0.plusSeconds(30));
    }

    @Test
    void timeStandsStillWhileAnActivityIsOpen() throws InterruptedException {
        SimulatedClock clock = new SimulatedClock(T0);
        CountDownLatch fired = new CountDownLatch(1);
        EngineClock.Activity busy = clock.beginActivity();
        clock.schedule(T0.plusSeconds(60), fired::countDown);

        assertThat(fired.await(100, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(clock.now()).isEqualTo(T0);
        busy.close();
        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(clock.now()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void aSignalRaisedFromAnotherThreadWakesItsWaiterBeforeTheDeadline() throws Exception {
        SimulatedClock clock = new SimulatedClock(T0);
        EngineClock.Signal signal = clock.newSignal();
        EngineClock.Activity participant = clock.beginActivity();
        EngineClock.Activity outside = clock.beginActivity();
        Thread raiser = new Thread(() -> {
            signal.raise();
            outside.close();
        });
        raiser.start();

        boolean raised = clock.await(signal, T0.plusSeconds(3600));

        participant.close();
        assertThat(raised).isTrue();
        assertThat(clock.now()).isEqualTo(T0);
    }

    @Test
    void awaitWithoutASignalReturnsFalseAtTheDeadlineInstantly() throws Exception {
        SimulatedClock clock = new SimulatedClock(T0);
        long startNanos = System.nanoTime();
        EngineClock.Activity participant = clock.beginActivity();
        boolean raised = clock.await(clock.newSignal(), T0.plus(Duration.ofDays(7)));
        participant.close();

        assertThat(raised).isFalse();

        assertThat(clock.now()).isEqualTo(T0.plus(Duration.ofDays(7)));
        assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aThreadThatIsNotAParticipantCannotWait() {
        SimulatedClock clock = new SimulatedClock(T0);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> clock.sleepUntil(T0.plusSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("beginActivity");
    }

    @Test
    void javaClockViewReadsTheSameTime() throws Exception {
        SimulatedClock clock = new SimulatedClock(T0);
        EngineClock.Activity participant = clock.beginActivity();
        clock.sleepUntil(T0.plusSeconds(42));
        participant.close();

        assertThat(clock.asJavaClock().instant()).isEqualTo(T0.plusSeconds(42));
    }

    @Test
    void realTimeClockWaitsForReal() throws Exception {
        RealTimeClock clock = new RealTimeClock();
        Instant before = clock.now();

        boolean raised = clock.await(clock.newSignal(), before.plusMillis(50));

        assertThat(raised).isFalse();
        assertThat(Duration.between(before, clock.now())).isGreaterThanOrEqualTo(Duration.ofMillis(50));
    }
}
