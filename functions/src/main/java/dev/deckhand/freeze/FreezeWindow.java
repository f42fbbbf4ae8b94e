package dev.deckhand.freeze;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A weekly freeze, e.g. from {@code FRI 16:00} to {@code MON 08:00} in {@code Europe/Berlin}: the
 * times are wall-clock times of that zone, so the window follows its daylight-saving changes
 * (java.time moves a time that falls in a spring-forward gap later by the gap, and picks the earlier
 * offset in an autumn overlap).
 *
 * @param from the day and time the freeze starts, as written ({@code "FRI 16:00"})
 * @param to the day and time it ends, as written; a {@code to} on or before {@code from} in the week
 *     means the next week's
 * @param timezone an IANA time-zone id
 */
public record FreezeWindow(String from, String to, String timezone) {

    private static final Pattern DAY_TIME = Pattern.compile("([A-Za-z]+)\\s+(\\d{1,2}:\\d{2})");
    private static final String DAYS = "MON, TUE, WED, THU, FRI, SAT, SUN";

    /**
     * Checks every part and says which one is wrong, in one line.
     *
     * @throws IllegalArgumentException naming the field and what is wrong with it
     */
    @JsonCreator
    public static FreezeWindow of(@JsonProperty("from") String from, @JsonProperty("to") String to,
            @JsonProperty("timezone") String timezone) {
        dayTime("from", from);
        dayTime("to", to);
        zone(timezone);
        if (from.trim().equalsIgnoreCase(to.trim())) {
            throw new IllegalArgumentException("to: '" + to + "' is the same as from; a freeze needs a length");
        }
        return new FreezeWindow(from.trim(), to.trim(), timezone);
    }

    /**
     * When the freeze that contains {@code now} ends, or empty when {@code now} is outside this
     * window. Start inclusive, end exclusive.
     */
    public Optional<Instant> endOfFreezeAt(Instant now) {
        ZoneId zone = zone(timezone);
        DayTime start = dayTime("from", from);
        DayTime end = dayTime("to", to);
        ZonedDateTime local = now.atZone(zone);
        // The latest start at or before now: this week's or last week's.
        ZonedDateTime started = start.atOrBefore(local);
        ZonedDateTime ends = end.after(started);
        return now.isBefore(ends.toInstant()) ? Optional.of(ends.toInstant()) : Optional.empty();
    }

    /** The latest start of this window at or before {@code now}. */
    Instant startAtOrBefore(Instant now) {
        return dayTime("from", from).atOrBefore(now.atZone(zone(timezone))).toInstant();
    }

    @Override
    public String toString() {
        return from + " to " + to + " " + timezone;
    }

    private record DayTime(DayOfWeek day, LocalTime time) {

        ZonedDateTime atOrBefore(ZonedDateTime now) {
            ZonedDateTime candidate = on(now.with(TemporalAdjusters.previousOrSame(day)));
            return candidate.isAfter(now) ? on(now.minusWeeks(1).with(TemporalAdjusters.previousOrSame(day))) : candidate;
        }

        ZonedDateTime after(ZonedDateTime start) {
            ZonedDateTime candidate = on(start.with(TemporalAdjusters.nextOrSame(day)));
            return candidate.isAfter(start) ? candidate : on(start.plusDays(1).with(TemporalAdjusters.nextOrSame(day)));
        }

        private ZonedDateTime on(ZonedDateTime date) {
            // ZonedDateTime.of resolves a gap or an overlap the documented way (see the class comment).
            return ZonedDateTime.of(date.toLocalDate(), time, date.getZone());
        }
    }

    private static DayTime dayTime(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + ": is required, a day and a time such as 'FRI 16:00'");
        }
        Matcher matcher = DAY_TIME.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(field + ": '" + text + "' is not a day and a time such as 'FRI 16:00'");
        }
        DayOfWeek day = day(matcher.group(1));
        if (day == null) {
            throw new IllegalArgumentException(field + ": '" + matcher.group(1) + "' is not a day (" + DAYS + ")");
        }
        try {
            String time = matcher.group(2);
            return new DayTime(day, LocalTime.parse(time.length() == 4 ? "0" + time : time));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": '" + matcher.group(2) + "' is not a time of day (00:00 to 23:59)");
        }
    }

    private static DayOfWeek day(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().equals(upper) || day.name().substring(0, 3).equals(upper)) {
                return day;
            }
        }
        return null;
    }

    private static ZoneId zone(String timezone) {
        if (timezone == null || timezone.isBlank()) {
            throw new IllegalArgumentException("timezone: is required, an IANA time zone such as 'Europe/Berlin' or 'UTC'");
        }
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("timezone: unknown time zone '" + timezone
                    + "' (an IANA name such as 'Europe/Berlin' or 'UTC')");
        }
    }
}
