package dev.deckhand.gate;

import dev.deckhand.errors.AlarmNotFoundException;
import java.util.List;
import java.util.Map;

/**
 * The answer of "Check the alarms".
 *
 * @param clear whether no gate alarm is in ALARM
 * @param alarming the gate alarms in ALARM, in configuration order
 * @param reason one line for the history and the notifications
 */
public record AlarmCheck(boolean clear, List<String> alarming, String reason) {

    public AlarmCheck {
        alarming = List.copyOf(alarming);
    }

    /**
     * Decides the gate from the alarms' states. Only ALARM closes it: INSUFFICIENT_DATA says the
     * metric is silent, not that something is wrong. An alarm that does not exist fails the
     * deployment: a gate that silently checks nothing would be worse than none.
     *
     * @throws AlarmNotFoundException naming the configured alarms CloudWatch does not have
     */
    public static AlarmCheck of(AlarmGate gate, Map<String, String> states) {
        List<String> missing = gate.alarms().stream().filter(name -> !states.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            throw new AlarmNotFoundException("the alarm gate names " + (missing.size() == 1 ? "an alarm" : "alarms")
                    + " CloudWatch does not have: " + String.join(", ", missing)
                    + " (alarm names are exact and case-sensitive, in Deckhand's account and region)");
        }
        List<String> alarming = gate.alarms().stream().filter(name -> "ALARM".equals(states.get(name))).toList();
        return alarming.isEmpty()
                ? new AlarmCheck(true, alarming, "no gate alarm is in ALARM (" + String.join(", ", gate.alarms()) + ")")
                : new AlarmCheck(false, alarming, "in ALARM: " + String.join(", ", alarming));
    }
}
