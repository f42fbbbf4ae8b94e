package dev.deckhand.config;

import java.util.List;

/**
 * A person must approve each deployment to the environment before anything changes; the execution
 * waits for the answer by task token.
 *
 * @param timeoutMinutes how long the request waits for an answer before {@code onTimeout} applies
 * @param onTimeout what an unanswered request becomes; only {@code reject} (outcome EXPIRED): a
 *     deployment nobody looked at is never let through
 * @param preventSelfApproval whether the principal that asked for the deployment may not approve it
 * @param approvers who may answer (principal ARN patterns); empty: anyone the API's IAM
 *     authorization admits to {@code POST /deployments/<service>.<environment>.*}
 */
public record ApprovalSettings(int timeoutMinutes, String onTimeout, boolean preventSelfApproval,
        List<PrincipalPattern> approvers) {

    public static final int DEFAULT_TIMEOUT_MINUTES = 60;
    /**
     * The execution's own bound is four hours (the definition's TimeoutSeconds, the lock's lease):
     * an approval may use three of them and leave one for the migration, rollout and health check.
     */
    public static final int MAX_TIMEOUT_MINUTES = 180;

    public ApprovalSettings {
        approvers = List.copyOf(approvers);
    }

    /** Whether this principal may answer. */
    public boolean answerableBy(String principalArn) {
        return approvers.isEmpty() || approvers.stream().anyMatch(pattern -> pattern.matches(principalArn));
    }

}
