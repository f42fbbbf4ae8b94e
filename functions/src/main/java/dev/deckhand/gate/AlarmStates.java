package dev.deckhand.gate;

import java.util.List;
import java.util.Map;

/** The state of CloudWatch alarms (CloudWatch's DescribeAlarms). */
public interface AlarmStates {

    /**
     * @param names at most {@link AlarmGate#MAX_ALARMS} alarm names
     * @return each existing alarm's state ({@code OK}, {@code ALARM} or {@code INSUFFICIENT_DATA});
     *     an alarm that does not exist is absent
     */
    Map<String, String> statesOf(List<String> names);
}
