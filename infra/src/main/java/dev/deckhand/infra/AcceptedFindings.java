package dev.deckhand.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.List;
import software.constructs.IConstruct;

/**
 * Every cdk-nag (AwsSolutions) finding Deckhand accepts, each with the reason it is right here.
 * Suppressions name the exact wildcard they accept ({@code appliesTo}), so a new wildcard in the
 * same policy is still reported.
 */
final class AcceptedFindings {

    private static final String ANY_RESOURCE = "Resource::*";
    private static final String ECS_ARN = "Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:";
    /** iam:PassRole when an environment names no role (Policies.passRole), only to ECS tasks. */
    private static final String ANY_ROLE = "Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*";
    private static final String PASS_ROLE_REASON = " iam:PassRole takes any role of the account when an environment "
            + "names none (its task definitions' roles are unknown until they are read), and only to ECS tasks "
            + "(iam:PassedToService), which can assume only roles that trust ecs-tasks.amazonaws.com.";

    private AcceptedFindings() {
    }

    /** On each function (its role and default policy included). */
    static void function(IConstruct function) {
        NagSuppressions.addResourceSuppressions(function, List.of(
                suppression("AwsSolutions-L1", "Java 21 is the runtime Deckhand's functions are built and tested "
                        + "for, with SnapStart on arm64; a newer Java runtime is adopted deliberately, not by drift."),
                suppression("AwsSolutions-IAM5", "X-Ray's PutTraceSegments and PutTelemetryRecords support no "
                        + "resource-level permissions (Service Authorization Reference for AWS X-Ray), so active "
                        + "tracing needs Resource '*'.", ANY_RESOURCE)), true);
    }

    /** On a function that deploys services on the given clusters. */
    static void ecsDeploy(IConstruct function, List<String> clusters) {
        List<String> wildcards = new ArrayList<>(List.of(ANY_RESOURCE, ECS_ARN + "task-definition/*", ANY_ROLE));
        clusters.forEach(cluster -> wildcards.add(ECS_ARN + "task/" + cluster + "/*"));
        NagSuppressions.addResourceSuppressions(function, List.of(
                suppression("AwsSolutions-IAM5", "ecs:RegisterTaskDefinition and ecs:DescribeTaskDefinition "
                        + "support no resource-level permissions (Service Authorization Reference for Amazon ECS), "
                        + "so they take Resource '*'; ecs:ListTasks names no resource a Fargate task has, so it takes "
                        + "'*' conditioned on the configured clusters (ecs:cluster); ecs:TagResource is allowed on "
                        + "task definitions only while registering one (ecs:CreateAction); task ids are minted by "
                        + "ECS, so DescribeTasks is scoped to the configured clusters' tasks. Services and roles "
                        + "are scoped exactly." + PASS_ROLE_REASON, wildcards)), true);
    }

    /** On the rollback function, which may register an equivalent of a deregistered revision. */
    static void ecsRollback(IConstruct function) {
        NagSuppressions.addResourceSuppressions(function, List.of(
                suppression("AwsSolutions-IAM5", "ecs:RegisterTaskDefinition and ecs:DescribeTaskDefinition "
                        + "support no resource-level permissions (Service Authorization Reference for Amazon ECS), "
                        + "so they take Resource '*'; ecs:TagResource is allowed on task definitions only while "
                        + "registering one (ecs:CreateAction). Services are scoped exactly." + PASS_ROLE_REASON,
                        List.of(ANY_RESOURCE, ECS_ARN + "task-definition/*", ANY_ROLE))), true);
    }

    /** On the record function, which deregisters surplus revisions after a success. */
    static void ecsCleanup(IConstruct function) {
        NagSuppressions.addResourceSuppressions(function, List.of(
                suppression("AwsSolutions-IAM5", "ecs:ListTaskDefinitions, ecs:DescribeTaskDefinition and "
                        + "ecs:DeregisterTaskDefinition support no resource-level permissions (Service Authorization "
                        + "Reference for Amazon ECS), so they take Resource '*'. Services are scoped exactly.",
                        List.of(ANY_RESOURCE))), true);
    }

    /** On a function that runs migration tasks on the given clusters. */
    static void ecsMigrate(IConstruct function, List<String> clusters) {
        List<String> wildcards = new ArrayList<>(List.of(ANY_RESOURCE, ECS_ARN + "task-definition/*"));
        clusters.forEach(cluster -> wildcards.add(ECS_ARN + "task/" + cluster + "/*"));
        wildcards.add(ANY_ROLE);
        wildcards.add("Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*");
        NagSuppressions.addResourceSuppressions(function, List.of(
                suppression("AwsSolutions-IAM5", "ecs:DescribeTaskDefinition supports no resource-level "
                        + "permissions, so it takes Resource '*'; task definition families are derived from the "
                        + "service at run time, so ecs:RunTask takes any task definition but only on the configured "
                        + "clusters (condition ecs:cluster); task ids are minted by RunTask, so DescribeTasks/StopTask "
                        + "are scoped to the configured clusters' tasks (StopTask only to those tagged "
                        + "deckhand:task=migration, which RunTask may tag: ecs:TagResource with ecs:CreateAction=RunTask); "
                        + "ecs:ListTasks names no resource on Fargate, "
                        + "so it takes '*' with the condition ecs:cluster; logs:GetLogEvents reads a failed migration's "
                        + "last lines from the log group its task definition names, which the configuration does not "
                        + "know." + PASS_ROLE_REASON, wildcards)), true);
    }

