package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Timestamps as the AWS JSON protocols send them: epoch seconds, a JSON number with a fraction
 * (e.g. {@code 1733488200.123}; Smithy, "AWS JSON 1.1 protocol", timestamps default to
 * epoch-seconds). Read and written to the millisecond, as the SDK's marshallers do
 * ({@code DateUtils.parseUnixTimestampInstant}, {@code formatUnixTimestampInstant}).
 */
final class EpochSeconds {

    private EpochSeconds() {
    }

    /** The instant a timestamp member names, or {@code null} when it is absent or null. */
    static Instant instant(JsonNode timestamp) {
        if (timestamp == null || timestamp.isNull() || timestamp.isMissingNode()) {
            return null;
        }
        if (!timestamp.isNumber() && !timestamp.isTextual()) {
            throw new IllegalArgumentException("not an epoch-seconds timestamp: " + timestamp);
        }
        BigDecimal seconds = timestamp.isNumber() ? timestamp.decimalValue() : new BigDecimal(timestamp.asText());
        return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
    }

    /** The instant as a request member: epoch seconds with milliseconds as the fraction. */
    static BigDecimal of(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }
}
