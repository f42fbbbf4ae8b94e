package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.testing.Fixtures;
import dev.deckhand.verify.CrossAccountPull;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * {@code deckhand verify} against a running local Deckhand: the sample passes, and each broken
 * precondition fails with its own line and fix, with exit code 1. DescribeServices/DescribeClusters
 * list what does not exist under failures (API_DescribeServices, API_DescribeClusters); GetSecretValue
 * answers ResourceNotFoundException for a secret that does not exist (API_GetSecretValue).
 */
class VerifyCommandIT {

    private static final String ACCOUNT = "000000000000";
    private static final String TARGET = "444455556666";
    private static final String TARGET_ROLE = "arn:aws:iam::444455556666:role/deckhand-deploy";

    private LocalDeckhand deckhand;

    @TempDir
    Path directory;

    @BeforeEach
    void start() {
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).port(0).apiPort(0).start();
        System.setProperty("aws.accessKeyId", LocalDeckhand.ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", LocalDeckhand.SECRET_ACCESS_KEY);
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        deckhand.close();
    }

    @Test
    void theSamplePassesEveryCheck() {
        assertThat(deckhand("push", "acme/storefront:main-1").exitCode()).isZero();
        // The sample's prod names a Slack webhook secret, which its users create (README, notifications).
        deckhand.slackSecrets().forEach(name -> deckhand.cloud().secrets().put(name, "https://hooks.example/T0/B0"));

        CommandLineRun verify = deckhand("verify", "--config", Fixtures.path("deckhand.yml").toString());

        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(verify.out()).doesNotContain("FAIL").contains("ok    storefront/dev ")
                .contains("ok    billing-worker/prod ").containsPattern("rollback +ready: a rollback would return to .+; its revision is ACTIVE\n")
                .endsWith("41 checks passed\n");
    }

    @Test
    void aMissingSlackSecretFailsOnlyThatCheck() {
        CommandLineRun verify = deckhand("verify", "storefront", "prod", "--config", Fixtures.path("deckhand.yml").toString());

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(failures(verify)).containsExactly("FAIL  storefront/prod  Slack secret  deckhand/slack/storefront-prod: "
                + "ResourceNotFoundException: Secrets Manager can't find the specified secret.");
    }

