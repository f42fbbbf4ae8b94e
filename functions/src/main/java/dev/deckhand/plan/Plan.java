package dev.deckhand.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a push or a promotion would do, decided without changing anything.
 *
 * @param outcome {@code DEPLOY} or {@code IGNORED}, as resolve-env would decide
 * @param reason the rule that decided it
 * @param strategy how ECS would roll the revision out
 * @param gates the gates that would apply before the service changes
 * @param migration the migration command that would run first, or {@code null}
 * @param healthCheck the URL that would be probed, or {@code null}
 * @param diff the unified diff of the live revision against the one that would be registered
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Plan(String outcome, String reason, String service, String environment, String image, String strategy,
        List<String> gates, List<String> migration, String healthCheck, String liveRevision, List<String> diff) {
}
