package dev.deckhand.local.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Rows of the action table against the Service Authorization Reference (list_amazonelasticcontainerservice,
 * list_amazondynamodb, list_amazoneventbridge, list_awssecretsmanager): the resource type each action
 * is authorized on, and the condition keys the request supplies.
 */
class ActionTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ActionTable.Scope SCOPE = new ActionTable.Scope("eu-west-1", "111122223333",
            name -> name.equals("deckhand/slack") ? Optional.of("arn:aws:secretsmanager:eu-west-1:111122223333:secret:deckhand/slack-AbC123")
                    : Optional.empty(),
            token -> token.equals("waiting") ? Optional.of("arn:aws:states:eu-west-1:111122223333:stateMachine:deployer")
                    : Optional.empty());

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void stopTaskCarriesTheTasksTagsAsResourceTagKeys() throws Exception {
        // Service Authorization Reference for Amazon ECS, resource types: task carries aws:ResourceTag/<key>
        // and ecs:ResourceTag/<key>; StopTask is authorized on the task with ecs:cluster.
        String task = "arn:aws:ecs:eu-west-1:111122223333:task/acme-dev/abc";
        ActionTable.Scope tagged = new ActionTable.Scope(SCOPE.region(), SCOPE.account(), SCOPE.secretArn(),
                SCOPE.taskTokenOwner(), arn -> arn.equals(task) ? Map.of("deckhand:task", "migration") : Map.of());

        assertThat(ActionTable.authorizations("ecs:StopTask", json("{\"cluster\":\"acme-dev\",\"task\":\"abc\"}"), tagged))
                .containsExactly(new Authorization("ecs:StopTask", task, Map.of(
                        "ecs:cluster", "arn:aws:ecs:eu-west-1:111122223333:cluster/acme-dev",
                        "aws:ResourceTag/deckhand:task", "migration", "ecs:ResourceTag/deckhand:task", "migration")));
        assertThat(ActionTable.authorizations("ecs:StopTask", json("{\"cluster\":\"acme-dev\",\"task\":\"other\"}"), tagged))
                .containsExactly(new Authorization("ecs:StopTask", "arn:aws:ecs:eu-west-1:111122223333:task/acme-dev/other",
                        Map.of("ecs:cluster", "arn:aws:ecs:eu-west-1:111122223333:cluster/acme-dev")));
    }

    @Test
    void describeAlarmsIsAuthorizedPerNamedAlarmAndOnEveryAlarmWithoutNames() throws Exception {
        // Service Authorization Reference for Amazon CloudWatch: DescribeAlarms on alarm*
        // (arn:${Partition}:cloudwatch:${Region}:${Account}:alarm:${AlarmName}); CloudWatch signs as "monitoring".
        assertThat(IamEnforcement.iamPrefix("monitoring")).isEqualTo("cloudwatch");
        assertThat(ActionTable.authorizations("cloudwatch:DescribeAlarms", json("{\"AlarmNames\":[\"a\",\"b\"]}"), SCOPE))
                .extracting(Authorization::resource).containsExactly(
                        "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:a", "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:b");
        assertThat(ActionTable.authorizations("cloudwatch:DescribeAlarms", json("{\"AlarmNamePrefix\":\"a\"}"), SCOPE))
                .containsExactly(Authorization.of("cloudwatch:DescribeAlarms", "*"));
    }

    @Test
    void listTasksIsAuthorizedOnTheContainerInstanceTypeWithTheClusterKey() throws Exception {
        assertThat(ActionTable.authorizations("ecs:ListTasks", json("{\"cluster\":\"acme-dev\",\"family\":\"web\"}"), SCOPE))
                .containsExactly(new Authorization("ecs:ListTasks",
                        "arn:aws:ecs:eu-west-1:111122223333:container-instance/acme-dev/*",
                        Map.of("ecs:cluster", "arn:aws:ecs:eu-west-1:111122223333:cluster/acme-dev")));
    }

    @Test
    void registeringATaggedRevisionWithRolesNeedsTagResourceOnCreationAndPassRoleToEcsTasksForEachRole() throws Exception {
        JsonNode request = json("{\"family\":\"web\",\"taskRoleArn\":\"arn:aws:iam::1:role/t\","
                + "\"executionRoleArn\":\"arn:aws:iam::1:role/e\",\"tags\":[{\"key\":\"deckhand:deployment\",\"value\":\"d\"}]}");
        assertThat(ActionTable.authorizations("ecs:RegisterTaskDefinition", request, SCOPE)).containsExactly(
                Authorization.of("ecs:RegisterTaskDefinition", "*"),
                new Authorization("ecs:TagResource", "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:*",
                        Map.of("ecs:CreateAction", "RegisterTaskDefinition")),
                new Authorization("iam:PassRole", "arn:aws:iam::1:role/t", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")),
                new Authorization("iam:PassRole", "arn:aws:iam::1:role/e", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")));
    }

    @Test
    void updatingAServiceWithHooksAndABlueGreenLoadBalancerPassesEachRoleToEcs() throws Exception {
        // blue-green-permissions: ECS (ecs.amazonaws.com) assumes the hook's role to invoke it, and the
        // load balancer's advancedConfiguration role to move traffic, so the caller passes both to ECS.
        JsonNode request = json("{\"cluster\":\"acme-dev\",\"service\":\"api\",\"deploymentConfiguration\":"
                + "{\"lifecycleHooks\":[{\"roleArn\":\"arn:aws:iam::111122223333:role/hook\"}]},"
                + "\"loadBalancers\":[{\"advancedConfiguration\":{\"roleArn\":\"arn:aws:iam::111122223333:role/elb\"}}]}");
        assertThat(ActionTable.authorizations("ecs:UpdateService", request, SCOPE)).containsExactly(
                new Authorization("ecs:UpdateService", "arn:aws:ecs:eu-west-1:111122223333:service/acme-dev/api",
                        Map.of("ecs:cluster", "arn:aws:ecs:eu-west-1:111122223333:cluster/acme-dev")),
                new Authorization("iam:PassRole", "arn:aws:iam::111122223333:role/hook",
                        Map.of("iam:PassedToService", "ecs.amazonaws.com")),
                new Authorization("iam:PassRole", "arn:aws:iam::111122223333:role/elb",
                        Map.of("iam:PassedToService", "ecs.amazonaws.com")));
        // Without roles, UpdateService alone, as before.
        assertThat(ActionTable.authorizations("ecs:UpdateService",
                json("{\"cluster\":\"acme-dev\",\"service\":\"api\",\"taskDefinition\":\"api:2\"}"), SCOPE))
                .extracting(Authorization::action).containsExactly("ecs:UpdateService");
    }

    @Test
    void describeServicesIsAuthorizedPerServiceInItsCluster() throws Exception {
        assertThat(ActionTable.authorizations("ecs:DescribeServices",
                json("{\"cluster\":\"arn:aws:ecs:eu-west-1:111122223333:cluster/acme-dev\",\"services\":[\"a\",\"b\"]}"), SCOPE))
                .extracting(Authorization::resource).containsExactly(
                        "arn:aws:ecs:eu-west-1:111122223333:service/acme-dev/a",
                        "arn:aws:ecs:eu-west-1:111122223333:service/acme-dev/b");
    }

    @Test
    void aTransactionNeedsEachItemsOwnActionOnItsTable() throws Exception {
        // transaction-apis-iam: a TransactWriteItems Put is authorized as PutItem, an Update as UpdateItem.
        JsonNode request = json("{\"TransactItems\":[{\"Put\":{\"TableName\":\"h\"}},{\"Update\":{\"TableName\":\"l\"}}]}");
        assertThat(ActionTable.authorizations("dynamodb:TransactWriteItems", request, SCOPE)).containsExactly(
                Authorization.of("dynamodb:PutItem", "arn:aws:dynamodb:eu-west-1:111122223333:table/h"),
                Authorization.of("dynamodb:UpdateItem", "arn:aws:dynamodb:eu-west-1:111122223333:table/l"));
    }

    @Test
    void aQueryOnAnIndexIsAuthorizedOnTheIndex() throws Exception {
        assertThat(ActionTable.authorizations("dynamodb:Query", json("{\"TableName\":\"h\",\"IndexName\":\"byTarget\"}"), SCOPE))
                .containsExactly(Authorization.of("dynamodb:Query", "arn:aws:dynamodb:eu-west-1:111122223333:table/h/index/byTarget"));
    }

    @Test
    void eachEventIsAuthorizedOnItsBusWithItsOwnSource() throws Exception {
        // eb-use-conditions: events:source is the entry's Source.
        JsonNode request = json("{\"Entries\":[{\"Source\":\"deckhand\"},{\"Source\":\"aws.ecr\",\"EventBusName\":\"other\"}]}");
        assertThat(ActionTable.authorizations("events:PutEvents", request, SCOPE)).containsExactly(
                new Authorization("events:PutEvents", "arn:aws:events:eu-west-1:111122223333:event-bus/default",
                        Map.of("events:source", "deckhand")),
                new Authorization("events:PutEvents", "arn:aws:events:eu-west-1:111122223333:event-bus/other",
                        Map.of("events:source", "aws.ecr")));
    }

    @Test
    void aSecretNamedByNameIsAuthorizedOnItsFullArn() throws Exception {
        assertThat(ActionTable.authorizations("secretsmanager:GetSecretValue", json("{\"SecretId\":\"deckhand/slack\"}"), SCOPE))
                .containsExactly(Authorization.of("secretsmanager:GetSecretValue",
                        "arn:aws:secretsmanager:eu-west-1:111122223333:secret:deckhand/slack-AbC123"));
    }

    @Test
    void assumeRoleIsAuthorizedOnTheRoleAskedFor() throws Exception {
        // list_awssecuritytokenservice: AssumeRole, resource type role.
        assertThat(ActionTable.authorizations("sts:AssumeRole",
                json("{\"RoleArn\":\"arn:aws:iam::444455556666:role/deckhand-deploy\",\"RoleSessionName\":\"x\"}"), SCOPE))
                .containsExactly(Authorization.of("sts:AssumeRole", "arn:aws:iam::444455556666:role/deckhand-deploy"));
    }

    @Test
    void anActionWithoutARowIsNotKnown() throws Exception {
        assertThat(ActionTable.knows("ecs:DeleteService")).isFalse();
        assertThatThrownBy(() -> ActionTable.authorizations("ecs:DeleteService", json("{}"), SCOPE))
                .hasMessageContaining("no local authorization rule for ecs:DeleteService");
    }
}
