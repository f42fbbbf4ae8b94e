package dev.deckhand.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.errors.AlarmNotFoundException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alarm gate's verdict from the alarms' states (StateValue: OK, ALARM or INSUFFICIENT_DATA, API_MetricAlarm). */
class AlarmCheckTest {

    private static final AlarmGate GATE = new AlarmGate(List.of("api-5xx", "api-latency", "db-cpu"),
            AlarmGate.WhenAlarming.WAIT, 30);

    @Test
    void onlyAlarmClosesTheGateNotInsufficientData() {
        AlarmCheck clear = AlarmCheck.of(GATE, Map.of("api-5xx", "OK", "api-latency", "INSUFFICIENT_DATA", "db-cpu", "OK"));

        assertThat(clear.clear()).isTrue();
        assertThat(clear.alarming()).isEmpty();
        assertThat(clear.reason()).isEqualTo("no gate alarm is in ALARM (api-5xx, api-latency, db-cpu)");
    }

    @Test
    void namesTheAlarmsInAlarmInConfigurationOrder() {
        AlarmCheck closed = AlarmCheck.of(GATE, Map.of("db-cpu", "ALARM", "api-5xx", "ALARM", "api-latency", "OK"));

        assertThat(closed.clear()).isFalse();
        assertThat(closed.alarming()).containsExactly("api-5xx", "db-cpu");
        assertThat(closed.reason()).isEqualTo("in ALARM: api-5xx, db-cpu");
    }

    @Test
    void anAlarmCloudWatchDoesNotHaveFailsTheDeploymentRatherThanCheckingNothing() {
        assertThatThrownBy(() -> AlarmCheck.of(GATE, Map.of("api-5xx", "OK")))
                .isInstanceOf(AlarmNotFoundException.class)
                .hasMessage("the alarm gate names alarms CloudWatch does not have: api-latency, db-cpu (alarm names "
                        + "are exact and case-sensitive, in Deckhand's account and region)");
    }
}
