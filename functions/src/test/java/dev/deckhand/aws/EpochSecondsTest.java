package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Timestamps in ECS's JSON answers (API_Deployment createdAt/updatedAt, API_Task stoppedAt,
 * API_ServiceDeploymentBrief createdAt, API_TaskDefinition registeredAt: type Timestamp) are epoch
 * seconds, possibly with a fraction, in the AWS JSON 1.1 protocol; the SDK reads and writes them to
 * the millisecond.
 */
class EpochSecondsTest {

    private static JsonNode member(String answer) throws Exception {
        return DeckhandJson.MAPPER.readTree(answer).get("createdAt");
    }

    @Test
    void readsFractionalSecondsToTheMillisecond() throws Exception {
        assertThat(EpochSeconds.instant(member("{\"createdAt\":1765022400.123}")))
                .isEqualTo(Instant.parse("2025-12-06T12:00:00.123Z"));
        // Sub-millisecond digits are dropped, not rounded, as the SDK's unmarshaller drops them.
        assertThat(EpochSeconds.instant(member("{\"createdAt\":1765022400.9999}")))
                .isEqualTo(Instant.parse("2025-12-06T12:00:00.999Z"));
    }

    @Test
    void readsWholeSecondsAndTheTextualForm() throws Exception {
        assertThat(EpochSeconds.instant(member("{\"createdAt\":1765022400}")))
                .isEqualTo(Instant.parse("2025-12-06T12:00:00Z"));
        assertThat(EpochSeconds.instant(member("{\"createdAt\":\"1765022400.5\"}")))
                .isEqualTo(Instant.parse("2025-12-06T12:00:00.500Z"));
    }

    @Test
    void anAbsentOrNullTimestampIsNoInstant() throws Exception {
        assertThat(EpochSeconds.instant(member("{}"))).isNull();
        assertThat(EpochSeconds.instant(member("{\"createdAt\":null}"))).isNull();
        assertThat(EpochSeconds.instant(DeckhandJson.MAPPER.createObjectNode().path("createdAt"))).isNull();
    }

    @Test
    void refusesWhatIsNotATimestamp() throws Exception {
        assertThatThrownBy(() -> EpochSeconds.instant(member("{\"createdAt\":{\"after\":1}}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch-seconds");
    }

    @Test
    void writesEpochSecondsWithMillisecondsAndReadsThemBack() throws Exception {
        Instant at = Instant.parse("2026-11-23T10:00:01.250Z");

        String written = DeckhandJson.MAPPER.createObjectNode().put("createdAt", EpochSeconds.of(at)).toString();

        assertThat(written).isEqualTo("{\"createdAt\":1795428001.250}");
        assertThat(EpochSeconds.instant(member(written))).isEqualTo(at);
    }
}
