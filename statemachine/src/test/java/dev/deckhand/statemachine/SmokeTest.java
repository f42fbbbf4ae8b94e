package dev.deckhand.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void runsAJsonataPassChain() {
        try (EngineHarness h = new EngineHarness()) {
            ExecutionDescription d = h.run("""
                {"QueryLanguage":"JSONata","StartAt":"A","States":{
                  "A":{"Type":"Pass","Output":{"x":"{% $states.input.n + 1 %}"},"Assign":{"v":"{% $states.input.n %}"},"Next":"W"},
                  "W":{"Type":"Wait","Seconds":3600,"Next":"B"},
                  "B":{"Type":"Pass","Output":{"x":"{% $states.input.x %}","v":"{% $v %}"},"End":true}}}
                """, "{\"n\": 41}");
            assertThat(d.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(EngineHarness.json(d.output())).isEqualTo(EngineHarness.json("{\"x\":42,\"v\":41}"));
            assertThat(d.stopDate()).isEqualTo(EngineHarness.START.plusSeconds(3600));
        }
    }
}
