package dev.deckhand.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The one rendering of the catalogue's permissions (the template's statements are compared with it in DeckhandStackIT). */
class PoliciesTest {

    private static final ResourceNames NAMES = ResourceNames.of("aws", "eu-west-1", "111122223333",
            resource -> "arn:aws:test:::" + resource.name());

    private static final DeckhandConfiguration SAMPLE = ConfigurationLoader.load(Path.of("../deckhand.yml"));

    private static final String WITHOUT_ROLES = dev.deckhand.testing.Fixtures.WITHOUT_ROLES;

    @Test
    void coordinateClaimsWithPutsOnlyAndNeverUpdatesTheHistory() {
        List<Statement> statements = Policies.of(DeployerFunction.COORDINATE, SAMPLE, NAMES);
        assertThat(statements).filteredOn(statement -> statement.resources().contains("arn:aws:test:::HISTORY_TABLE"))
                .flatExtracting(Statement::actions).containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:PutItem");
    }

    @Test
    void lockCleanupReleasesLocksButNeverTakesOne() {
        List<Statement> statements = Policies.of(DeployerFunction.LOCK_CLEANUP, SAMPLE, NAMES);
        assertThat(statements).filteredOn(statement -> statement.resources().contains("arn:aws:test:::LOCKS_TABLE"))
                .flatExtracting(Statement::actions)
                .containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
    }

    @Test
    void lockCleanupFindsADeadExecutionsWaitsInTheIndexAndOnlyDeletesThem() {
        List<Statement> statements = Policies.of(DeployerFunction.LOCK_CLEANUP, SAMPLE, NAMES);
        assertThat(statements).filteredOn(statement -> statement.resources().contains("arn:aws:test:::WAITS_BY_EXECUTION_INDEX"))
                .flatExtracting(Statement::actions).containsExactly("dynamodb:Query");
        assertThat(statements).filteredOn(statement -> statement.resources().contains("arn:aws:test:::WAITS_TABLE"))
                .flatExtracting(Statement::actions).containsExactly("dynamodb:DeleteItem");
    }

    @Test
    void aConfigurationNamingEveryRolePassesExactlyThoseAndOnlyToEcsTasks() {
        Statement passRole = withAction(Policies.of(DeployerFunction.DEPLOY, SAMPLE, NAMES), "iam:PassRole");
        assertThat(passRole.resources()).hasSize(7).allMatch(arn -> arn.startsWith("arn:aws:iam::123456789012:role/"))
                .noneMatch(arn -> arn.contains("*"));
        assertThat(passRole.conditions()).containsEntry("StringEquals",
                java.util.Map.of("iam:PassedToService", List.of("ecs-tasks.amazonaws.com")));
    }

    @Test
    void anEnvironmentNamingNoRoleMayPassAnyRoleOfTheAccountButOnlyToEcsTasksAndIsReported() {
        DeckhandConfiguration configuration = ConfigurationLoader.parse(WITHOUT_ROLES, "test.yml");
        Statement passRole = withAction(Policies.of(DeployerFunction.DEPLOY, configuration, NAMES), "iam:PassRole");
        assertThat(passRole.resources()).containsExactly("arn:aws:iam::111122223333:role/*");
        assertThat(passRole.conditions().get("StringEquals").get("iam:PassedToService"))
                .containsExactly("ecs-tasks.amazonaws.com");
        assertThat(Policies.environmentsWithoutRoles(configuration)).containsExactly("api/dev");
        assertThat(Policies.environmentsWithoutRoles(SAMPLE)).isEmpty();
        assertThat(Policies.rolesAdvice(configuration)).contains("warning: api/dev names no role, so Deckhand may pass "
                + "any role of the account to ECS tasks; to allow only yours, add executionRoleArn: "
                + "arn:aws:iam::<account>:role/<name> (and taskRoleArn, if its task definition has one)");
        assertThat(Policies.rolesAdvice(SAMPLE)).isEmpty();
    }

