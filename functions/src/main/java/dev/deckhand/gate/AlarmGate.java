package dev.deckhand.gate;

import java.util.List;

/**
 * An environment's alarm gate: before the service (or its database) changes, none of the named
 * CloudWatch alarms may be in ALARM. A deploy on top of an ongoing incident is refused, or waits
 * for the alarms to clear, re-checking every {@link #CHECK_INTERVAL_SECONDS} for at most
 * {@code maxWaitMinutes}.
 *
 * @param alarms alarm names in Deckhand's account and region, 1 to {@link #MAX_ALARMS}
 * @param whenAlarming what a deployment does when one is in ALARM
 * @param maxWaitMinutes how long a waiting deployment re-checks before it is refused
 */
public record AlarmGate(List<String> alarms, WhenAlarming whenAlarming, int maxWaitMinutes) {

    /** API_DescribeAlarms, AlarmNames: "Maximum number of 100 items", so one call answers the gate. */
    public static final int MAX_ALARMS = 100;
    /**
     * A metric alarm changes state at most once per evaluation period, which is 60 s for standard
     * metrics (10 or 30 s only for high-resolution ones): checking every minute notices a clearing
     * within a period and costs one Lambda invocation and two transitions a minute while it waits.
     */
    public static final int CHECK_INTERVAL_SECONDS = 60;
    public static final int DEFAULT_MAX_WAIT_MINUTES = 30;

    /** What a deployment does when a gate alarm is in ALARM. */
    public enum WhenAlarming {
        REFUSE,
        WAIT
    }

    public AlarmGate {
        alarms = List.copyOf(alarms);
    }
}
