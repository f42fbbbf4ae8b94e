package dev.deckhand.local.gateway;

import static dev.deckhand.local.aws.RequestValidator.Limit.items;
import static dev.deckhand.local.aws.RequestValidator.Limit.length;
import static dev.deckhand.local.aws.RequestValidator.Limit.pattern;
import static dev.deckhand.local.aws.RequestValidator.Limit.range;
import static dev.deckhand.local.aws.RequestValidator.Limit.utf8Bytes;

import dev.deckhand.local.aws.RequestValidator;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The request validation of every AWS JSON service the local cloud answers: the SDK model of each
 * (required members, JSON types, enums) plus one table per service of what the model lacks —
 * lengths, at-most-N items, ranges and patterns — each row naming the API reference page it
 * encodes. DynamoDB is DynamoDB Local, which validates itself.
 */
public final class ServiceRules {

    /** Validators by X-Amz-Target prefix. */
    public static Map<String, RequestValidator> byTargetPrefix() {
        return Map.of(
                "AmazonEC2ContainerServiceV20141113", ecs(),
                "AmazonEC2ContainerRegistry_V20150921", ecr(),
                "AWSStepFunctions", stepFunctions(),
                "AWSEvents", eventBridge(),
                "AmazonSSM", ssm(),
                "secretsmanager", secretsManager(),
                "Logs_20140328", cloudWatchLogs(),
                "GraniteServiceVersion20100801", cloudWatch());
    }

    /**
     * The SDK's model of DynamoDB, for what {@link AwsGateway#unmodelledMembers} reports only:
     * DynamoDB Local validates DynamoDB's requests itself.
     */
    static RequestValidator dynamoDbModel() {
        return new RequestValidator("software.amazon.awssdk.services.dynamodb.model", "ValidationException", List.of());
    }

    /**
     * "Required: Yes" members of one operation (API_{@code operation}, Request Parameters). The SDK's
     * models of these services carry no RequiredTrait in this release, so the reference is restated here.
     */
    private static List<RequestValidator.Limit> required(String operation, String... members) {
        return Arrays.stream(members).map(member -> RequestValidator.Limit.required(operation, member,
                "API_" + operation + ", " + member + ": Required: Yes")).toList();
    }

    private static List<RequestValidator.Limit> table(List<List<RequestValidator.Limit>> parts) {
        return parts.stream().flatMap(List::stream).toList();
    }

    /**
     * ECS answers invalid parameters with InvalidParameterException (each operation's "Errors":
     * "The specified parameter isn't valid. Review the available parameters for the API request.").
     */
    static RequestValidator ecs() {
        // RegisterTaskDefinition's family and container list, and CreateService's serviceName, are checked by
        // the local ECS itself with the messages ECS gives (ClientException "Container list cannot be empty.").
        return new RequestValidator("software.amazon.awssdk.services.ecs.model", "InvalidParameterException", table(List.of(
                required("DescribeServices", "services"),
                required("DescribeTasks", "tasks"),
                required("RunTask", "taskDefinition"),
                required("StopTask", "task"),
                required("UpdateService", "service"),
                required("DeleteService", "service"),
                required("DescribeTaskDefinition", "taskDefinition"),
                required("DeregisterTaskDefinition", "taskDefinition"),
                required("ListServiceDeployments", "service"),
                required("DescribeServiceDeployments", "serviceDeploymentArns"),
                List.of(
                // maxResults "can be between 1 and 100" on each list operation.
                range("ListTasks", "maxResults", 1, 100, "API_ListTasks, maxResults"),
                range("ListTaskDefinitions", "maxResults", 1, 100, "API_ListTaskDefinitions, maxResults"),
                range("ListServiceDeployments", "maxResults", 1, 100, "API_ListServiceDeployments, maxResults"),
                // "You can specify up to 100 tasks/10 services to describe."
                items("DescribeTasks", "tasks", 0, 100, "API_DescribeTasks, tasks"),
                items("DescribeServices", "services", 0, 10, "API_DescribeServices, services"),
                // "You can specify up to 10 tasks for each call."
                range("RunTask", "count", 1, 10, "API_RunTask, count"),
                // startedBy: "Up to 128 letters (uppercase and lowercase), numbers, hyphens (-), forward slash (/),
                // and underscores (_) are allowed."
                length("RunTask", "startedBy", 0, 128, "API_RunTask, startedBy"),
                pattern("RunTask", "startedBy", "[A-Za-z0-9_/-]*", "API_RunTask, startedBy")))));
    }