    @Test
    void migrationMayStopOnlyTheTasksItTaggedAndTagsThemOnlyAtRunTask() {
        // Service Authorization Reference for Amazon ECS: the task resource type carries ecs:ResourceTag/<key>;
        // tagging on creation needs ecs:TagResource with ecs:CreateAction (supported-iam-actions-tagging).
        List<Statement> statements = Policies.of(DeployerFunction.MIGRATION, SAMPLE, NAMES);
        assertThat(withAction(statements, "ecs:StopTask").conditions()).isEqualTo(Map.of("StringEquals",
                Map.of("ecs:ResourceTag/deckhand:task", List.of("migration"))));
        assertThat(withAction(statements, "ecs:TagResource").conditions()).isEqualTo(Map.of("StringEquals",
                Map.of("ecs:CreateAction", List.of("RunTask"))));
        // Read after the task stopped (API_StopTask: a stopped task's tags are deleted), so not on the tag.
        assertThat(withAction(statements, "ecs:DescribeTasks").conditions()).isEmpty();
    }

    @Test
    void aVerificationTaskAloneGivesTheMigrationFunctionItsClusterAndTaggedStopTask() {
        // billing-worker/staging runs no migration: with a verification task, RunTask and StopTask
        // reach its cluster (acme-staging) under the same conditions as a migration's.
        DeckhandConfiguration withVerification = ConfigurationLoader.parse("""
                version: 1
                services:
                  worker:
                    repository: acme/worker
                    container: app
                    environments:
                      staging:
                        cluster: acme-verify
                        service: worker-staging
                        deployOnPush: ["*"]
                        executionRoleArn: arn:aws:iam::111122223333:role/worker-execution
                        verification: {command: [bin/e2e]}
                """, "test.yml");
        List<Statement> statements = Policies.of(DeployerFunction.MIGRATION, withVerification, NAMES);

        assertThat(withAction(statements, "ecs:RunTask").conditions().get("ArnEquals").get("ecs:cluster"))
                .containsExactly("arn:aws:ecs:eu-west-1:111122223333:cluster/acme-verify");
        assertThat(withAction(statements, "ecs:StopTask").conditions()).isEqualTo(Map.of("StringEquals",
                Map.of("ecs:ResourceTag/deckhand:task", List.of("migration"))));
        assertThat(Policies.migrationClusters(withVerification)).containsExactly("acme-verify");
    }

    @Test
    void migrationReadsTheFailedTasksLogLines() {
        // EcsMigrationTasks calls GetLogEvents; IAM names a log group's streams as log-group:<name>:*
        // (CloudWatch Logs, iam-access-control-overview-cwl).
        Statement logs = withAction(Policies.of(DeployerFunction.MIGRATION, SAMPLE, NAMES), "logs:GetLogEvents");
        assertThat(logs.resources()).containsExactly("arn:aws:logs:eu-west-1:111122223333:log-group:*");
    }

    @Test
    void servicesAreNamedByTheirLongAndTheirShortArn() {
        Statement update = withAction(Policies.of(DeployerFunction.DEPLOY, SAMPLE, NAMES), "ecs:UpdateService");
        assertThat(update.resources()).contains("arn:aws:ecs:eu-west-1:111122223333:service/acme-dev/storefront-dev",
                "arn:aws:ecs:eu-west-1:111122223333:service/storefront-dev").hasSize(10);
    }

    /** The notify function reads exactly the GitHub token secrets the configuration names, and no others. */
    @Test
    void notifyReadsExactlyTheConfiguredGitHubTokenAndSlackSecretsWithSecretsManagersSuffix() throws Exception {
        String text = java.nio.file.Files.readString(Path.of("../deckhand.yml")).replace(
                "          timeoutSeconds: 600            # default 900\n",
                "          timeoutSeconds: 600            # default 900\n        notifications:\n"
                        + "          github: {repository: acme/storefront, tokenSecret: deckhand/github/acme}\n");
        List<Statement> secrets = Policies.of(Access.NOTIFY, ConfigurationLoader.parse(text, "deckhand.yml"), NAMES).stream()
                .filter(statement -> statement.actions().contains("secretsmanager:GetSecretValue")).toList();

        assertThat(secrets).flatExtracting(Statement::resources).containsExactlyInAnyOrder(
                "arn:aws:secretsmanager:eu-west-1:111122223333:secret:deckhand/slack/storefront-prod-??????",
                "arn:aws:secretsmanager:eu-west-1:111122223333:secret:deckhand/github/acme-??????");
    }

