package dev.deckhand.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * DORA's four keys computed from Deckhand's history — deployment frequency, lead time for
 * changes, change failure rate and time to restore — for one environment of a service. Plain
 * Java over the attempts the history keeps; nothing here knows where they are stored.
 *
 * <ul>
 *   <li>A <em>deployment</em> is an attempt that ended SUCCEEDED.</li>
 *   <li>The <em>lead time</em> runs from when ECR received the image's push (the request time the
 *       history records for a push) to when the deployment was verified; an image promoted from
 *       another environment counts from its push there, so the service's whole history is given.</li>
 *   <li>A <em>change</em> is an attempt that changed the service: its rollout started. A migration
 *       that failed before the update changed nothing and is not a failed change.</li>
 *   <li>The <em>time to restore</em> runs from a failed change's end to the end of the next
 *       successful deployment of the same environment.</li>
 * </ul>
 */
public final class DoraMetrics {

    private static final Set<Outcome> FAILED_CHANGE = EnumSet.of(Outcome.FAILED, Outcome.ROLLED_BACK,
            Outcome.ROLLBACK_FAILED);

    private DoraMetrics() {
    }

    /**
     * @param attempts the service's attempts in every environment, in any order (earlier ones too:
     *     a push before the period can start a lead time in it)
     */
    public static DoraFigures of(String service, String environment, List<AttemptRecord> attempts, Instant from,
            Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a period ends after it starts: " + from + " .. " + to);
        }
        Map<String, Instant> pushed = pushTimes(attempts);
        List<AttemptRecord> here = attempts.stream()
                .filter(attempt -> service.equals(attempt.service()) && environment.equals(attempt.environment()))
                .filter(attempt -> attempt.finishedAt() != null && attempt.outcome().isFinal())
                .sorted(Comparator.comparing(AttemptRecord::finishedAt))
                .toList();
        List<AttemptRecord> inPeriod = here.stream()
                .filter(attempt -> !attempt.finishedAt().isBefore(from) && attempt.finishedAt().isBefore(to))
                .toList();

        List<AttemptRecord> deployments = inPeriod.stream().filter(a -> a.outcome() == Outcome.SUCCEEDED).toList();
        double days = Duration.between(from, to).toMillis() / (double) Duration.ofDays(1).toMillis();

        List<Duration> leadTimes = new ArrayList<>();
        for (AttemptRecord deployment : deployments) {
            Instant push = pushed.get(digestOf(deployment.image()));
            if (push != null) {
                Instant verified = timing(deployment, "verified").orElse(deployment.finishedAt());
                if (!verified.isBefore(push)) {
                    leadTimes.add(Duration.between(push, verified));
                }
            }
        }

        List<AttemptRecord> changes = inPeriod.stream().filter(DoraMetrics::changedTheService).toList();
        List<AttemptRecord> failedChanges = changes.stream().filter(a -> FAILED_CHANGE.contains(a.outcome())).toList();

        List<Duration> restoreTimes = new ArrayList<>();
        int unrestored = 0;
        for (AttemptRecord failure : failedChanges) {
            Optional<AttemptRecord> next = here.stream()
                    .filter(a -> a.outcome() == Outcome.SUCCEEDED && a.finishedAt().isAfter(failure.finishedAt())
                            && a.finishedAt().isBefore(to))
                    .findFirst();
            if (next.isPresent()) {
                restoreTimes.add(Duration.between(failure.finishedAt(), next.get().finishedAt()));
            } else {
                unrestored++;
            }
        }

        return new DoraFigures(service, environment, from, to, deployments.size(), deployments.size() / days,
                median(leadTimes), leadTimes.size(), changes.size(), failedChanges.size(),
                changes.isEmpty() ? null : failedChanges.size() / (double) changes.size(),
                median(restoreTimes), restoreTimes.size(), unrestored);
    }

    /** The earliest push Deckhand saw of each image digest, in any environment. */
    private static Map<String, Instant> pushTimes(List<AttemptRecord> attempts) {
        Map<String, Instant> pushed = new HashMap<>();
        for (AttemptRecord attempt : attempts) {
            if (!"push".equals(attempt.trigger()) || attempt.details() == null) {
                continue;
            }
            instant(attempt.details().path("requestedAt")).ifPresent(at ->
                    pushed.merge(digestOf(attempt.image()), at, (a, b) -> a.isBefore(b) ? a : b));
        }
        return pushed;
    }

    private static boolean changedTheService(AttemptRecord attempt) {
        return changedTheService(attempt.outcome(), attempt.details());
    }

    /**
     * Whether an attempt that ended with {@code outcome} changed the service: its rollout started
     * (the "updated" timing, or a rollout reported). {@code steps} is what the steps reported —
     * the deployer's event, or the history's details, which keep the same fields.
     */
    public static boolean changedTheService(Outcome outcome, JsonNode steps) {
        if (outcome == Outcome.SUCCEEDED || outcome == Outcome.ROLLED_BACK || outcome == Outcome.ROLLBACK_FAILED) {
            return true;
        }
        return outcome == Outcome.FAILED && steps != null
                && (steps.path("timings").has("updated") || steps.hasNonNull("rollout"));
    }

    /** Whether {@code outcome} of an attempt that changed the service is a failed change. */
    public static boolean isFailedChange(Outcome outcome) {
        return FAILED_CHANGE.contains(outcome);
    }

    /** Repositories differ between environments; the digest is the image. */
    static String digestOf(String image) {
        return image == null ? "" : image.substring(image.indexOf('@') + 1);
    }

    private static Optional<Instant> timing(AttemptRecord attempt, String name) {
        return attempt.details() == null ? Optional.empty() : instant(attempt.details().path("timings").path(name));
    }

    private static Optional<Instant> instant(JsonNode value) {
        if (!value.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The median; of an even number of samples, the mean of the middle two. */
    static Duration median(List<Duration> samples) {
        if (samples.isEmpty()) {
            return null;
        }
        List<Duration> sorted = samples.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle)
                : sorted.get(middle - 1).plus(sorted.get(middle)).dividedBy(2);
    }
}
