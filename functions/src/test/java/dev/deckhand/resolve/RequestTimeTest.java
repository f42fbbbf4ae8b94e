package dev.deckhand.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The request's own time orders the lock queue. The ECR event's {@code time} has whole seconds
 * (EventBridge event structure: "time", e.g. 2019-11-16T01:54:34Z, in events/ecr/); ImageDetail's
 * {@code imagePushedAt} (API_ImageDetail) is the registry's own time stamp of the push.
 */
class RequestTimeTest {

    private static final Instant EVENT = Instant.parse("2026-11-20T09:14:02Z");

    @ParameterizedTest(name = "imagePushedAt {0} → {1}")
    @CsvSource({
            "2026-11-20T09:14:02.731Z, 2026-11-20T09:14:02.731Z", // this push, in the event's second
            "2026-11-20T09:14:01.250Z, 2026-11-20T09:14:01.250Z", // pushed just before the event was stamped
            "2026-11-20T09:14:03Z,     2026-11-20T09:14:02Z",     // not within the second: the event's time
            "2026-11-19T17:00:00.500Z, 2026-11-20T09:14:02Z",     // a re-tag of an image pushed yesterday
    })
    void aPushIsAsNewAsItsImageWhenTheImageIsThisPush(String pushedAt, String expected) {
        assertThat(RequestTime.ofPush(EVENT, Optional.of(Instant.parse(pushedAt)))).isEqualTo(Instant.parse(expected));
    }

    @Test
    void aPushWhoseImageIsGoneIsAsNewAsItsEvent() {
        assertThat(RequestTime.ofPush(EVENT, Optional.empty())).isEqualTo(EVENT);
    }

    @Test
    void aFirstAttemptIsAsNewAsItsRequestAndALaterOneAsItsExecution() {
        Instant started = EVENT.plusSeconds(3600);

        assertThat(RequestTime.ofAttempt(1, EVENT, started)).isEqualTo(EVENT);
        assertThat(RequestTime.ofAttempt(2, EVENT, started)).as("a rerun is asked for when it starts").isEqualTo(started);
        assertThat(RequestTime.ofAttempt(1, null, started)).as("a promotion").isEqualTo(started);
    }
}