    @Test
    void noGitHubTargetNoGitHubSecret() {
        assertThat(Policies.of(Access.NOTIFY, SAMPLE, NAMES)).flatExtracting(Statement::resources)
                .noneMatch(resource -> resource.contains(":secret:deckhand/github"));
    }

    @Test
    void deployReadsExactlyTheGatesAlarmsAndNoAlarmWithoutAGate() throws Exception {
        // Service Authorization Reference for Amazon CloudWatch (list_amazoncloudwatch): DescribeAlarms
        // takes the alarm resource type, arn:${Partition}:cloudwatch:${Region}:${Account}:alarm:${AlarmName}.
        String text = java.nio.file.Files.readString(Path.of("../deckhand.yml")).replace(
                "        deployOnPush: [\"release-*\"]\n",
                "        deployOnPush: [\"release-*\"]\n        gate: {alarms: [storefront-5xx, \"db cpu\"]}\n");
        List<Statement> alarms = Policies.of(DeployerFunction.DEPLOY, ConfigurationLoader.parse(text, "deckhand.yml"),
                NAMES).stream().filter(statement -> statement.actions().contains("cloudwatch:DescribeAlarms")).toList();

        assertThat(alarms).singleElement().satisfies(statement -> {
            assertThat(statement.actions()).containsExactly("cloudwatch:DescribeAlarms");
            assertThat(statement.resources()).containsExactly("arn:aws:cloudwatch:eu-west-1:111122223333:alarm:db cpu",
                    "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:storefront-5xx");
        });
        assertThat(Policies.of(DeployerFunction.DEPLOY, SAMPLE, NAMES)).flatExtracting(Statement::actions)
                .doesNotContain("cloudwatch:DescribeAlarms");
    }

    private static final String CROSS_ACCOUNT = """
            version: 1
            services:
              api:
                repository: acme/api
                environments:
                  dev:
                    cluster: acme-dev
                    service: api-dev
                    deployOnPush: ["*"]
                    executionRoleArn: arn:aws:iam::111122223333:role/api-dev-execution
                  prod:
                    cluster: acme-prod
                    service: api-prod
                    promoteFrom: dev
                    account: "444455556666"
                    roleArn: arn:aws:iam::444455556666:role/deckhand-deploy
                    executionRoleArn: arn:aws:iam::444455556666:role/api-prod-execution
                    migration: {command: ["migrate"]}
            """;

    @Test
    void functionsActingOnACrossAccountEnvironmentMayAssumeExactlyItsRoleAndNoEcsOfItAtHome() {
        DeckhandConfiguration configuration = ConfigurationLoader.parse(CROSS_ACCOUNT, "test.yml");
        for (DeployerFunction function : List.of(DeployerFunction.DEPLOY, DeployerFunction.MIGRATION,
                DeployerFunction.ROLLBACK)) {
            List<Statement> statements = Policies.of(function, configuration, NAMES);
            assertThat(withAction(statements, "sts:AssumeRole").resources())
                    .containsExactly("arn:aws:iam::444455556666:role/deckhand-deploy");
            assertThat(statements).flatExtracting(Statement::resources).noneMatch(arn -> arn.contains("acme-prod"));
        }
        assertThat(withAction(Policies.of(DeployerFunction.DEPLOY, configuration, NAMES), "ecs:UpdateService")
                .resources()).containsExactly("arn:aws:ecs:eu-west-1:111122223333:service/acme-dev/api-dev",
                        "arn:aws:ecs:eu-west-1:111122223333:service/api-dev");
        // dev has no migration and prod's is the role's: nothing to migrate at home (the waits and
        // their callbacks are Deckhand's own, whatever the target's account).
        assertThat(Policies.of(DeployerFunction.MIGRATION, configuration, NAMES)).flatExtracting(Statement::actions)
                .containsExactlyInAnyOrder("sts:AssumeRole", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                        "dynamodb:Query", "states:SendTaskSuccess")
                .noneMatch(action -> action.startsWith("ecs:"));
        assertThat(Policies.of(DeployerFunction.NOTIFY, configuration, NAMES)).flatExtracting(Statement::actions)
                .doesNotContain("sts:AssumeRole");
        assertThat(Policies.of(DeployerFunction.DEPLOY, SAMPLE, NAMES)).flatExtracting(Statement::actions)
                .doesNotContain("sts:AssumeRole");
    }