    @Test
    void aMissingServiceFailsWithItsLineAndFix() throws IOException {
        Path config = config(yaml -> yaml.replace("service: storefront-dev", "service: storefront-gone"));

        CommandLineRun verify = deckhand("verify", "storefront", "dev", "--config", config.toString());

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.out()).contains("FAIL  storefront/dev  service     ECS service storefront-gone in acme-dev "
                + "does not exist\n      fix: create the service, or fix 'service' of storefront/dev in deckhand.yml\n")
                .endsWith("1 of 5 checks failed\n");
    }

    @Test
    void aMissingContainerFails() throws IOException {
        Path config = config(yaml -> yaml.replace("container: web", "container: api"));

        CommandLineRun verify = deckhand("verify", "storefront", "dev", "--config", config.toString());

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(failures(verify)).containsExactly("FAIL  storefront/dev  container   the live revision has no "
                + "container api (containers: web)");
    }

    @Test
    void aRoleDeckhandMayNotPassFails() {
        String unlisted = "arn:aws:iam::" + ACCOUNT + ":role/not-in-deckhand-yml";
        serveRevision(request -> request.taskRoleArn(unlisted));

        CommandLineRun verify = deckhand("verify", "storefront", "dev", "--config", Fixtures.path("deckhand.yml").toString());

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(failures(verify)).containsExactly("FAIL  storefront/dev  roles       Deckhand's deploy role may "
                + "not pass " + unlisted + " (iam:PassRole)");
        assertThat(verify.out()).contains("fix: name it as taskRoleArn or executionRoleArn of storefront/dev in "
                + "deckhand.yml and deploy the CDK app again");
    }

    @Test
    void aMissingSecretFails() {
        String missing = "arn:aws:secretsmanager:" + deckhand.cloud().region() + ":" + ACCOUNT + ":secret:db-password-AbCdEf";
        serveRevision(request -> request.containerDefinitions(live().containerDefinitions().stream()
                .map(container -> container.toBuilder().secrets(secret -> secret.name("DB_PASSWORD").valueFrom(missing))
                        .build()).toList()));

        CommandLineRun verify = deckhand("verify", "storefront", "dev", "--config", Fixtures.path("deckhand.yml").toString());

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(failures(verify)).singleElement().asString()
                .startsWith("FAIL  storefront/dev  secret      " + missing + ": ResourceNotFoundException");
    }

    @Test
    void aDeregisteredVerifiedRevisionIsReportedAsRegisteredAgainOnRollback() {
        assertThat(deckhand("push", "acme/storefront:main-1").exitCode()).isZero();
        String verified = live().taskDefinitionArn();
        // API_DeregisterTaskDefinition: the revision becomes INACTIVE; services already running it keep running.
        deckhand.sdk().ecs().deregisterTaskDefinition(request -> request.taskDefinition(verified));

        CommandLineRun verify = deckhand("verify", "storefront", "dev", "--config", Fixtures.path("deckhand.yml").toString());

        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(verify.out()).containsPattern("ok    storefront/dev  rollback    ready: a rollback would return to \\S+ \\("
                + java.util.regex.Pattern.quote(verified) + ", verified [^)]+\\); its revision is INACTIVE, "
                + "re-registrable: the rollback registers it again from its description\n");
    }

    @Test
    void aMissingLogGroupFailsWithItsLineAndFix() {
        // API_LogConfiguration, options: awslogs-create-group defaults to false, so the group named by awslogs-group
        // must exist in awslogs-region before a task starts.
        String region = deckhand.cloud().region();
        serveRevision(request -> request.containerDefinitions(live().containerDefinitions().stream()
                .map(container -> container.toBuilder().logConfiguration(logs -> logs.logDriver("awslogs")
                        .options(java.util.Map.of("awslogs-group", "/ecs/storefront-gone", "awslogs-region", region,
                                "awslogs-stream-prefix", "ecs"))).build()).toList()));

        CommandLineRun verify = deckhand("verify", "storefront", "dev", "--config", Fixtures.path("deckhand.yml").toString());

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(failures(verify)).containsExactly("FAIL  storefront/dev  log group   log group /ecs/storefront-gone ("
                + region + ") of container web does not exist");
        assertThat(verify.out()).contains("      fix: create it (aws logs create-log-group --log-group-name "
                + "/ecs/storefront-gone --region " + region + "), or fix awslogs-group in the task definition\n");
    }

    @Test
    void aLogGroupWhoseNameOnlyPrefixesAnotherIsStillMissing() {
        // API_DescribeLogGroups matches logGroupNamePrefix: /ecs/storefront exists only as the start of /ecs/storefront-dev.
        serveRevision(request -> request.containerDefinitions(live().containerDefinitions().stream()
                .map(container -> container.toBuilder().logConfiguration(logs -> logs.logDriver("awslogs")
                        .options(java.util.Map.of("awslogs-group", "/ecs/storefront", "awslogs-stream-prefix", "ecs")))
                        .build()).toList()));

        CommandLineRun verify = deckhand("verify", "storefront", "dev", "--config", Fixtures.path("deckhand.yml").toString());

        assertThat(failures(verify)).containsExactly("FAIL  storefront/dev  log group   log group /ecs/storefront of "
                + "container web does not exist");
    }

    @Test
    void aDeletedImageOfTheVerifiedRevisionFailsRollbackReadiness() {
        assertThat(deckhand("push", "acme/storefront:main-1").exitCode()).isZero();
        var image = deckhand.ecr().resolve(deckhand.ecr().repositoryUri("acme/storefront") + ":main-1").orElseThrow();
        deckhand.ecr().deleteImage("acme/storefront", image.digest());

        CommandLineRun verify = deckhand("verify", "storefront", "dev", "--config", Fixtures.path("deckhand.yml").toString());

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(failures(verify)).containsExactly("FAIL  storefront/dev  rollback    not ready: cannot roll back "
                + "storefront/dev: the last verified image " + image.uri() + " is no longer in ECR repository "
                + "acme/storefront (deleted, or expired by a lifecycle rule)");
    }

    @Test
    void aCrossAccountEnvironmentWithoutARepositoryPolicyFailsWithTheStatementToAdd() {
        try (LocalDeckhand crossAccount = LocalDeckhand.builder(ConfigurationLoader.parse(Fixtures.CROSS_ACCOUNT,
                "cross-account.yml")).port(0).apiPort(0).start()) {
            // API_GetRepositoryPolicy: a repository without a policy answers RepositoryPolicyNotFoundException.
            assertThatThrownBy(() -> crossAccount.aws().ecr().call("GetRepositoryPolicy",
                    DeckhandJson.MAPPER.createObjectNode().put("repositoryName", "acme/api")))
                    .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RepositoryPolicyNotFoundException");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Repository policy does not exist for "
                                + "the repository with name 'acme/api' in the registry with id '" + ACCOUNT + "'");
                    });

            CommandLineRun verify = deckhand(crossAccount, "verify", "api", "prod", "--config", write(Fixtures.CROSS_ACCOUNT));

            assertThat(verify.exitCode()).isEqualTo(1);
            // STS API Reference, AssumeRole: the deployment role trusts only Deckhand's function roles, so the
            // account's administrator is refused (AccessDenied) and the account's ECS is not read.
            assertThat(failures(verify)).hasSize(2);
            assertThat(failures(verify).get(0)).startsWith("FAIL  api/prod  deployment role    cannot assume "
                    + TARGET_ROLE + ": AccessDenied: ");
            assertThat(failures(verify).get(1)).isEqualTo("FAIL  api/prod  repository policy  ECR repository acme/api "
                    + "has no repository policy: account " + TARGET + " cannot pull its images");
            assertThat(verify.out()).contains("      fix: add this statement to its policy (aws ecr set-repository-policy "
                    + "--repository-name acme/api): " + CrossAccountPull.statement(TARGET) + "\n")
                    .doesNotContain("cluster");
        }
    }

    @Test
    void theStatementOfTheFixLetsTheTargetAccountPull() {
        try (LocalDeckhand crossAccount = LocalDeckhand.builder(ConfigurationLoader.parse(Fixtures.CROSS_ACCOUNT,
                "cross-account.yml")).port(0).apiPort(0).start()) {
            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + CrossAccountPull.statement(TARGET) + "]}";
            // API_SetRepositoryPolicy answers the registry, the repository and the policy text it stored.
            assertThat(crossAccount.aws().ecr().call("SetRepositoryPolicy", DeckhandJson.MAPPER.createObjectNode()
                    .put("repositoryName", "acme/api").put("policyText", policy)).path("policyText").asText())
                    .isEqualTo(policy);

            CommandLineRun verify = deckhand(crossAccount, "verify", "api", "prod", "--config", write(Fixtures.CROSS_ACCOUNT));

            assertThat(verify.out()).contains("ok    api/prod  repository policy  ECR repository acme/api lets account "
                    + TARGET + " pull\n");
            assertThat(failures(verify)).singleElement().asString().startsWith("FAIL  api/prod  deployment role ");
        }
    }

    @Test
    void anUnknownEnvironmentIsOneLineWithWhatIsConfigured() {
        CommandLineRun verify = deckhand("verify", "storefront", "qa", "--config", Fixtures.path("deckhand.yml").toString());

        assertThat(verify.exitCode()).isEqualTo(DeckhandCommand.EXIT_USAGE);
        assertThat(verify.err()).startsWith("deckhand: service storefront has no environment 'qa' (environments: "
                + "dev, staging, prod)\n");
    }

    private Path config(UnaryOperator<String> edit) throws IOException {
        String yaml = edit.apply(Fixtures.read("deckhand.yml"));
        ConfigurationLoader.parse(yaml, "deckhand.yml"); // still a valid configuration
        Path file = directory.resolve("deckhand.yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static List<String> failures(CommandLineRun run) {
        return run.out().lines().filter(line -> line.startsWith("FAIL")).toList();
    }

    private TaskDefinition live() {
        EcsClient ecs = deckhand.sdk().ecs();
        String arn = ecs.describeServices(request -> request.cluster("acme-dev").services("storefront-dev")).services()
                .get(0).taskDefinition();
        return ecs.describeTaskDefinition(request -> request.taskDefinition(arn)).taskDefinition();
    }

    /** Points storefront-dev at a revision of its family changed by {@code change}, as an operator might. */
    private void serveRevision(UnaryOperator<RegisterTaskDefinitionRequest.Builder> change) {
        EcsClient ecs = deckhand.sdk().ecs();
        TaskDefinition live = live();
        RegisterTaskDefinitionRequest.Builder request = RegisterTaskDefinitionRequest.builder().family(live.family())
                .containerDefinitions(live.containerDefinitions()).cpu(live.cpu()).memory(live.memory())
                .networkMode(live.networkMode()).requiresCompatibilities(live.requiresCompatibilities())
                .executionRoleArn(live.executionRoleArn()).taskRoleArn(live.taskRoleArn());
        String arn = ecs.registerTaskDefinition(change.apply(request).build()).taskDefinition().taskDefinitionArn();
        ecs.updateService(update -> update.cluster("acme-dev").service("storefront-dev").taskDefinition(arn));
    }

    private String write(String yaml) {
        try {
            return Files.writeString(directory.resolve("cross-account.yml"), yaml).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private CommandLineRun deckhand(String... args) {
        return deckhand(deckhand, args);
    }

    private static CommandLineRun deckhand(LocalDeckhand deckhand, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint-url", deckhand.cloud().endpoint().toString(), "--region",
                deckhand.cloud().region()));
        if (!"verify".equals(args[0])) {
            all.addAll(List.of("--api-url", deckhand.apiUrl().toString(), "--state-machine-arn",
                    deckhand.stateMachineArn()));
        }
        return CommandLineRun.of(all.toArray(String[]::new));
    }

}
