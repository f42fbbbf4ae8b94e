package dev.deckhand.local.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The steps of PRODUCTION_TRAFFIC_SHIFT (API_CanaryConfiguration: canaryPercent, then the rest;
 * API_LinearConfiguration: equal steps of stepPercent "until 100% of traffic is shifted") and
 * the weighted round robin that splits requests by them.
 */
class TrafficShiftTest {

    private final Deployment blue = new Deployment("ecs-svc/1", null, "blue", Instant.EPOCH, null, false, 1);
    private final Deployment green = new Deployment("ecs-svc/2", null, "green", Instant.EPOCH, null, false, 1);

    @Test
    void canaryShiftsItsPercentThenEverything() {
        assertThat(TrafficShifting.productionSteps(strategy("CANARY", 5.0, 10.0))).containsExactly(5.0, 100.0);
        assertThat(TrafficShifting.productionSteps(strategy("CANARY", 100.0, 10.0))).containsExactly(100.0);
    }

    @Test
    void linearShiftsInEqualStepsAndEndsAtExactlyOneHundred() {
        assertThat(TrafficShifting.productionSteps(strategy("LINEAR", 5.0, 25.0)))
                .containsExactly(25.0, 50.0, 75.0, 100.0);
        // 33.3 does not divide 100: three steps, then the remainder.
        assertThat(TrafficShifting.productionSteps(strategy("LINEAR", 5.0, 33.3)))
                .containsExactly(33.3, 66.6, 99.9, 100.0);
        assertThat(TrafficShifting.productionSteps(strategy("LINEAR", 5.0, 3.0))).hasSize(34).endsWith(99.0, 100.0);
    }

    @Test
    void blueGreenShiftsEverythingAtOnce() {
        assertThat(TrafficShifting.productionSteps(strategy("BLUE_GREEN", 5.0, 10.0))).containsExactly(100.0);
    }

    @Test
    void weightedRoundRobinGivesExactlyTheShareOverAnyHundredRequests() {
        for (double percent : List.of(0.0, 0.1, 5.0, 10.0, 33.3, 50.0, 99.9, 100.0)) {
            TrafficShift shift = new TrafficShift(null, null, blue, green, DeploymentStrategy.rolling());
            shift.productionPercent = percent;
            long toGreen = IntStream.range(0, 1000).mapToObj(i -> shift.route("production"))
                    .filter(d -> d == green).count();
            assertThat(toGreen).as(percent + "%").isEqualTo(Math.round(percent * 10));
        }
    }

    @Test
    void theListenersAreSplitIndependently() {
        TrafficShift shift = new TrafficShift(null, null, blue, green, DeploymentStrategy.rolling());
        shift.testPercent = 100;
        assertThat(IntStream.range(0, 10).mapToObj(i -> shift.route("test"))).containsOnly(green);
        assertThat(IntStream.range(0, 10).mapToObj(i -> shift.route("production"))).containsOnly(blue);
    }

    private static DeploymentStrategy strategy(String name, double canaryPercent, double stepPercent) {
        return new DeploymentStrategy(name, 0, canaryPercent, 1, stepPercent, 1, List.of(), List.of(), false, false);
    }
}
