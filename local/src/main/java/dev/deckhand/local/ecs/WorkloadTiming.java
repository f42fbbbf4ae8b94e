package dev.deckhand.local.ecs;

import java.time.Duration;
import java.util.Objects;

/**
 * How long simulated workloads take, in simulated time (except {@code healthHangLimit}, which is
 * real time because a hanging health check holds a real connection).
 *
 * @param provisioning launch to PENDING (network interface attached)
 * @param taskStart launch to RUNNING (includes provisioning and the image pull); a pull failure
 *     stops the task at this point
 * @param steadyState RUNNING to the rollout's COMPLETED (health checks pass, old tasks drain)
 * @param oneOffRun RUNNING to the exit of a one-off task's container
 * @param crashAfter RUNNING to the exit of a container that crashes on start
 * @param healthHangLimit how long a hanging health check keeps the connection before answering 504
 */
public record WorkloadTiming(Duration provisioning, Duration taskStart, Duration steadyState, Duration oneOffRun,
                             Duration crashAfter, Duration healthHangLimit) {

    public WorkloadTiming {
        Objects.requireNonNull(provisioning, "provisioning");
        Objects.requireNonNull(taskStart, "taskStart");
        Objects.requireNonNull(steadyState, "steadyState");
        Objects.requireNonNull(oneOffRun, "oneOffRun");
        Objects.requireNonNull(crashAfter, "crashAfter");
        Objects.requireNonNull(healthHangLimit, "healthHangLimit");
        if (provisioning.compareTo(taskStart) > 0) {
            throw new IllegalArgumentException("provisioning (" + provisioning + ") must not exceed taskStart ("
                    + taskStart + ")");
        }
    }

    /**
     * Tasks RUNNING 5 s after launch, a healthy rollout COMPLETED 20 s after it starts, a one-off
     * task exiting 10 s after it starts running, a crash 1 s after start, hanging health checks
     * held for 30 s.
     */
    public static WorkloadTiming defaults() {
        return new WorkloadTiming(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** The same timing with another real-time limit for hanging health checks (tests use a short one). */
    public WorkloadTiming withHealthHangLimit(Duration limit) {
        return new WorkloadTiming(provisioning, taskStart, steadyState, oneOffRun, crashAfter, limit);
    }
}
