package dev.deckhand.freeze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The weekly freeze arithmetic, as a table of instants; time-zone rules from the IANA database java.time ships. */
class FreezeWindowTest {

    private static final FreezeWindow WEEKEND = FreezeWindow.of("FRI 16:00", "MON 08:00", "Europe/Berlin");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // Friday 4 Dec 2026, 15:59 in Berlin (UTC+1): not yet.
            "2026-12-04T14:59:00Z, ",
            // Friday 16:00 Berlin: the start is inside.
            "2026-12-04T15:00:00Z, 2026-12-07T07:00:00Z",
            "2026-12-06T23:00:00Z, 2026-12-07T07:00:00Z",
            // Monday 08:00 Berlin: the end is outside.
            "2026-12-07T07:00:00Z, ",
            "2026-12-09T12:00:00Z, ",
            // The weekend DST ends (Sunday 25 Oct 2026, 03:00 CEST -> 02:00 CET): Monday 08:00 is 07:00 UTC, not 06:00.
            "2026-10-24T12:00:00Z, 2026-10-26T07:00:00Z",
            // The weekend DST starts (Sunday 29 Mar 2026): Friday 16:00 is still CET (15:00 UTC), Monday 08:00 is CEST (06:00 UTC).
            "2026-03-27T15:00:00Z, 2026-03-30T06:00:00Z",
            "2026-03-30T05:59:00Z, 2026-03-30T06:00:00Z",
            "2026-03-30T06:00:00Z, ",
    })
    void aWeekendFreezeInBerlinEndsOnMondayMorningLocalTime(String now, String until) {
        assertThat(WEEKEND.endOfFreezeAt(Instant.parse(now))).isEqualTo(Optional.ofNullable(until).map(Instant::parse));
    }

    @Test
    void aWindowWithinOneDayAndOneThatWrapsTheWeek() {
        FreezeWindow lunch = FreezeWindow.of("wed 12:00", "WED 13:30", "UTC");
        assertThat(lunch.endOfFreezeAt(Instant.parse("2026-12-09T13:00:00Z"))).contains(Instant.parse("2026-12-09T13:30:00Z"));
        assertThat(lunch.endOfFreezeAt(Instant.parse("2026-12-09T11:00:00Z"))).isEmpty();
        // to before from in the week: Sunday evening to Monday morning of the following week.
        FreezeWindow sunday = FreezeWindow.of("SUN 20:00", "MON 06:00", "UTC");
        assertThat(sunday.endOfFreezeAt(Instant.parse("2026-12-07T05:00:00Z"))).contains(Instant.parse("2026-12-07T06:00:00Z"));
        assertThat(sunday.endOfFreezeAt(Instant.parse("2026-12-06T21:00:00Z"))).contains(Instant.parse("2026-12-07T06:00:00Z"));
    }

    @Test
    void touchingWindowsMakeOneFreezeThatEndsWhereNoneContinuesIt() {
        FreezeSettings settings = new FreezeSettings(List.of(FreezeWindow.of("FRI 16:00", "SAT 00:00", "UTC"),
                FreezeWindow.of("SAT 00:00", "MON 08:00", "UTC")), FreezeSettings.WhenFrozen.WAIT);

        FreezeSettings.Freeze freeze = settings.freezeAt(Instant.parse("2026-12-04T17:00:00Z")).orElseThrow();

        assertThat(freeze.until()).isEqualTo(Instant.parse("2026-12-07T08:00:00Z"));
        assertThat(freeze.reason()).contains("FRI 16:00 to SAT 00:00 UTC");
        assertThat(settings.freezeAt(Instant.parse("2026-12-07T08:00:00Z"))).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "FRY 16:00 | MON 08:00 | UTC           | from: 'FRY' is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)",
            "FRI 25:00 | MON 08:00 | UTC           | from: '25:00' is not a time of day (00:00 to 23:59)",
            "FRI 16:00 | MON 8     | UTC           | to: 'MON 8' is not a day and a time such as 'FRI 16:00'",
            "FRI 16:00 | MON 08:00 | Europe/Berlen | timezone: unknown time zone 'Europe/Berlen' (an IANA name such as 'Europe/Berlin' or 'UTC')",
            "FRI 16:00 | fri 16:00 | UTC           | to: 'fri 16:00' is the same as from; a freeze needs a length",
    })
    void refusesMalformedWindowsNamingThePart(String from, String to, String zone, String message) {
        assertThatThrownBy(() -> FreezeWindow.of(from, to, zone)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