    /**
     * On a target account's deployment role, which holds the deploy, migration and rollback
     * statements for that account's environments (their clusters given): the same wildcards, for
     * the same reasons, with the account literal.
     */
    static void deploymentRole(IConstruct role, String account, java.util.Collection<String> clusters) {
        String ecs = "Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:" + account + ":";
        List<String> wildcards = new ArrayList<>(List.of(ANY_RESOURCE, ecs + "task-definition/*",
                "Resource::arn:<AWS::Partition>:iam::" + account + ":role/*",
                "Resource::arn:<AWS::Partition>:logs:<AWS::Region>:" + account + ":log-group:*"));
        clusters.forEach(cluster -> wildcards.add(ecs + "task/" + cluster + "/*"));
        NagSuppressions.addResourceSuppressions(role, List.of(
                suppression("AwsSolutions-IAM5", "The deploy, migration and rollback statements of this account's "
                        + "environments: ecs:RegisterTaskDefinition and ecs:DescribeTaskDefinition support no "
                        + "resource-level permissions (Service Authorization Reference for Amazon ECS), so they take "
                        + "Resource '*'; ecs:ListTasks takes '*' conditioned on the configured clusters (ecs:cluster); "
                        + "ecs:TagResource only while registering or running (ecs:CreateAction); ecs:RunTask takes any "
                        + "task definition but only on the configured clusters; task ids are minted by ECS, so "
                        + "DescribeTasks/StopTask are scoped to the configured clusters' tasks (StopTask to those tagged "
                        + "deckhand:task=migration); logs:GetLogEvents reads a failed migration's log group, which the "
                        + "configuration does not know." + PASS_ROLE_REASON, wildcards)), true);
    }

    /** On the deployer state machine (its role's default policy included). */
    static void deployer(IConstruct stateMachine) {
        NagSuppressions.addResourceSuppressions(stateMachine, List.of(
                suppression("AwsSolutions-IAM5", "Step Functions logging uses the CloudWatch Logs delivery APIs "
                        + "(logs:CreateLogDelivery and friends), which require Resource '*' (Step Functions "
                        + "developer guide, 'IAM policies for logging to CloudWatch Logs'); X-Ray tracing likewise.",
                        ANY_RESOURCE)), true);
        // cfn-lint 1.x's schema of a state machine definition (E3601) types TimeoutSeconds as a number; in a
        // JSONata state it may be an expression whose value is a positive integer (CDK's sfn.Timeout.jsonata,
        // the ASL's JSONata mode): "Wait for approval" waits for the environment's configured approval timeout.
        // Only that rule, only on the state machine; the definition itself is checked by the local engine's
        // loader and AslValidatorIT.
        ((software.amazon.awscdk.CfnResource) stateMachine.getNode().getDefaultChild()).addMetadata("cfn-lint",
                java.util.Map.of("config", java.util.Map.of("ignore_checks", List.of("E3601"))));
    }

    /** On the push trigger's dead-letter queue. */
    static void deadLetterQueue(IConstruct queue) {
        NagSuppressions.addResourceSuppressions(queue, List.of(
                suppression("AwsSolutions-SQS3", "This queue is itself the dead-letter queue of the EventBridge "
                        + "target; nothing consumes it automatically, an alarm reports any message in it.")));
    }

    /** On the promote API. */
    static void promoteApi(IConstruct api) {
        NagSuppressions.addResourceSuppressions(api, List.of(
                suppression("AwsSolutions-COG4", "Callers are AWS principals (CI roles, operators) signing with "
                        + "SigV4: IAM authorization, not Cognito user pools, and a resource policy limits them to "
                        + "the account."),
                suppression("AwsSolutions-APIG3", "The API is IAM-authorized, account-limited and throttled; a "
                        + "platform team that runs AWS WAF associates its own web ACL with the stage."),
                suppression("AwsSolutions-IAM4", "API Gateway's account-level CloudWatch role uses the AWS managed "
                        + "policy AmazonAPIGatewayPushToCloudWatchLogs, as the API Gateway developer guide documents; "
                        + "it is shared by every API of the account in the region.",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")),
                true);
    }

    private static NagPackSuppression suppression(String id, String reason) {
        return NagPackSuppression.builder().id(id).reason(reason).build();
    }

    private static NagPackSuppression suppression(String id, String reason, String appliesTo) {
        return suppression(id, reason, List.of(appliesTo));
    }

    private static NagPackSuppression suppression(String id, String reason, List<String> appliesTo) {
        return NagPackSuppression.builder().id(id).reason(reason).appliesTo(appliesTo).build();
    }
}
