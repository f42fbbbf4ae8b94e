package dev.deckhand.config;

import dev.deckhand.freeze.FreezeSettings;
import dev.deckhand.gate.AlarmGate;
import java.util.List;
import java.util.Optional;

/**
 * One environment of a service: where it runs and how images reach it.
 *
 * @param repository the ECR repository whose pushes deploy here (the service's, unless the
 *     environment has a repository of its own)
 * @param deployOnPush tag patterns that deploy here automatically; empty when the environment is
 *     reached only by promotion
 * @param promoteFrom the environment whose successful images may be promoted here, or {@code null}
 * @param healthCheck how to verify a revision, or {@code null} to trust the ECS rollout alone
 * @param migration the migration to run before the service update, or {@code null}
 * @param verification the one-off task of the new revision run once its health is verified (its
 *     exit code decides, as the migration's does; a failure rolls back), or {@code null}
 * @param taskRoleArn the task role the service's task definition uses, or {@code null}; lets the
 *     infrastructure scope {@code iam:PassRole} to it
 * @param executionRoleArn the task execution role, or {@code null}; same reason
 * @param promoters who may promote here (principal ARN patterns); empty: anyone the API's IAM
 *     authorization admits
 * @param keepRevisions how many of the newest revisions Deckhand registered in the service's
 *     task-definition family survive the cleanup after a successful deployment (the running and the
 *     verified ones always do)
 * @param account the AWS account the environment's ECS service lives in, or {@code null} for
 *     Deckhand's own account
 * @param roleArn the deployment role in {@code account} that Deckhand's functions assume to act
 *     there; set exactly when {@code account} is
 * @param approval the person's approval each deployment here waits for, or {@code null}
 * @param soakMinutes how long an image must have been verified in {@code promoteFrom} before the
 *     promote API lets it go here; 0 for no soak time
 * @param freeze the environment's weekly freeze windows, or {@code null} when it has none
 * @param breakGlass who may promote here during a freeze all the same (principal ARN patterns);
 *     empty: nobody
 * @param gate the alarms that must not be in ALARM before the service changes, or {@code null}
 * @param strategy the ECS deployment strategy Deckhand asks for, or {@code null} to leave the
 *     service's own deployment configuration as it is (a rolling update)
 */
public record EnvironmentDefinition(
        String name,
        String repository,
        String cluster,
        String ecsService,
        List<TagPattern> deployOnPush,
        String promoteFrom,
        HealthCheckSettings healthCheck,
        MigrationSettings migration,
        MigrationSettings verification,
        NotificationSettings notifications,
        String taskRoleArn,
        String executionRoleArn,
        List<PrincipalPattern> promoters,
        int keepRevisions,
        String account,
        String roleArn,
        ApprovalSettings approval,
        int soakMinutes,
        FreezeSettings freeze,
        List<PrincipalPattern> breakGlass,
        AlarmGate gate,

        DeploymentStrategy strategy) {

    /** {@link #keepRevisions} when the configuration says nothing. */
    public static final int DEFAULT_KEEP_REVISIONS = 10;

    public EnvironmentDefinition {
        deployOnPush = List.copyOf(deployOnPush);
        promoters = List.copyOf(promoters);
        breakGlass = List.copyOf(breakGlass);
    }

    /** Whether Deckhand reaches this environment by assuming {@link #roleArn()} in another account. */
    public boolean crossAccount() {
        return roleArn != null;
    }

    /** Whether Deckhand runs one-off tasks of its revisions here: a migration, a verification task, or both. */
    public boolean runsOneOffTasks() {
        return migration != null || verification != null;
    }

    /** Whether this principal may promote to this environment. */
    public boolean promotableBy(String principalArn) {
        return promoters.isEmpty() || promoters.stream().anyMatch(pattern -> pattern.matches(principalArn));
    }

    /** Whether this principal may promote here during a freeze (an explicit, recorded override). */
    public boolean mayBreakGlass(String principalArn) {
        return breakGlass.stream().anyMatch(pattern -> pattern.matches(principalArn));
    }

    /** The first pattern that matches the tag, in the order written. */
    public Optional<TagPattern> patternMatching(String tag) {
        return deployOnPush.stream().filter(pattern -> pattern.matches(tag)).findFirst();
    }

    public boolean promotableFrom(String environment) {
        return environment.equals(promoteFrom);
    }
}