    /** ECR: InvalidParameterException, "The specified parameter is invalid." (each operation's "Errors"). */
    static RequestValidator ecr() {
        String repository = "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*";
        List<RequestValidator.Limit> table = new java.util.ArrayList<>();
        for (String operation : List.of("DescribeImages", "ListImages", "BatchGetImage", "BatchDeleteImage", "PutImage",
                "CreateRepository", "PutLifecyclePolicy", "GetLifecyclePolicy")) {
            // repositoryName: "Length Constraints: Minimum length of 2. Maximum length of 256." and its pattern.
            table.add(length(operation, "repositoryName", 2, 256, "API_" + operation + ", repositoryName"));
            table.add(pattern(operation, "repositoryName", repository, "API_" + operation + ", repositoryName"));
        }
        for (String operation : List.of("DescribeImages", "ListImages", "BatchGetImage", "BatchDeleteImage", "PutImage",
                "CreateRepository", "PutLifecyclePolicy")) {
            table.addAll(required(operation, "repositoryName"));
        }
        table.addAll(required("BatchGetImage", "imageIds"));
        table.addAll(required("BatchDeleteImage", "imageIds"));
        table.addAll(required("PutImage", "imageManifest"));
        table.addAll(required("PutLifecyclePolicy", "lifecyclePolicyText"));
        table.addAll(List.of(
                // maxResults: "Valid Range: Minimum value of 1. Maximum value of 1000."
                range("DescribeImages", "maxResults", 1, 1000, "API_DescribeImages, maxResults"),
                range("ListImages", "maxResults", 1, 1000, "API_ListImages, maxResults"),
                // imageIds: "Array Members: Minimum number of 1 item. Maximum number of 100 items."
                items("BatchGetImage", "imageIds", 1, 100, "API_BatchGetImage, imageIds"),
                items("BatchDeleteImage", "imageIds", 1, 100, "API_BatchDeleteImage, imageIds"),
                items("DescribeImages", "imageIds", 1, 100, "API_DescribeImages, imageIds"),
                // lifecyclePolicyText: "Length Constraints: Minimum length of 100. Maximum length of 30720."
                length("PutLifecyclePolicy", "lifecyclePolicyText", 100, 30720,
                        "API_PutLifecyclePolicy, lifecyclePolicyText")));
        return new RequestValidator("software.amazon.awssdk.services.ecr.model", "InvalidParameterException", table);
    }

    /** Step Functions: ValidationException ("The input does not satisfy the constraints specified by an AWS service."). */
    static RequestValidator stepFunctions() {
        return new RequestValidator("software.amazon.awssdk.services.sfn.model", "ValidationException", table(List.of(
                required("StartExecution", "stateMachineArn"),
                required("DescribeExecution", "executionArn"),
                required("GetExecutionHistory", "executionArn"),
                required("StopExecution", "executionArn"),
                required("RedriveExecution", "executionArn"),
                required("DescribeStateMachine", "stateMachineArn"),
                required("SendTaskSuccess", "taskToken", "output"),
                required("SendTaskFailure", "taskToken"),
                required("SendTaskHeartbeat", "taskToken"),
                List.of(
                // input: "Length constraints apply to the payload size, and are expressed as bytes in UTF-8
                // encoding." Maximum length of 262144 (256 KiB).
                utf8Bytes("StartExecution", "input", 262144, "API_StartExecution, input"),
                length("StartExecution", "name", 1, 80, "API_StartExecution, name"),
                length("StartExecution", "stateMachineArn", 1, 256, "API_StartExecution, stateMachineArn"),
                length("DescribeExecution", "executionArn", 1, 256, "API_DescribeExecution, executionArn"),
                length("StopExecution", "error", 0, 256, "API_StopExecution, error"),
                length("StopExecution", "cause", 0, 32768, "API_StopExecution, cause"),
                // maxResults: "Valid Range: Minimum value of 0. Maximum value of 1000."; nextToken 1..3096.
                range("ListExecutions", "maxResults", 0, 1000, "API_ListExecutions, maxResults"),
                length("ListExecutions", "nextToken", 1, 3096, "API_ListExecutions, nextToken"),
                range("GetExecutionHistory", "maxResults", 0, 1000, "API_GetExecutionHistory, maxResults"),
                length("GetExecutionHistory", "nextToken", 1, 3096, "API_GetExecutionHistory, nextToken"),
                utf8Bytes("SendTaskSuccess", "output", 262144, "API_SendTaskSuccess, output"),
                length("SendTaskSuccess", "taskToken", 1, 2048, "API_SendTaskSuccess, taskToken"),
                length("SendTaskFailure", "taskToken", 1, 2048, "API_SendTaskFailure, taskToken"),
                length("SendTaskFailure", "error", 0, 256, "API_SendTaskFailure, error"),
                length("SendTaskFailure", "cause", 0, 32768, "API_SendTaskFailure, cause"),
                length("SendTaskHeartbeat", "taskToken", 1, 2048, "API_SendTaskHeartbeat, taskToken")))));
    }

