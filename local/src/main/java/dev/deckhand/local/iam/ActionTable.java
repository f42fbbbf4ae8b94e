package dev.deckhand.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * For every action Deckhand's functions call, how AWS authorizes a request: which action on which
 * resource ARN(s), with which condition keys, as the Service Authorization Reference lists them
 * (the resource types of the action's row; "*" where it lists none). An action missing here is
 * refused for a function (fail closed): adding a call to a handler means adding its row.
 *
 * <p>Sources, by service (Service Authorization Reference, list_&lt;service&gt;.html): ECS —
 * DescribeServices/UpdateService on {@code service}, with {@code ecs:cluster}; RunTask on
 * {@code task-definition} with {@code ecs:cluster}; DescribeTasks/StopTask on {@code task} with
 * {@code ecs:cluster}; ListTasks on {@code container-instance} with {@code ecs:cluster};
 * Register/DescribeTaskDefinition on "*"; tagging on create needs TagResource with
 * {@code ecs:CreateAction} (supported-iam-actions-tagging); the roles in a task definition need
 * iam:PassRole with {@code iam:PassedToService} (id_roles_use_passrole). DynamoDB — item actions
 * on {@code table}, Query on the {@code index} it names; a transaction's items each need their
 * own action (transaction-apis-iam). EventBridge — PutEvents on {@code event-bus} with
 * {@code events:source} per entry (eb-use-conditions). SNS Publish on {@code topic}; SSM
 * GetParameter on {@code parameter}; Secrets Manager GetSecretValue on {@code Secret}; ECR
 * DescribeImages on {@code repository}; CloudWatch Logs GetLogEvents on {@code log-stream}. STS
 * (list_awssecuritytokenservice) AssumeRole on {@code role}: the role asked for, whose trust policy
 * must also admit the caller.
 */
public final class ActionTable {

    /**
     * Where requests are authorized: the account and region ARNs are built in, secrets' full ARNs,
     * the state machine a waiting task token belongs to, and the tags of an ECS task (by its ARN).
     */
    public record Scope(String region, String account, Function<String, Optional<String>> secretArn,
            Function<String, Optional<String>> taskTokenOwner, Function<String, Map<String, String>> taskTags) {

        /** A scope whose ECS tasks carry no tags. */
        public Scope(String region, String account, Function<String, Optional<String>> secretArn,
                Function<String, Optional<String>> taskTokenOwner) {
            this(region, account, secretArn, taskTokenOwner, task -> Map.of());
        }

        /** The same scope in another account (a role assumed there). */
        Scope in(String otherAccount) {
            return new Scope(region, otherAccount, secretArn, taskTokenOwner, taskTags);
        }

        String arn(String service, String resource) {
            return "arn:aws:" + service + ":" + region + ":" + account + ":" + resource;
        }
    }

    @FunctionalInterface
    private interface Rule {
        List<Authorization> authorizations(JsonNode request, Scope scope);
    }

    private static final String PASSED_TO_SERVICE = "iam:PassedToService";
    private static final String ECS_TASKS = "ecs-tasks.amazonaws.com";
    private static final String ECS = "ecs.amazonaws.com";

    private static final Map<String, Rule> RULES = Map.ofEntries(
            // ECS
            Map.entry("ecs:DescribeServices", (request, scope) -> eachText(request.path("services"), service ->
                    ecsInCluster("ecs:DescribeServices", serviceArn(request, service, scope), request, scope))),
            Map.entry("ecs:UpdateService", ActionTable::updateService),
            // On each service deployment asked for (service-deployment-permissions: the service-deployment resource).
            Map.entry("ecs:DescribeServiceDeployments", (request, scope) -> eachText(request.path("serviceDeploymentArns"),
                    arn -> Authorization.of("ecs:DescribeServiceDeployments", arn))),
            Map.entry("ecs:DescribeTaskDefinition", (request, scope) -> List.of(Authorization.of("ecs:DescribeTaskDefinition", "*"))),
            // The cleanup after a success (RevisionCleanup): authorized on "*", as the rendered statements grant them.
            Map.entry("ecs:ListTaskDefinitions", (request, scope) -> List.of(Authorization.of("ecs:ListTaskDefinitions", "*"))),
            Map.entry("ecs:DeregisterTaskDefinition", (request, scope) -> List.of(
                    Authorization.of("ecs:DeregisterTaskDefinition", "*"))),
            Map.entry("ecs:RegisterTaskDefinition", ActionTable::registerTaskDefinition),
            Map.entry("ecs:ListTasks", (request, scope) -> List.of(ecsInCluster("ecs:ListTasks",
                    scope.arn("ecs", "container-instance/" + clusterName(request) + "/*"), request, scope))),
            Map.entry("ecs:DescribeTasks", (request, scope) -> eachText(request.path("tasks"), task ->
                    ecsInCluster("ecs:DescribeTasks", taskArn(request, task, scope), request, scope))),
            Map.entry("ecs:StopTask", (request, scope) -> List.of(taggedTask("ecs:StopTask",
                    taskArn(request, request.path("task").asText(), scope), request, scope))),
            Map.entry("ecs:RunTask", ActionTable::runTask),
            // Service deployments are listed per service (service-deployment-permissions in the ECS developer guide).
            Map.entry("ecs:ListServiceDeployments", (request, scope) -> List.of(ecsInCluster("ecs:ListServiceDeployments",
                    serviceArn(request, request.path("service").asText(), scope), request, scope))),
            // Step Functions: a callback is authorized on the state machine whose execution waits for the token
            // (as the CDK's StateMachine.grantTaskResponse grants it); a token no task waits for is "*".
            Map.entry("states:SendTaskSuccess", (request, scope) -> List.of(Authorization.of("states:SendTaskSuccess",
                    scope.taskTokenOwner().apply(request.path("taskToken").asText()).orElse("*")))),
            // StartExecution is authorized on the stateMachine it starts (list_awsstepfunctions: StartExecution, stateMachine).
            Map.entry("states:StartExecution", (request, scope) -> List.of(Authorization.of("states:StartExecution",
                    request.path("stateMachineArn").asText()))),
            // DynamoDB
            Map.entry("dynamodb:GetItem", (request, scope) -> List.of(table("dynamodb:GetItem", request, scope))),
            Map.entry("dynamodb:PutItem", (request, scope) -> List.of(table("dynamodb:PutItem", request, scope))),
            Map.entry("dynamodb:UpdateItem", (request, scope) -> List.of(table("dynamodb:UpdateItem", request, scope))),
            Map.entry("dynamodb:DeleteItem", (request, scope) -> List.of(table("dynamodb:DeleteItem", request, scope))),
            Map.entry("dynamodb:Query", (request, scope) -> List.of(Authorization.of("dynamodb:Query",
                    scope.arn("dynamodb", "table/" + request.path("TableName").asText()
                            + (request.hasNonNull("IndexName") ? "/index/" + request.path("IndexName").asText() : ""))))),
            Map.entry("dynamodb:TransactWriteItems", ActionTable::transactWriteItems),
            // Notifications
            Map.entry("events:PutEvents", (request, scope) -> each(request.path("Entries"), entry -> new Authorization(
                    "events:PutEvents", scope.arn("events", "event-bus/" + busName(entry.path("EventBusName").asText("default"))),
                    Map.of("events:source", entry.path("Source").asText())))),
            Map.entry("sns:Publish", (request, scope) -> List.of(Authorization.of("sns:Publish",
                    request.path("TopicArn").asText(request.path("TargetArn").asText())))),
            Map.entry("secretsmanager:GetSecretValue", (request, scope) -> {
                String id = request.path("SecretId").asText();
                String arn = id.startsWith("arn:") ? id : scope.secretArn().apply(id)
                        .orElse(scope.arn("secretsmanager", "secret:" + id));
                return List.of(Authorization.of("secretsmanager:GetSecretValue", arn));
            }),
            // Configuration, images, logs
            Map.entry("ssm:GetParameter", (request, scope) -> {
                String name = request.path("Name").asText();
                return List.of(Authorization.of("ssm:GetParameter",
                        scope.arn("ssm", "parameter/" + (name.startsWith("/") ? name.substring(1) : name))));
            }),
            Map.entry("ecr:DescribeImages", (request, scope) -> List.of(Authorization.of("ecr:DescribeImages",
                    "arn:aws:ecr:" + scope.region() + ":" + request.path("registryId").asText(scope.account())
                            + ":repository/" + request.path("repositoryName").asText()))),
            Map.entry("logs:GetLogEvents", (request, scope) -> List.of(Authorization.of("logs:GetLogEvents",
                    scope.arn("logs", "log-group:" + request.path("logGroupName").asText() + ":log-stream:"
                            + request.path("logStreamName").asText())))),
            // CloudWatch alarms (list_amazoncloudwatch: DescribeAlarms, PutMetricAlarm and SetAlarmState on
            // alarm*, arn:${Partition}:cloudwatch:${Region}:${Account}:alarm:${AlarmName}). DescribeAlarms without
            // AlarmNames reads every alarm (and composite alarms need the permission on "*", API_DescribeAlarms),
            // so it is judged on "*".
            Map.entry("cloudwatch:DescribeAlarms", (request, scope) -> request.path("AlarmNames").isEmpty()
                    ? List.of(Authorization.of("cloudwatch:DescribeAlarms", "*"))
                    : eachText(request.path("AlarmNames"), name -> Authorization.of("cloudwatch:DescribeAlarms",
                            scope.arn("cloudwatch", "alarm:" + name)))),
            Map.entry("cloudwatch:PutMetricAlarm", (request, scope) -> List.of(Authorization.of(
                    "cloudwatch:PutMetricAlarm", scope.arn("cloudwatch", "alarm:" + request.path("AlarmName").asText())))),
            Map.entry("cloudwatch:SetAlarmState", (request, scope) -> List.of(Authorization.of(
                    "cloudwatch:SetAlarmState", scope.arn("cloudwatch", "alarm:" + request.path("AlarmName").asText())))),
            // STS: a query call, whose form parameters the local cloud hands over as a JSON object.
            Map.entry("sts:AssumeRole", (request, scope) -> List.of(Authorization.of("sts:AssumeRole",
                    request.path("RoleArn").asText()))));

    private ActionTable() {
    }

    /** Whether {@code action} ({@code service:Operation}) has a row. */
    public static boolean knows(String action) {
        return RULES.containsKey(action);
    }

    /**
     * The authorizations a request needs.
     *
     * @throws IllegalArgumentException when the action has no row (the caller refuses it)
     */
    public static List<Authorization> authorizations(String action, JsonNode request, Scope scope) {
        Rule rule = RULES.get(action);
        if (rule == null) {
            throw new IllegalArgumentException("no local authorization rule for " + action);
        }
        return rule.authorizations(request, scope);
    }

    private static List<Authorization> registerTaskDefinition(JsonNode request, Scope scope) {
        List<Authorization> needed = new ArrayList<>();
        needed.add(Authorization.of("ecs:RegisterTaskDefinition", "*"));
        if (request.path("tags").size() > 0) {
            needed.add(new Authorization("ecs:TagResource",
                    scope.arn("ecs", "task-definition/" + request.path("family").asText() + ":*"),
                    Map.of("ecs:CreateAction", "RegisterTaskDefinition")));
        }
        for (String role : List.of("taskRoleArn", "executionRoleArn")) {
            if (request.hasNonNull(role)) {
                needed.add(new Authorization("iam:PassRole", request.path(role).asText(), Map.of(PASSED_TO_SERVICE, ECS_TASKS)));
            }
        }
        return needed;
    }

    /**
     * UpdateService on the service; a role it hands ECS (a lifecycle hook's roleArn, a load
     * balancer's advancedConfiguration.roleArn) also needs iam:PassRole with iam:PassedToService
     * ecs.amazonaws.com, the principal that assumes it ("Permissions required for Lambda functions
     * in Amazon ECS blue/green deployments": the hook role trusts ecs.amazonaws.com).
     */
    private static List<Authorization> updateService(JsonNode request, Scope scope) {
        List<Authorization> needed = new ArrayList<>();
        needed.add(ecsInCluster("ecs:UpdateService", serviceArn(request, request.path("service").asText(), scope),
                request, scope));
        java.util.Set<String> roles = new java.util.LinkedHashSet<>();
        request.path("deploymentConfiguration").path("lifecycleHooks")
                .forEach(hook -> roles.add(hook.path("roleArn").asText("")));
        request.path("loadBalancers")
                .forEach(balancer -> roles.add(balancer.path("advancedConfiguration").path("roleArn").asText("")));
        roles.remove("");
        roles.forEach(role -> needed.add(new Authorization("iam:PassRole", role, Map.of(PASSED_TO_SERVICE, ECS))));
        return needed;
    }

    private static List<Authorization> runTask(JsonNode request, Scope scope) {
        String definition = request.path("taskDefinition").asText();
        String arn = definition.startsWith("arn:") ? definition : scope.arn("ecs", "task-definition/" + definition);
        List<Authorization> needed = new ArrayList<>();
        needed.add(ecsInCluster("ecs:RunTask", arn, request, scope));
        if (request.path("tags").size() > 0) {
            needed.add(new Authorization("ecs:TagResource", scope.arn("ecs", "task/" + clusterName(request) + "/*"),
                    Map.of("ecs:CreateAction", "RunTask")));
        }
        for (String role : List.of("taskRoleArn", "executionRoleArn")) {
            if (request.path("overrides").hasNonNull(role)) {
                needed.add(new Authorization("iam:PassRole", request.path("overrides").path(role).asText(),
                        Map.of(PASSED_TO_SERVICE, ECS_TASKS)));
            }
        }
        return needed;
    }

    private static List<Authorization> transactWriteItems(JsonNode request, Scope scope) {
        List<Authorization> needed = new ArrayList<>();
        for (JsonNode item : request.path("TransactItems")) {
            item.fields().forEachRemaining(kind -> {
                String action = switch (kind.getKey()) {
                    case "Put" -> "dynamodb:PutItem";
                    case "Update" -> "dynamodb:UpdateItem";
                    case "Delete" -> "dynamodb:DeleteItem";
                    case "ConditionCheck" -> "dynamodb:ConditionCheckItem";
                    default -> "dynamodb:" + kind.getKey();
                };
                needed.add(table(action, kind.getValue(), scope));
            });
        }
        return needed;
    }

    private static Authorization table(String action, JsonNode request, Scope scope) {
        return Authorization.of(action, scope.arn("dynamodb", "table/" + request.path("TableName").asText()));
    }

    /**
     * An action on a task: the task resource type carries {@code aws:ResourceTag/<key>} and
     * {@code ecs:ResourceTag/<key>} (Service Authorization Reference for Amazon ECS, resource types:
     * task), read from the task's tags in the local ECS, besides {@code ecs:cluster}.
     */
    private static Authorization taggedTask(String action, String task, JsonNode request, Scope scope) {
        Map<String, String> context = new java.util.HashMap<>(ecsInCluster(action, task, request, scope).context());
        scope.taskTags().apply(task).forEach((key, value) -> {
            context.put("aws:ResourceTag/" + key, value);
            context.put("ecs:ResourceTag/" + key, value);
        });
        return new Authorization(action, task, context);
    }

    private static Authorization ecsInCluster(String action, String resource, JsonNode request, Scope scope) {
        return new Authorization(action, resource, Map.of("ecs:cluster", scope.arn("ecs", "cluster/" + clusterName(request))));
    }

    /** The cluster a request names (short name or ARN); ECS's default cluster when none. */
    private static String clusterName(JsonNode request) {
        String cluster = request.path("cluster").asText("default");
        return cluster.startsWith("arn:") ? cluster.substring(cluster.lastIndexOf('/') + 1) : cluster;
    }

    private static String serviceArn(JsonNode request, String service, Scope scope) {
        return service.startsWith("arn:") ? service : scope.arn("ecs", "service/" + clusterName(request) + "/" + service);
    }

    private static String taskArn(JsonNode request, String task, Scope scope) {
        return task.startsWith("arn:") ? task : scope.arn("ecs", "task/" + clusterName(request) + "/" + task);
    }

    private static String busName(String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? nameOrArn.substring(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
    }

    private static List<Authorization> each(JsonNode values, Function<JsonNode, Authorization> authorization) {
        List<Authorization> needed = new ArrayList<>();
        values.forEach(value -> needed.add(authorization.apply(value)));
        return needed;
    }

    private static List<Authorization> eachText(JsonNode values, Function<String, Authorization> authorization) {
        List<Authorization> needed = new ArrayList<>();
        values.forEach(value -> needed.add(authorization.apply(value.asText())));
        return needed;
    }
}
