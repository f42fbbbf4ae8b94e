package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.testing.Fixtures;
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
                .contains("ok    billing-worker/prod ").containsPattern("rollback +ready: a rollback would return to ")
                .endsWith("36 checks passed\n");
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
        EcsClient ecs = deckhand.aws().ecs();
        String arn = ecs.describeServices(request -> request.cluster("acme-dev").services("storefront-dev")).services()
                .get(0).taskDefinition();
        return ecs.describeTaskDefinition(request -> request.taskDefinition(arn)).taskDefinition();
    }

    /** Points storefront-dev at a revision of its family changed by {@code change}, as an operator might. */
    private void serveRevision(UnaryOperator<RegisterTaskDefinitionRequest.Builder> change) {
        EcsClient ecs = deckhand.aws().ecs();
        TaskDefinition live = live();
        RegisterTaskDefinitionRequest.Builder request = RegisterTaskDefinitionRequest.builder().family(live.family())
                .containerDefinitions(live.containerDefinitions()).cpu(live.cpu()).memory(live.memory())
                .networkMode(live.networkMode()).requiresCompatibilities(live.requiresCompatibilities())
                .executionRoleArn(live.executionRoleArn()).taskRoleArn(live.taskRoleArn());
        String arn = ecs.registerTaskDefinition(change.apply(request).build()).taskDefinition().taskDefinitionArn();
        ecs.updateService(update -> update.cluster("acme-dev").service("storefront-dev").taskDefinition(arn));
    }

    private CommandLineRun deckhand(String... args) {
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