    /** EventBridge: ValidationException, as its request validation answers. */
    static RequestValidator eventBridge() {
        return new RequestValidator("software.amazon.awssdk.services.eventbridge.model", "ValidationException", table(List.of(
                required("PutEvents", "Entries"),
                required("PutRule", "Name"),
                required("DescribeRule", "Name"),
                required("DeleteRule", "Name"),
                required("EnableRule", "Name"),
                required("DisableRule", "Name"),
                required("PutTargets", "Rule", "Targets", "Targets.*.Id", "Targets.*.Arn"),
                required("RemoveTargets", "Rule", "Ids"),
                required("ListTargetsByRule", "Rule"),
                List.of(
                // Entries: "Array Members: Minimum number of 1 item. Maximum number of 10 items."
                items("PutEvents", "Entries", 1, 10, "API_PutEvents, Entries"),
                // Name: "Length Constraints: Minimum length of 1. Maximum length of 64. Pattern: [\.\-_A-Za-z0-9]+"
                length("PutRule", "Name", 1, 64, "API_PutRule, Name"),
                pattern("PutRule", "Name", "[.\\-_A-Za-z0-9]+", "API_PutRule, Name"),
                length("PutRule", "Description", 0, 512, "API_PutRule, Description"),
                length("PutRule", "ScheduleExpression", 0, 256, "API_PutRule, ScheduleExpression"),
                // Limit: "Valid Range: Minimum value of 1. Maximum value of 100."
                range("ListRules", "Limit", 1, 100, "API_ListRules, Limit"),
                // Targets: "Array Members: Minimum number of 1 item. Maximum number of 100 items."
                items("PutTargets", "Targets", 1, 100, "API_PutTargets, Targets"),
                length("PutTargets", "Targets.*.Id", 1, 64, "API_Target, Id"),
                length("PutTargets", "Targets.*.Input", 0, 8192, "API_Target, Input"),
                length("PutTargets", "Targets.*.InputPath", 0, 256, "API_Target, InputPath"),
                items("RemoveTargets", "Ids", 1, 100, "API_RemoveTargets, Ids")))));
    }

    /** SSM: ValidationException for its request validation (the SDK models it). */
    static RequestValidator ssm() {
        return new RequestValidator("software.amazon.awssdk.services.ssm.model", "ValidationException", table(List.of(
                required("GetParameter", "Name"),
                required("PutParameter", "Name", "Value"),
                required("GetParameters", "Names"),
                required("GetParametersByPath", "Path"),
                required("DeleteParameter", "Name"),
                List.of(
                // Name: "Length Constraints: Minimum length of 1. Maximum length of 2048."
                length("GetParameter", "Name", 1, 2048, "API_GetParameter, Name"),
                length("PutParameter", "Name", 1, 2048, "API_PutParameter, Name"),
                length("DeleteParameter", "Name", 1, 2048, "API_DeleteParameter, Name"),
                length("PutParameter", "Description", 0, 1024, "API_PutParameter, Description"),
                // Names: "Array Members: Minimum number of 1 item. Maximum number of 10 items."
                items("GetParameters", "Names", 1, 10, "API_GetParameters, Names"),
                // MaxResults: "Valid Range: Minimum value of 1. Maximum value of 10."
                range("GetParametersByPath", "MaxResults", 1, 10, "API_GetParametersByPath, MaxResults"),
                length("GetParametersByPath", "Path", 1, 2048, "API_GetParametersByPath, Path")))));
    }

    /** Secrets Manager: InvalidParameterException, "The parameter name or value is invalid." */
    static RequestValidator secretsManager() {
        return new RequestValidator("software.amazon.awssdk.services.secretsmanager.model", "InvalidParameterException",
                table(List.of(
                        required("GetSecretValue", "SecretId"),
                        required("PutSecretValue", "SecretId"),
                        required("DescribeSecret", "SecretId"),
                        required("CreateSecret", "Name"),
                        List.of(
                        // SecretId: "Length Constraints: Minimum length of 1. Maximum length of 2048."
                        length("GetSecretValue", "SecretId", 1, 2048, "API_GetSecretValue, SecretId"),
                        length("PutSecretValue", "SecretId", 1, 2048, "API_PutSecretValue, SecretId"),
                        length("DescribeSecret", "SecretId", 1, 2048, "API_DescribeSecret, SecretId"),
                        // Name: "Length Constraints: Minimum length of 1. Maximum length of 512."
                        length("CreateSecret", "Name", 1, 512, "API_CreateSecret, Name"),
                        // SecretString: "Length Constraints: Minimum length of 0. Maximum length of 65536."
                        length("CreateSecret", "SecretString", 0, 65536, "API_CreateSecret, SecretString"),
                        length("PutSecretValue", "SecretString", 0, 65536, "API_PutSecretValue, SecretString")))));
    }

