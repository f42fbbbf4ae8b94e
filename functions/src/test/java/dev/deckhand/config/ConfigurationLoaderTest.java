package dev.deckhand.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.errors.ConfigurationUnavailableException;
import dev.deckhand.errors.InvalidConfigurationException;
import dev.deckhand.freeze.FreezeSettings;
import dev.deckhand.freeze.FreezeWindow;
import dev.deckhand.gate.AlarmGate;
import dev.deckhand.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigurationLoaderTest {

    /** A minimal valid service; each mistake below is one edit of it. */
    private static final String VALID = """
            version: 1
            services:
              api:
                repository: acme/api
                environments:
                  dev:
                    cluster: dev
                    service: api-dev
                    deployOnPush: ["feature-*"]
                  prod:
                    cluster: prod
                    service: api-prod
                    promoteFrom: dev
            """;

    @Test
    void loadsTheSampleConfigurationInFileOrderWithDefaults() {
        DeckhandConfiguration configuration = Fixtures.sampleConfiguration();

        assertThat(configuration.services()).containsOnlyKeys("storefront", "billing-worker");
        ServiceDefinition storefront = configuration.service("storefront").orElseThrow();
        assertThat(storefront.container()).isEqualTo("web");
        assertThat(storefront.environments().keySet()).containsExactly("dev", "staging", "prod");

        EnvironmentDefinition dev = storefront.environment("dev").orElseThrow();
        assertThat(dev.repository()).isEqualTo("acme/storefront");
        assertThat(dev.deployOnPush()).extracting(TagPattern::source).containsExactly("feature-*", "bugfix-*", "main-*");
        assertThat(dev.healthCheck().consecutiveSuccesses()).isEqualTo(2);
        assertThat(dev.migration().command()).containsExactly("bin/migrate", "up");

        EnvironmentDefinition staging = storefront.environment("staging").orElseThrow();
        assertThat(staging.healthCheck().expectedStatus()).isEqualTo(HealthCheckSettings.DEFAULT_EXPECTED_STATUS);
        assertThat(staging.healthCheck().maxAttempts()).isEqualTo(HealthCheckSettings.DEFAULT_MAX_ATTEMPTS);
        assertThat(staging.migration().timeoutSeconds()).isEqualTo(MigrationSettings.DEFAULT_TIMEOUT_SECONDS);
        assertThat(staging.promoteFrom()).isEqualTo("dev");

        EnvironmentDefinition prod = storefront.environment("prod").orElseThrow();
        assertThat(prod.deployOnPush()).isEmpty();
        assertThat(prod.notifications().slackWebhookSecret()).isEqualTo("deckhand/slack/storefront-prod");

        assertThat(configuration.serviceForRepository("acme/billing-worker-prod")).map(ServiceDefinition::name)
                .contains("billing-worker");
        assertThat(configuration.serviceForRepository("acme/unknown")).isEmpty();
    }

    @Test
    void namesTheFieldOfAnUnknownPromotionSource() {
        assertProblems(VALID.replace("promoteFrom: dev", "promoteFrom: stagin"),
                "services[api].environments[prod].promoteFrom: unknown environment 'stagin' "
                        + "(environments of this service: dev, prod)");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String yaml = VALID
                .replace("        cluster: dev\n", "")
                .replace("feature-*", "feature/*")
                .replace("promoteFrom: dev", "promoteFrom: qa");

        assertThatThrownBy(() -> ConfigurationLoader.parse(yaml, "deckhand.yml"))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> {
                    assertThat(e.problems()).containsExactlyInAnyOrder(
                            "services[api].environments[dev].cluster: is required",
                            "services[api].environments[dev].deployOnPush[0]: 'feature/*' is not a tag glob: use "
                                    + "letters, digits, '_', '.', '-', and the wildcards '*' and '?' (or prefix a "
                                    + "regular expression with 'regex:')",
                            "services[api].environments[prod].promoteFrom: unknown environment 'qa' "
                                    + "(environments of this service: dev, prod)");
                    assertThat(e.getMessage()).startsWith("3 problems in deckhand.yml:\n  - ");
                });
    }

    @Test
    void suggestsTheNearestFieldForAMisspeltOne() {
        assertProblemContaining(VALID.replace("deployOnPush", "deployOnPsuh"),
                "services[api].environments[dev].deployOnPsuh: unknown field (did you mean 'deployOnPush'?)");
    }

    @Test
    void reportsInvalidYamlWithItsLine() {
        assertProblemContaining("version: 1\nservices:\n  api: [unclosed\n", "not valid YAML");
        assertProblemContaining("version: 1\nservices:\n  api: [unclosed\n", "line 4");
    }

    @Test
    void rejectsAnEmptyFile() {
        assertProblemContaining("", "the configuration is empty");
    }

    @Test
    void rejectsDuplicateKeys() {
        assertProblemContaining(VALID.replace("    repository: acme/api\n",
                "    repository: acme/api\n    repository: acme/other\n"), "Duplicate field 'repository'");
    }

    @Test
    void requiresTheSchemaVersion() {
        assertProblems(VALID.replace("version: 1\n", ""), "version: is required (write 'version: 1')");
        assertProblems(VALID.replace("version: 1", "version: 2"), "version: must be between 1 and 1, found 2");
    }

    @Test
    void requiresAtLeastOneService() {
        assertProblems("version: 1\nservices: {}\n", "services: must define at least one entry");
        assertProblems("version: 1\nservices: [api]\n",
                "services: must be a mapping of names to definitions, found a list");
    }

    @Test
    void rejectsNamesThatCannotBecomeIdentifiers() {
        assertProblemContaining(VALID.replace("  api:", "  API_v2:"),
                "services[API_v2]: service name 'API_v2' must be 1-40 lowercase letters");
        assertProblemContaining(VALID.replace("  prod:", "  Prod:").replace("promoteFrom: dev", "promoteFrom: dev"),
                "services[api].environments[Prod]: environment name 'Prod' must be");
    }

    @Test
    void rejectsValuesOfTheWrongType() {
        String withHealth = devWith("""
                healthCheck:
                  url: http://api.dev.internal/health
                  consecutiveSuccesses: three
                  maxAttempts: 500
                  timeoutSeconds: 2.5
                """);
        assertThatThrownBy(() -> ConfigurationLoader.parse(withHealth, "deckhand.yml"))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactlyInAnyOrder(
                                "services[api].environments[dev].healthCheck.consecutiveSuccesses: must be a whole "
                                        + "number, found the string 'three'",
                                "services[api].environments[dev].healthCheck.maxAttempts: must be between 1 and 50, "
                                        + "found 500",
                                "services[api].environments[dev].healthCheck.timeoutSeconds: must be a whole "
                                        + "number, found number 2.5"));
    }

    @Test
    void rejectsAHealthCheckWhoseRoundCannotFinishWithinTheVerifyHealthStep() {
        assertProblems(devWith("healthCheck:\n  url: http://api/health\n  consecutiveSuccesses: 10\n  timeoutSeconds: 30\n"),
                "services[api].environments[dev].healthCheck: consecutiveSuccesses (10) x (timeoutSeconds (30) + 1 s "
                        + "between probes) = 310 s, but one round of probes must fit in 110 s; lower either");
        assertThat(ConfigurationLoader.parse(devWith("healthCheck:\n  url: http://api/health\n"
                + "  consecutiveSuccesses: 10\n  timeoutSeconds: 10\n"), "deckhand.yml").service("api")).isPresent();
    }

    @Test
    void rejectsAHealthCheckThatIsNotAnHttpUrl() {
        assertProblems(devWith("healthCheck:\n  url: ftp://api/health\n"),
                "services[api].environments[dev].healthCheck.url: 'ftp://api/health' is not an http:// or "
                        + "https:// URL");
    }

    @Test
    void requiresAMigrationCommand() {
        assertProblems(VALID.replace("promoteFrom: dev", "promoteFrom: dev\n        migration:\n          timeoutSeconds: 60"),
                "services[api].environments[prod].migration.command: is required, e.g. [\"bin/migrate\", \"up\"]");
        assertProblems(VALID.replace("promoteFrom: dev", "promoteFrom: dev\n        migration:\n          command: []"),
                "services[api].environments[prod].migration.command: must be a non-empty list of non-blank strings");
    }

    @Test
    void readsFreezeWindowsAndWhatAPushDoesDuringOne() {
        EnvironmentDefinition dev = ConfigurationLoader.parse(devWith("""
                freeze:
                  - {from: "FRI 16:00", to: "MON 08:00", timezone: Europe/Berlin}
                whenFrozen: refuse
                """), "deckhand.yml").service("api").orElseThrow().environment("dev").orElseThrow();

        assertThat(dev.freeze().windows()).containsExactly(FreezeWindow.of("FRI 16:00", "MON 08:00", "Europe/Berlin"));
        assertThat(dev.freeze().whenFrozen()).isEqualTo(FreezeSettings.WhenFrozen.REFUSE);
        EnvironmentDefinition prod = ConfigurationLoader.parse(VALID, "deckhand.yml").service("api").orElseThrow()
                .environment("prod").orElseThrow();
        assertThat(prod.freeze()).isNull();
    }

    @Test
    void refusesMalformedFreezeWindowsNamingTheField() {
        assertProblems(devWith("""
                freeze:
                  - {from: "FRY 16:00", to: "MON 08:00", timezone: UTC}
                  - {from: "FRI 16:00", to: "MON 25:00", timezone: UTC}
                  - {from: "FRI 16:00", to: "MON 08:00", timezone: Mars/Olympus}
                  - {from: "FRI 16:00", to: "MON 08:00"}
                  - {from: "FRI 16:00", to: "MON 08:00", timezone: UTC, tz: UTC}
                whenFrozen: later
                """),
                "services[api].environments[dev].freeze[0].from: 'FRY' is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)",
                "services[api].environments[dev].freeze[1].to: '25:00' is not a time of day (00:00 to 23:59)",
                "services[api].environments[dev].freeze[2].timezone: unknown time zone 'Mars/Olympus' (an IANA name "
                        + "such as 'Europe/Berlin' or 'UTC')",
                "services[api].environments[dev].freeze[3].timezone: is required, an IANA time zone such as "
                        + "'Europe/Berlin' or 'UTC'",
                "services[api].environments[dev].freeze[4].tz: unknown field (did you mean 'to'?); known fields: from, "
                        + "to, timezone",
                "services[api].environments[dev].whenFrozen: 'later' is not wait or refuse");
        assertProblems(devWith("freeze: []\n"), "services[api].environments[dev].freeze: must be a non-empty list of "
                + "windows such as {from: \"FRI 16:00\", to: \"MON 08:00\", timezone: \"Europe/Berlin\"}");
        assertProblems(devWith("""
                freeze:
                  - {from: "MON 00:00", to: "THU 00:00", timezone: UTC}
                  - {from: "WED 00:00", to: "MON 00:00", timezone: UTC}
                """), "services[api].environments[dev].freeze: the windows join into a freeze of a week or more; "
                + "leave time to deploy");
        assertProblems(devWith("whenFrozen: wait\n"),
                "services[api].environments[dev].whenFrozen: only an environment with 'freeze' windows has it");
    }

    @Test
    void readsAnAlarmGateAndRefusesAMalformedOne() {
        EnvironmentDefinition dev = ConfigurationLoader.parse(devWith("""
                gate:
                  alarms: [api-5xx, "api latency p99"]
                  whenAlarming: wait
                  maxWaitMinutes: 45
                """), "deckhand.yml").service("api").orElseThrow().environment("dev").orElseThrow();
        assertThat(dev.gate()).isEqualTo(new AlarmGate(List.of("api-5xx", "api latency p99"),
                AlarmGate.WhenAlarming.WAIT, 45));
        assertThat(ConfigurationLoader.parse(devWith("gate: {alarms: [api-5xx]}\n"), "deckhand.yml").service("api")
                .orElseThrow().environment("dev").orElseThrow().gate().whenAlarming())
                .isEqualTo(AlarmGate.WhenAlarming.REFUSE);

        assertProblems(devWith("gate: {whenAlarming: later, maxWaitMinutes: 0}\n"),
                "services[api].environments[dev].gate.alarms: is required, a list of 1 to 100 CloudWatch alarm names",
                "services[api].environments[dev].gate.whenAlarming: 'later' is not wait or refuse",
                "services[api].environments[dev].gate.maxWaitMinutes: must be between 1 and 240, found 0",
                "services[api].environments[dev].gate.maxWaitMinutes: only a gate that waits (whenAlarming: wait) has it");
        String hundredAndOne = java.util.stream.IntStream.rangeClosed(0, 100).mapToObj(i -> "a" + i)
                .collect(java.util.stream.Collectors.joining(", "));
        assertProblems(devWith("gate: {alarms: [" + hundredAndOne + "]}\n"),
                "services[api].environments[dev].gate.alarms: names 101 alarms; at most 100 (one DescribeAlarms call "
                        + "answers the gate)");
        assertProblems(devWith("gate: {alarms: [a, a]}\n"), "services[api].environments[dev].gate.alarms: names an alarm twice");
    }

    @Test
    void readsAVerificationTaskLikeAMigrationWithItsOwnNamedErrors() {
        EnvironmentDefinition dev = ConfigurationLoader.parse(devWith(
                "verification: {command: [bin/e2e, --smoke], timeoutSeconds: 300, container: tests}\n"), "deckhand.yml")
                .service("api").orElseThrow().environments().get("dev");

        assertThat(dev.verification()).isEqualTo(new MigrationSettings(List.of("bin/e2e", "--smoke"), "tests", 300));
        assertThat(dev.runsOneOffTasks()).isTrue();
        assertProblems(devWith("verification:\n  timeoutSeconds: 60\n"),
                "services[api].environments[dev].verification.command: is required, e.g. [\"bin/e2e\", \"--smoke\"]");
        assertProblems(devWith("verification:\n  command: [bin/e2e]\n  timeoutSeconds: 0\n"),
                "services[api].environments[dev].verification.timeoutSeconds: must be between 1 and 14400, found 0");
    }

    @Test
    void rejectsAnEnvironmentNothingCanDeployTo() {
        assertProblems(VALID.replace("        promoteFrom: dev\n", ""),
                "services[api].environments[prod]: nothing can deploy here: set 'deployOnPush' (tag patterns), "
                        + "'promoteFrom' (an environment), or both");
    }

    @Test
    void rejectsPromotionsFromItselfAndLoops() {
        assertProblems(VALID.replace("promoteFrom: dev", "promoteFrom: prod"),
                "services[api].environments[prod].promoteFrom: an environment cannot be promoted from itself");
        String loop = VALID.replace("deployOnPush: [\"feature-*\"]", "promoteFrom: prod");
        assertThatThrownBy(() -> ConfigurationLoader.parse(loop, "deckhand.yml"))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .contains("services[api].environments[dev].promoteFrom: promotions form a loop through 'prod'",
                                "services[api].environments[prod].promoteFrom: promotions form a loop through 'dev'"));
    }

    @Test
    void requiresARepositoryForEveryEnvironment() {
        assertProblems(VALID.replace("    repository: acme/api\n", ""),
                "services[api].environments[dev].repository: is required here because the service has no 'repository'",
                "services[api].environments[prod].repository: is required here because the service has no 'repository'");
        assertProblemContaining(VALID.replace("acme/api", "Acme/API"),
                "services[api].repository: 'Acme/API' is not a valid ECR repository name");
    }

    @Test
    void keepsEachRepositoryToOneService() {
        String twoServices = VALID + """
                  worker:
                    repository: acme/api
                    environments:
                      dev:
                        cluster: dev
                        service: worker-dev
                        deployOnPush: ["*"]
                """;
        assertProblems(twoServices, "services[worker].environments[dev]: repository 'acme/api' already belongs to "
                + "service 'api'; a repository deploys one service");
    }

    @Test
    void refusesTwoEnvironmentsOfAnyServicesOwningOneEcsService() {
        String twoOwners = VALID + """
                  worker:
                    repository: acme/worker
                    environments:
                      prod:
                        cluster: prod
                        service: api-prod
                        deployOnPush: ["*"]
                """;
        assertProblems(twoOwners, "services[worker].environments[prod]: ECS service 'api-prod' of cluster 'prod' is "
                + "already deployed by services[api].environments[prod]; an ECS service has one owner");
        assertProblems(VALID.replace("service: api-prod", "service: api-dev").replace("cluster: prod", "cluster: dev"),
                "services[api].environments[prod]: ECS service 'api-dev' of cluster 'dev' is already deployed by "
                        + "services[api].environments[dev]; an ECS service has one owner");
    }

    @Test
    void readsPromotersAndRefusesThemWhereNoPromotionArrives() {
        EnvironmentDefinition prod = ConfigurationLoader.parse(VALID.replace("promoteFrom: dev",
                "promoteFrom: dev\n        promoters: [\"arn:aws:sts::123456789012:assumed-role/release/*\"]"), "deckhand.yml")
                .service("api").orElseThrow().environment("prod").orElseThrow();
        assertThat(prod.promotableBy("arn:aws:sts::123456789012:assumed-role/release/alice")).isTrue();
        assertThat(prod.promotableBy("arn:aws:sts::123456789012:assumed-role/developer/bob")).isFalse();

        assertProblems(VALID.replace("deployOnPush: [\"feature-*\"]",
                        "deployOnPush: [\"feature-*\"]\n        promoters: [\"release-team\"]"),
                "services[api].environments[dev].promoters[0]: 'release-team' is not an IAM or STS principal ARN pattern, "
                        + "e.g. arn:aws:sts::123456789012:assumed-role/release-team/*",
                "services[api].environments[dev].promoters: only an environment reached by promotion ('promoteFrom') "
                        + "has promoters");
    }

    @Test
    void readsAnApprovalWithItsDefaultsAndTheLongFormOfPromoteFromWithASoakTime() {
        EnvironmentDefinition prod = ConfigurationLoader.parse(VALID.replace("promoteFrom: dev",
                "promoteFrom: {environment: dev, soakMinutes: 60}\n        approval: {required: true}"), "deckhand.yml")
                .service("api").orElseThrow().environment("prod").orElseThrow();
        assertThat(prod.promoteFrom()).isEqualTo("dev");
        assertThat(prod.soakMinutes()).isEqualTo(60);
        assertThat(prod.approval()).isEqualTo(new ApprovalSettings(60, "reject", true, List.of()));
        assertThat(prod.approval().answerableBy("arn:aws:iam::123456789012:user/anyone")).isTrue();

        EnvironmentDefinition dev = ConfigurationLoader.parse(VALID, "deckhand.yml").service("api").orElseThrow()
                .environment("prod").orElseThrow();
        assertThat(dev.approval()).isNull();
        assertThat(dev.soakMinutes()).isZero();
        // required: false is the same as no approval: nothing waits.
        assertThat(ConfigurationLoader.parse(VALID.replace("promoteFrom: dev",
                "promoteFrom: dev\n        approval: {required: false, timeoutMinutes: 5}"), "deckhand.yml")
                .service("api").orElseThrow().environment("prod").orElseThrow().approval()).isNull();
    }

    @Test
    void namesEveryMistakeInAnApprovalAndASoakTime() {
        assertProblems(VALID.replace("promoteFrom: dev", "promoteFrom: {environment: dev, soakMinutes: -1, soak: 5}\n"
                        + "        approval: {timeoutMinutes: 600, onTimeout: approve, preventSelfApproval: \"yes\", "
                        + "approvers: [\"release-team\"]}"),
                "services[api].environments[prod].promoteFrom.soakMinutes: must be between 0 and 10080, found -1",
                "services[api].environments[prod].promoteFrom.soak: unknown field; known fields: environment, soakMinutes",
                "services[api].environments[prod].approval.required: is required: true makes every deployment here "
                        + "wait for a person's answer",
                "services[api].environments[prod].approval.timeoutMinutes: must be between 1 and 180, found 600",
                "services[api].environments[prod].approval.onTimeout: 'approve' is not supported; the only choice is "
                        + "'reject' (the deployment ends EXPIRED)",
                "services[api].environments[prod].approval.preventSelfApproval: must be true or false, found the string 'yes'",
                "services[api].environments[prod].approval.approvers[0]: 'release-team' is not an IAM or STS principal "
                        + "ARN pattern, e.g. arn:aws:sts::123456789012:assumed-role/release-team/*");
        assertProblems(VALID.replace("promoteFrom: dev", "promoteFrom: {soakMinutes: 5}"),
                "services[api].environments[prod].promoteFrom.environment: is required");
    }

    @Test
    void acceptsOneEcsServiceNameInTwoClusters() {
        assertThat(ConfigurationLoader.parse(VALID.replace("service: api-prod", "service: api-dev"), "deckhand.yml")
                .service("api").orElseThrow().environment("prod").orElseThrow().ecsService()).isEqualTo("api-dev");
    }

    @Test
    void acceptsRoleArnsAndRejectsAnythingElse() {
        assertProblemContaining(VALID.replace("promoteFrom: dev", "promoteFrom: dev\n        taskRoleArn: api-task-role"),
                "services[api].environments[prod].taskRoleArn: 'api-task-role' is not an IAM role ARN");
    }

    @Test
    void readsACrossAccountEnvironmentsAccountAndDeploymentRole() {
        EnvironmentDefinition prod = ConfigurationLoader.parse(VALID.replace("promoteFrom: dev",
                        "promoteFrom: dev\n        account: \"222233334444\"\n"
                                + "        roleArn: arn:aws:iam::222233334444:role/deckhand-deploy"), "deckhand.yml")
                .service("api").orElseThrow().environment("prod").orElseThrow();
        assertThat(prod.account()).isEqualTo("222233334444");
        assertThat(prod.roleArn()).isEqualTo("arn:aws:iam::222233334444:role/deckhand-deploy");
        assertThat(prod.crossAccount()).isTrue();
        assertThat(ConfigurationLoader.parse(VALID, "deckhand.yml").service("api").orElseThrow()
                .environment("prod").orElseThrow().crossAccount()).isFalse();
    }

    @Test
    void refusesAnAccountWithoutItsRoleAndARoleOfAnotherAccount() {
        assertProblems(devWith("account: \"222233334444\""),
                "services[api].environments[dev].account: needs 'roleArn', the deployment role Deckhand assumes in "
                        + "that account");
        assertProblems(devWith("roleArn: arn:aws:iam::222233334444:role/deploy"),
                "services[api].environments[dev].roleArn: needs 'account', the account the role and the ECS service "
                        + "live in");
        assertProblems(devWith("account: \"222233334444\"\nroleArn: arn:aws:iam::999988887777:role/deploy"),
                "services[api].environments[dev].roleArn: 'arn:aws:iam::999988887777:role/deploy' is not a role in "
                        + "account 222233334444");
        assertProblemContaining(devWith("account: \"2222\"\nroleArn: arn:aws:iam::222233334444:role/deploy"),
                "services[api].environments[dev].account: '2222' is not an AWS account id (12 digits)");
        assertProblemContaining(devWith("account: \"222233334444\"\nroleArn: arn:aws:iam::222233334444:user/bob"),
                "services[api].environments[dev].roleArn: 'arn:aws:iam::222233334444:user/bob' is not an IAM role ARN");
    }

    @Test
    void refusesAWebhookUrlInPlaceOfASecretNameWithoutEchoingIt() {
        String url = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX";
        String yaml = VALID.replace("promoteFrom: dev",
                "promoteFrom: dev\n        notifications:\n          slackWebhookSecret: " + url);
        assertThatThrownBy(() -> ConfigurationLoader.parse(yaml, "deckhand.yml"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("services[api].environments[prod].notifications.slackWebhookSecret: must name a "
                        + "Secrets Manager secret that holds the webhook URL, not the URL itself")
                .hasMessageNotContaining("hooks.slack.com");
    }

    @Test
    void readsAGitHubTargetAndDefaultsItsEnvironmentToNone() {
        String yaml = VALID.replace("promoteFrom: dev", "promoteFrom: dev\n        notifications:\n"
                + "          github: {repository: acme/api, tokenSecret: deckhand/github/acme, environment: production}");

        GitHubTarget github = ConfigurationLoader.parse(yaml, "deckhand.yml").service("api").orElseThrow()
                .environment("prod").orElseThrow().notifications().github();

        assertThat(github).isEqualTo(new GitHubTarget("acme/api", "deckhand/github/acme", "production"));
        assertThat(ConfigurationLoader.parse(yaml.replace(", environment: production", ""), "deckhand.yml")
                .service("api").orElseThrow().environment("prod").orElseThrow().notifications().github().environment())
                .isNull();
    }

    @Test
    void namesWhatAGitHubTargetLacksOrGetsWrong() {
        String yaml = VALID.replace("promoteFrom: dev", "promoteFrom: dev\n        notifications:\n"
                + "          github: {repository: not-a-repository, environment: production, branch: main}");
        assertThatThrownBy(() -> ConfigurationLoader.parse(yaml, "deckhand.yml"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("services[api].environments[prod].notifications.github.repository")
                .hasMessageContaining("owner/name")
                .hasMessageContaining("services[api].environments[prod].notifications.github.tokenSecret: is required")
                .hasMessageContaining("branch");
    }

    @Test
    void refusesAGitHubTokenInPlaceOfASecretNameWithoutEchoingIt() {
        String token = "ghp_" + "A".repeat(36);
        String yaml = VALID.replace("promoteFrom: dev", "promoteFrom: dev\n        notifications:\n"
                + "          github: {repository: acme/api, tokenSecret: " + token + "}");
        assertThatThrownBy(() -> ConfigurationLoader.parse(yaml, "deckhand.yml"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("notifications.github.tokenSecret: must name a Secrets Manager secret")
                .hasMessageNotContaining(token);
    }

    @Test
    void saysWhichFileIsMissing() {
        assertThatThrownBy(() -> ConfigurationLoader.load(Path.of("does-not-exist.yml")))
                .isInstanceOf(ConfigurationUnavailableException.class)
                .hasMessage("configuration file not found: does-not-exist.yml");
    }

    @Test
    void keepsTenRevisionsUnlessTheEnvironmentSaysOtherwise() {
        DeckhandConfiguration configuration = ConfigurationLoader.parse(devWith("keepRevisions: 3\n"), "deckhand.yml");
        ServiceDefinition api = configuration.service("api").orElseThrow();
        assertThat(api.environment("dev").orElseThrow().keepRevisions()).isEqualTo(3);
        assertThat(api.environment("prod").orElseThrow().keepRevisions()).isEqualTo(10);
    }

    @Test
    void refusesKeepRevisionsBelowOneOrNotANumber() {
        assertProblems(devWith("keepRevisions: 0\n"),
                "services[api].environments[dev].keepRevisions: must be between 1 and 1000, found 0");
        assertProblems(devWith("keepRevisions: many\n"),
                "services[api].environments[dev].keepRevisions: must be a whole number, found the string 'many'");
    }

    /** {@link #VALID} with more fields in its dev environment (written without indentation). */
    private static String devWith(String fields) {
        String indented = fields.lines().map(line -> "        " + line + "\n").reduce("", String::concat);
        return VALID.replace("        deployOnPush: [\"feature-*\"]\n", "        deployOnPush: [\"feature-*\"]\n" + indented);
    }

    private static void assertProblems(String yaml, String... expected) {
        assertThatThrownBy(() -> ConfigurationLoader.parse(yaml, "deckhand.yml"))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.problems()).containsExactlyInAnyOrderElementsOf(List.of(expected)));
    }

    private static void assertProblemContaining(String yaml, String fragment) {
        assertThatThrownBy(() -> ConfigurationLoader.parse(yaml, "deckhand.yml"))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.problems()).anySatisfy(problem -> assertThat(problem).contains(fragment)));
    }
}
