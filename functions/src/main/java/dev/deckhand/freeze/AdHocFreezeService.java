package dev.deckhand.freeze;

import dev.deckhand.errors.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Declares, ends and finds ad-hoc freezes. A freeze of {@code all} covers the environment of that
 * name of every service. Checking the service and environment against the configuration is the
 * caller's (the API checks them before anything is written).
 */
public final class AdHocFreezeService {

    /**
     * An open-ended freeze has no end to wait for: a push that waits re-checks this often (the
     * lock step runs again after the Wait), so it goes soon after the unfreeze.
     */
    public static final Duration RECHECK = Duration.ofMinutes(15);
    public static final int MAX_REASON = 500;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,5})([mhd])");

    private final AdHocFreezes store;
    private final Clock clock;

    public AdHocFreezeService(AdHocFreezes store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * @param until an ISO-8601 instant ({@code 2026-12-24T08:00:00Z}), a duration from now
     *     ({@code 90m}, {@code 2h}, {@code 3d}), or {@code null} for a freeze until unfrozen
     * @throws InvalidInputException for an empty reason or an until that is not in the future
     */
    public AdHocFreeze freeze(String service, String environment, String reason, String until, String by) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new InvalidInputException("reason: required; say why it is frozen, for the people it stops");
        }
        if (why.length() > MAX_REASON || why.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("reason: at most " + MAX_REASON + " characters on one line");
        }
        Instant now = clock.instant();
        Instant end = until == null ? null : until(until, now);
        AdHocFreeze freeze = new AdHocFreeze(service, environment, why, by, now, end);
        store.put(freeze);
        return freeze;
    }

    /** @return whether a freeze was ended */
    public boolean unfreeze(String service, String environment) {
        return store.delete(service, environment);
    }

    /** The ad-hoc freeze over {@code service/environment} now: its own or all's, the one that ends last. */
    public Optional<AdHocFreeze> inForce(String service, String environment) {
        Instant now = clock.instant();
        return Stream.of(store.get(service, environment), store.get(AdHocFreeze.ALL, environment))
                .flatMap(Optional::stream)
                .filter(freeze -> freeze.inForceAt(now))
                .max(Comparator.comparing(freeze -> freeze.until() == null ? Instant.MAX : freeze.until()));
    }

    /**
     * The ad-hoc freeze at {@code now} as the lock and promotions meet it: until its end, or, when
     * open-ended, until the next re-check.
     */
    public Optional<FreezeSettings.Freeze> freezeAt(String service, String environment, Instant now) {
        return inForce(service, environment).map(freeze -> new FreezeSettings.Freeze(
                freeze.until() == null ? now.plus(RECHECK) : freeze.until(), freeze.describe()));
    }

    static Instant until(String text, Instant now) {
        Instant end;
        Matcher duration = DURATION.matcher(text.strip());
        if (duration.matches()) {
            long amount = Long.parseLong(duration.group(1));
            end = now.plus(switch (duration.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        } else {
            try {
                end = Instant.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw new InvalidInputException("until: '" + text + "' is neither an instant such as "
                        + "2026-12-24T08:00:00Z nor a duration such as 90m, 2h or 3d");
            }
        }
        if (!end.isAfter(now)) {
            throw new InvalidInputException("until: " + end + " is not in the future (now: " + now + ")");
        }
        return end;
    }
}