    @Test
    void theMigrationFunctionMayAssumeOnlyTheRolesOfCrossAccountEnvironmentsThatMigrate() {
        // staging lives in a second account and runs no migration: deploy and rollback act there, migration never.
        DeckhandConfiguration configuration = ConfigurationLoader.parse(CROSS_ACCOUNT.replace("      prod:\n",
                "      staging:\n"
                + "        cluster: acme-staging\n"
                + "        service: api-staging\n"
                + "        promoteFrom: dev\n"
                + "        account: \"555566667777\"\n"
                + "        roleArn: arn:aws:iam::555566667777:role/deckhand-deploy\n"
                + "      prod:\n"), "test.yml");
        for (DeployerFunction function : List.of(DeployerFunction.DEPLOY, DeployerFunction.ROLLBACK)) {
            assertThat(withAction(Policies.of(function, configuration, NAMES), "sts:AssumeRole").resources())
                    .containsExactly("arn:aws:iam::444455556666:role/deckhand-deploy",
                            "arn:aws:iam::555566667777:role/deckhand-deploy");
        }
        assertThat(withAction(Policies.of(DeployerFunction.MIGRATION, configuration, NAMES), "sts:AssumeRole").resources())
                .containsExactly("arn:aws:iam::444455556666:role/deckhand-deploy");
    }

    @Test
    void theDeploymentRoleHoldsTheTargetAccountsShareOfDeployMigrateAndRollback() {
        DeckhandConfiguration configuration = ConfigurationLoader.parse(CROSS_ACCOUNT, "test.yml");
        ResourceNames target = ResourceNames.of("aws", "eu-west-1", "444455556666", resource -> {
            throw new AssertionError("the deployment role reaches none of Deckhand's own resources: " + resource);
        });
        assertThat(Policies.targetAccounts(configuration)).containsExactly("444455556666");

        List<Statement> statements = Policies.deploymentRole(configuration, target);

        assertThat(withAction(statements, "ecs:UpdateService").resources()).containsExactly(
                "arn:aws:ecs:eu-west-1:444455556666:service/acme-prod/api-prod",
                "arn:aws:ecs:eu-west-1:444455556666:service/api-prod");
        assertThat(withAction(statements, "ecs:RunTask").conditions().get("ArnEquals").get("ecs:cluster"))
                .containsExactly("arn:aws:ecs:eu-west-1:444455556666:cluster/acme-prod");
        assertThat(withAction(statements, "logs:GetLogEvents").resources())
                .containsExactly("arn:aws:logs:eu-west-1:444455556666:log-group:*");
        assertThat(withAction(statements, "iam:PassRole").resources())
                .containsExactly("arn:aws:iam::444455556666:role/api-prod-execution");
        assertThat(statements).flatExtracting(Statement::resources).noneMatch(arn -> arn.contains("acme-dev"))
                .noneMatch(arn -> arn.contains("111122223333"));
        assertThat(statements).doesNotHaveDuplicates();
        assertThat(Policies.deploymentRole(SAMPLE, target)).isEmpty();
    }

    private static Statement withAction(List<Statement> statements, String action) {
        return statements.stream().filter(statement -> statement.actions().contains(action)).findFirst().orElseThrow();
    }
}
