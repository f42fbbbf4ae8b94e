package dev.deckhand.resolve;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a request was made, which decides "newest" among the deployments of one target — never
 * when its execution happened to start (EventBridge may deliver an older push hours late).
 *
 * <p>A push's time is the ECR event's {@code time}, which has whole seconds. It is refined by the
 * image's {@code imagePushedAt} (DescribeImages, sub-second) when that lies within a second of the
 * event's time: then it is this very push. A re-tag of an image pushed long ago keeps the event's
 * time. A promotion or a rerun is requested when its execution starts (the promote API starts it at
 * once), so it carries no time of its own.
 */
public final class RequestTime {

    /** How far the event's whole-second {@code time} may be from the push it reports. */
    static final Duration SAME_PUSH = Duration.ofSeconds(1);

    private RequestTime() {
    }

    /** The push's time: {@code imagePushedAt} if it is this push's, else the event's time. */
    public static Instant ofPush(Instant eventTime, Optional<Instant> imagePushedAt) {
        return imagePushedAt
                .filter(pushed -> !pushed.isBefore(eventTime.minus(SAME_PUSH)) && pushed.isBefore(eventTime.plus(SAME_PUSH)))
                .orElse(eventTime);
    }

    /**
     * The time the lock queue orders an attempt by: a first attempt is as new as its request; a
     * later attempt of the same deployment (a console rerun, a retry after a failure) was asked for
     * when its execution started.
     *
     * @param requestedAt the request's own time, or {@code null} when it has none (a promotion)
     */
    public static Instant ofAttempt(int attempt, Instant requestedAt, Instant executionStartedAt) {
        return attempt == 1 && requestedAt != null ? requestedAt : executionStartedAt;
    }
}
