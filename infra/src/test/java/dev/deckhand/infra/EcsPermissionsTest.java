package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;

/** Statement by statement; the sample configuration's are also checked in the template (DeckhandStackIT). */
class EcsPermissionsTest {

    private static final Stack RESOLVER = new Stack();

    @Test
    void withoutConfiguredRolesAnyRoleOfTheAccountMayBePassedButOnlyToEcsTasks() {
        // A Fargate task definition almost always has an execution role: granting no PassRole would
        // fail the environment's first RegisterTaskDefinition with AccessDenied (id_roles_use_passrole).
        EcsPermissions permissions = EcsPermissions.forConfiguration(
                load("src/test/resources/configurations/no-roles-no-migrations.yml"));

        assertThat(actions(permissions.deploy())).containsExactly(
                List.of("ecs:DescribeServices", "ecs:ListServiceDeployments", "ecs:UpdateService"),
                List.of("ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"),
                "ecs:TagResource",
                "ecs:ListTasks",
                "ecs:DescribeTasks",
                "iam:PassRole");
        assertThat(actions(permissions.rollback())).containsExactly(
                List.of("ecs:DescribeServices", "ecs:ListServiceDeployments", "ecs:UpdateService"),
                List.of("ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"),
                "ecs:TagResource",
                "iam:PassRole");
        Map<String, Object> passRole = permissions.deploy().stream().map(EcsPermissionsTest::json)
                .filter(statement -> "iam:PassRole".equals(statement.get("Action"))).findFirst().orElseThrow();
        assertThat(passRole.get("Resource").toString()).endsWith(":role/*]]}").contains("{Ref=AWS::AccountId}");
        assertThat(passRole.get("Condition"))
                .isEqualTo(Map.of("StringEquals", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")));
    }

    @Test
    void withoutMigrationsNoTaskMayBeRun() {
        EcsPermissions permissions = EcsPermissions.forConfiguration(
                load("src/test/resources/configurations/no-roles-no-migrations.yml"));

        assertThat(permissions.migrate()).isEmpty();
        assertThat(permissions.migrationClusters()).isEmpty();
        assertThat(permissions.clusters()).containsExactly("acme-dev");
    }

    @Test
    void onlyActionsWithoutResourceLevelPermissionsTakeAnyResourceAndListTasksOnlyOnConfiguredClusters() {
        EcsPermissions permissions = EcsPermissions.forConfiguration(load("../deckhand.yml"));

        List<PolicyStatement> all = new ArrayList<>(permissions.deploy());
        all.addAll(permissions.migrate());
        all.addAll(permissions.rollback());
        assertThat(all).filteredOn(statement -> json(statement).get("Resource").equals("*"))
                .extracting(statement -> json(statement).get("Action"))
                .containsExactly(List.of("ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"), "ecs:ListTasks",
                        "ecs:DescribeTaskDefinition", "ecs:ListTasks",
                        List.of("ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"));
        Map<String, Object> listTasks = permissions.deploy().stream().map(EcsPermissionsTest::json)
                .filter(statement -> "ecs:ListTasks".equals(statement.get("Action"))).findFirst().orElseThrow();
        assertThat(listTasks).containsKey("Condition");
    }

    @Test
    void migrationsListTasksOnlyOnTheirClusters() {
        EcsPermissions permissions = EcsPermissions.forConfiguration(load("../deckhand.yml"));

        Map<String, Object> listTasks = statementWithAction(permissions, "ecs:ListTasks");
        Map<String, Object> runTask = statementWithAction(permissions, "ecs:RunTask");
        // The same three clusters as RunTask (their ARNs are checked in the template by DeckhandStackIT).
        assertThat(listTasks.get("Condition")).isEqualTo(runTask.get("Condition"));
        assertThat(runTask.get("Condition").toString()).contains("acme-dev", "acme-staging", "acme-prod");
    }

    private static Map<String, Object> statementWithAction(EcsPermissions permissions, String action) {
        return permissions.migrate().stream().map(EcsPermissionsTest::json)
                .filter(statement -> action.equals(statement.get("Action"))).findFirst().orElseThrow();
    }

    @Test
    void rollbackMayRegisterAnEquivalentOfADeregisteredRevisionWithTheConfiguredRolesOnly() {
        // API_DeregisterTaskDefinition: UpdateService refuses an INACTIVE revision, so rollback
        // registers an equivalent one, which names the same task roles.
        EcsPermissions permissions = EcsPermissions.forConfiguration(load("../deckhand.yml"));

        assertThat(actions(permissions.rollback())).containsExactly(
                List.of("ecs:DescribeServices", "ecs:ListServiceDeployments", "ecs:UpdateService"),
                List.of("ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"),
                "ecs:TagResource",
                "iam:PassRole");
        Map<String, Object> tag = permissions.rollback().stream().map(EcsPermissionsTest::json)
                .filter(statement -> "ecs:TagResource".equals(statement.get("Action"))).findFirst().orElseThrow();
        assertThat(tag.get("Condition"))
                .isEqualTo(Map.of("StringEquals", Map.of("ecs:CreateAction", "RegisterTaskDefinition")));
        Map<String, Object> passRole = permissions.rollback().stream().map(EcsPermissionsTest::json)
                .filter(statement -> "iam:PassRole".equals(statement.get("Action"))).findFirst().orElseThrow();
        assertThat(passRole.get("Condition"))
                .isEqualTo(Map.of("StringEquals", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")));
    }

    @Test
    void imagesAreDescribedOnlyInTheConfiguredRepositories() {
        List<String> arns = EcsPermissions.repositoryArns(load("../deckhand.yml"));
        assertThat(arns).hasSize(3).allMatch(arn -> arn.contains(":ecr:"));
        assertThat(arns).extracting(arn -> arn.substring(arn.indexOf(":repository/") + ":repository/".length()))
                .containsExactly("acme/billing-worker-prod", "acme/billing-worker-staging", "acme/storefront");
    }

    @Test
    void migrationRolesArePassedOnlyToEcsTasks() {
        EcsPermissions permissions = EcsPermissions.forConfiguration(load("../deckhand.yml"));

        Map<String, Object> passRole = permissions.migrate().stream().map(EcsPermissionsTest::json)
                .filter(statement -> "iam:PassRole".equals(statement.get("Action"))).findFirst().orElseThrow();
        assertThat(passRole.get("Resource")).isEqualTo(List.of(
                "arn:aws:iam::123456789012:role/storefront-dev-execution",
                "arn:aws:iam::123456789012:role/storefront-dev-task",
                "arn:aws:iam::123456789012:role/storefront-prod-execution",
                "arn:aws:iam::123456789012:role/storefront-prod-task",
                "arn:aws:iam::123456789012:role/storefront-staging-execution",
                "arn:aws:iam::123456789012:role/storefront-staging-task"));
        assertThat(passRole.get("Condition"))
                .isEqualTo(Map.of("StringEquals", Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")));
        assertThat(permissions.migrationClusters()).containsExactly("acme-dev", "acme-prod", "acme-staging");
    }

    private static DeckhandConfiguration load(String file) {
        return ConfigurationLoader.load(Path.of(file));
    }

    private static List<Object> actions(List<PolicyStatement> statements) {
        return statements.stream().map(statement -> json(statement).get("Action")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(PolicyStatement statement) {
        return (Map<String, Object>) RESOLVER.resolve(statement.toStatementJson());
    }
}
