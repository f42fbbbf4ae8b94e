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
     * Three hours: long enough for a person to answer, short enough that a deployment nobody looks
     * at ends EXPIRED the same working day. The lock's lease grows by the approval's timeout
     * ({@code CoordinationService.leaseOf}).
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