    /**
     * CloudWatch alarms. Invalid values are InvalidParameterValue (CloudWatch API reference, Common
     * Errors: "An invalid or out-of-range value was supplied for the input parameter"), whose error
     * shape is InvalidParameterValueException.
     */
    static RequestValidator cloudWatch() {
        return new RequestValidator("software.amazon.awssdk.services.cloudwatch.model", "InvalidParameterValueException",
                table(List.of(
                        required("PutMetricAlarm", "AlarmName"),
                        required("SetAlarmState", "AlarmName", "StateValue", "StateReason"),
                        required("DeleteAlarms", "AlarmNames"),
                        List.of(
                        // AlarmName: "Length Constraints: Minimum length of 1. Maximum length of 255."
                        length("PutMetricAlarm", "AlarmName", 1, 255, "API_PutMetricAlarm, AlarmName"),
                        length("SetAlarmState", "AlarmName", 1, 255, "API_SetAlarmState, AlarmName"),
                        length("SetAlarmState", "StateReason", 0, 1023, "API_SetAlarmState, StateReason"),
                        length("SetAlarmState", "StateReasonData", 0, 4000, "API_SetAlarmState, StateReasonData"),
                        // AlarmNames: "Array Members: Maximum number of 100 items."
                        items("DescribeAlarms", "AlarmNames", 0, 100, "API_DescribeAlarms, AlarmNames"),
                        length("DescribeAlarms", "AlarmNames.*", 1, 255, "API_DescribeAlarms, AlarmNames"),
                        length("DescribeAlarms", "AlarmNamePrefix", 1, 255, "API_DescribeAlarms, AlarmNamePrefix"),
                        range("DescribeAlarms", "MaxRecords", 1, 100, "API_DescribeAlarms, MaxRecords"),
                        items("DeleteAlarms", "AlarmNames", 0, 100, "API_DeleteAlarms, AlarmNames")))));
    }

    /** CloudWatch Logs: InvalidParameterException, "A parameter is specified incorrectly." (each operation's "Errors"). */
    static RequestValidator cloudWatchLogs() {
        // logGroupName: "Length Constraints: Minimum length of 1. Maximum length of 512. Pattern: [\.\-_/#A-Za-z0-9]+"
        String groupName = "[\\.\\-_/#A-Za-z0-9]+";
        return new RequestValidator("software.amazon.awssdk.services.cloudwatchlogs.model", "InvalidParameterException",
                table(List.of(
                        required("CreateLogGroup", "logGroupName"),
                        required("CreateLogStream", "logGroupName", "logStreamName"),
                        required("PutLogEvents", "logGroupName", "logStreamName", "logEvents"),
                        required("GetLogEvents", "logStreamName"),
                        List.of(
                        length("CreateLogGroup", "logGroupName", 1, 512, "API_CreateLogGroup, logGroupName"),
                        pattern("CreateLogGroup", "logGroupName", groupName, "API_CreateLogGroup, logGroupName"),
                        length("CreateLogStream", "logGroupName", 1, 512, "API_CreateLogStream, logGroupName"),
                        // logStreamName: "Minimum length of 1. Maximum length of 512. Pattern: [^:*]*"
                        length("CreateLogStream", "logStreamName", 1, 512, "API_CreateLogStream, logStreamName"),
                        pattern("CreateLogStream", "logStreamName", "[^:*]*", "API_CreateLogStream, logStreamName"),
                        // logEvents: "Minimum number of 1 item. Maximum number of 10000 items."
                        items("PutLogEvents", "logEvents", 1, 10000, "API_PutLogEvents, logEvents"),
                        // InputLogEvent message: "Minimum length of 1."
                        length("PutLogEvents", "logEvents.*.message", 1, Integer.MAX_VALUE, "InputLogEvent, message"),
                        length("GetLogEvents", "logStreamName", 1, 512, "API_GetLogEvents, logStreamName"),
                        // limit: "Valid Range: Minimum value of 1. Maximum value of 10000."
                        range("GetLogEvents", "limit", 1, 10000, "API_GetLogEvents, limit"),
                        // limit: "Valid Range: Minimum value of 1. Maximum value of 50."
                        range("DescribeLogGroups", "limit", 1, 50, "API_DescribeLogGroups, limit")))));
    }

    private ServiceRules() {
    }
}
