package dev.deckhand.metrics;

import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.ServiceDefinition;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.DeploymentHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DORA figures of the configured services and environments over the last {@code since}, read
 * from the history: every environment of a service is read (a promoted image's lead time starts
 * at its push elsewhere), back to {@link #PUSH_LOOKBACK} before the period.
 */
public final class MetricsService {

    /** How far before the period a push may lie and still start a lead time in it. */
    public static final Duration PUSH_LOOKBACK = Duration.ofDays(90);
    public static final Duration MAX_PERIOD = Duration.ofDays(365);
    private static final Pattern SINCE = Pattern.compile("([1-9][0-9]{0,3})([hdw])");
    private static final int PAGE = 100;

    private final DeploymentHistory history;
    private final Clock clock;

    public MetricsService(DeploymentHistory history, Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    /**
     * @param service one service, or {@code null} for all
     * @param environment one environment of {@code service}, or {@code null} for all
     * @throws InvalidInputException when the configuration has no such service or environment
     */
    public List<DoraFigures> figures(DeckhandConfiguration configuration, String service, String environment,
            Duration since) {
        Instant to = clock.instant();
        Instant from = to.minus(since);
        List<DoraFigures> figures = new ArrayList<>();
        for (ServiceDefinition definition : configuration.services().values()) {
            if (service != null && !service.equals(definition.name())) {
                continue;
            }
            if (environment != null && !definition.environments().containsKey(environment)) {
                throw new InvalidInputException("environment: " + service + " has no environment " + environment);
            }
            List<AttemptRecord> attempts = new ArrayList<>();
            for (String name : definition.environments().keySet()) {
                attempts.addAll(since(definition.name(), name, from.minus(PUSH_LOOKBACK)));
            }
            for (String name : definition.environments().keySet()) {
                if (environment == null || environment.equals(name)) {
                    figures.add(DoraMetrics.of(definition.name(), name, attempts, from, to));
                }
            }
        }
        if (service != null && figures.isEmpty()) {
            throw new InvalidInputException("service: the configuration has no service " + service);
        }
        return figures;
    }

    /** A target's attempts started at or after {@code from} (pages are newest first). */
    private List<AttemptRecord> since(String service, String environment, Instant from) {
        List<AttemptRecord> attempts = new ArrayList<>();
        String token = null;
        do {
            DeploymentHistory.Page page = history.page(service, environment, PAGE, token);
            for (AttemptRecord attempt : page.attempts()) {
                if (attempt.startedAt() != null && attempt.startedAt().isBefore(from)) {
                    return attempts;
                }
                attempts.add(attempt);
            }
            token = page.nextToken();
        } while (token != null);
        return attempts;
    }

    /**
     * A period as the CLI and API take it: {@code <n>h}, {@code <n>d} or {@code <n>w}, at most a year.
     *
     * @throws InvalidInputException with a one-line reason otherwise
     */
    public static Duration period(String text) {
        Matcher matcher = text == null ? null : SINCE.matcher(text);
        if (matcher == null || !matcher.matches()) {
            throw new InvalidInputException("since: a period like 30d, 12h or 4w, not "
                    + (text == null ? "nothing" : "'" + text + "'"));
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration period = switch (matcher.group(2)) {
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofDays(7 * amount);
        };
        if (period.compareTo(MAX_PERIOD) > 0) {
            throw new InvalidInputException("since: at most 365d, not '" + text + "'");
        }
        return period;
    }
}
