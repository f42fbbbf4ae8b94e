package dev.deckhand.health;

import dev.deckhand.config.HealthCheckSettings;
import dev.deckhand.deployment.ImageDigest;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The verdict on one probe answer. A missing signal (timeout, refused connection) is unhealthy,
 * never a pass. When the body names image digests (as services that report their version do) and
 * none is the deployed one, the answer comes from an old revision and is unhealthy.
 *
 * @param detail what a person needs to know about this answer, e.g. {@code 503 Service Unavailable}
 */
public record HealthJudgement(boolean healthy, Integer status, String detail) {

    private static final int MAX_DETAIL = 200;

    public static HealthJudgement of(ProbeAnswer answer, HealthCheckSettings settings, ImageDigest deployed) {
        if (answer.status() == null) {
            return new HealthJudgement(false, null, "no answer: " + answer.failure());
        }
        int status = answer.status();
        String body = answer.body() == null ? "" : answer.body();
        if (status != settings.expectedStatus()) {
            return new HealthJudgement(false, status, "status " + status + ", expected " + settings.expectedStatus()
                    + excerpt(body));
        }
        if (settings.bodyContains() != null && !body.contains(settings.bodyContains())) {
            return new HealthJudgement(false, status, "body does not contain '" + settings.bodyContains() + "'"
                    + excerpt(body));
        }
        Set<String> served = digestsIn(body);
        if (!served.isEmpty() && !served.contains(deployed.value())) {
            return new HealthJudgement(false, status, "serves " + String.join(", ", served)
                    + ", not the deployed " + deployed.value());
        }
        return new HealthJudgement(true, status, "status " + status);
    }

    private static Set<String> digestsIn(String body) {
        Set<String> digests = new LinkedHashSet<>();
        Matcher matcher = ImageDigest.FORMAT.matcher(body);
        while (matcher.find()) {
            digests.add(matcher.group());
        }
        return digests;
    }

    private static String excerpt(String body) {
        String flat = body.replaceAll("\\s+", " ").trim();
        if (flat.isEmpty()) {
            return "";
        }
        return ": " + (flat.length() <= MAX_DETAIL ? flat : flat.substring(0, MAX_DETAIL) + "…");
    }
}
