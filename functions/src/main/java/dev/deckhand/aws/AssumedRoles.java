package dev.deckhand.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Credentials for the deployment roles of cross-account environments, one cache per container:
 * a role session is reused until {@link #REFRESH_BEFORE_EXPIRY} before it expires, so a
 * deployment's many short steps cost one {@code AssumeRole}, and no step starts with credentials
 * that could expire mid-call.
 */
public final class AssumedRoles {

    /** STS answers AssumeRole with credentials for this long (DurationSeconds; 3600 is its default). */
    public static final int SESSION_SECONDS = 3600;
    /** A session this close to its expiry is replaced, so a call never outlives its credentials. */
    public static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);

    // STS API Reference, AssumeRole: RoleSessionName is 2-64 characters of [\w+=,.@-].
    private static final Pattern NOT_IN_SESSION_NAME = Pattern.compile("[^\\w+=,.@-]");
    private static final int SESSION_NAME_MAX = 64;

    /** The one STS operation Deckhand calls. */
    public interface Sts {
        TemporaryCredentials assumeRole(String roleArn, String sessionName, int durationSeconds);
    }

    /** What AssumeRole answers; the secret and token are never logged. */
    public record TemporaryCredentials(String accessKeyId, String secretAccessKey, String sessionToken,
            Instant expiration) {

        @Override
        public String toString() {
            return "TemporaryCredentials[" + accessKeyId + ", expires " + expiration + "]";
        }
    }

    private final Sts sts;
    private final Clock clock;
    private final Map<String, TemporaryCredentials> sessions = new ConcurrentHashMap<>();

    public AssumedRoles(Sts sts, Clock clock) {
        this.sts = sts;
        this.clock = clock;
    }

    /**
     * Credentials of {@code roleArn} for the session named after the function and the deployment,
     * which is what the target account's CloudTrail shows as the caller.
     */
    public AwsCredentialsProvider credentials(String roleArn, String function, String deploymentId) {
        String sessionName = sessionName(function, deploymentId);
        return () -> {
            TemporaryCredentials current = sessions.compute(roleArn + " " + sessionName,
                    (key, cached) -> cached != null && fresh(cached) ? cached
                            : sts.assumeRole(roleArn, sessionName, SESSION_SECONDS));
            return AwsSessionCredentials.create(current.accessKeyId(), current.secretAccessKey(),
                    current.sessionToken());
        };
    }

    private boolean fresh(TemporaryCredentials credentials) {
        return clock.instant().isBefore(credentials.expiration().minus(REFRESH_BEFORE_EXPIRY));
    }

    /** {@code deckhand-<function>-<deployment>}, cut to STS's 64 characters and its alphabet. */
    static String sessionName(String function, String deploymentId) {
        String name = NOT_IN_SESSION_NAME.matcher("deckhand-" + function + "-" + deploymentId).replaceAll("-");
        return name.length() <= SESSION_NAME_MAX ? name : name.substring(0, SESSION_NAME_MAX);
    }
}
