package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.events.EcrPushPattern;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * {@code deckhand plan} against a running local Deckhand: the decision, what applies, and the exact
 * diff of the revision "Prepare the release" would register against the live one; afterwards ECS,
 * the history, the locks and the executions are exactly as before.
 */
class PlanCommandIT {

    private LocalDeckhand deckhand;

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
    void showsTheExactDiffOfThePushAndChangesNothing() throws Exception {
        CommandLineRun first = deckhand("push", "acme/storefront:main-1");
        assertThat(first.exitCode()).as(first.err()).isZero();
        String live = deckhand.ecr().resolve(deckhand.ecr().repositoryUri("acme/storefront") + ":main-1").orElseThrow().uri();
        EcrImage next = pushedWithoutDeploying("main-2");
        String liveRevision = servedRevision();
        Snapshot before = snapshot();

        CommandLineRun plan = deckhand("plan", "acme/storefront:main-2", "--config", Fixtures.path("deckhand.yml").toString());

        assertThat(plan.exitCode()).as(plan.err()).isZero();
        String id = "storefront.dev." + next.digest().substring("sha256:".length(), "sha256:".length() + 16);
        String liveId = "storefront.dev." + live.substring(live.indexOf("sha256:") + 7, live.indexOf("sha256:") + 23);
        assertThat(plan.out()).startsWith("DEPLOY " + next.uri() + " to storefront/dev\n")
                .contains("  why        tag 'main-2' matches")
                .contains("  strategy   rolling update")
                .contains("  gates      none")
                .contains("  migration  bin/migrate up\n")
                .contains("  health     http://storefront.dev.acme.internal/health\n")
                .contains("  live       " + liveRevision + "\n")
                .contains("--- " + liveRevision + " (live)\n+++ new revision for " + id + " (container web)\n");
        // Exactly what Deckhand changes: the image of the web container and its own deployment tag.
        assertThat(plan.out().lines().filter(line -> line.matches("[-+] .*|[-+]\\s+.*"))
                .filter(line -> !line.startsWith("--- ") && !line.startsWith("+++ ")).toList())
                .containsExactly("-    image: " + live, "+    image: " + next.uri(),
                        "-    value: " + liveId, "+    value: " + id);
        assertThat(plan.out().lines().filter(line -> line.startsWith("@@ "))).hasSize(2);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void printsThePlanAsJsonAndSaysWhenAPushDeploysNowhere() throws Exception {
        deckhand("push", "acme/storefront:main-1");
        EcrImage next = pushedWithoutDeploying("main-2");
        EcrImage nowhere = pushedWithoutDeploying("nightly");

        CommandLineRun json = deckhand("plan", "acme/storefront:main-2", "--json", "--config",
                Fixtures.path("deckhand.yml").toString());
        CommandLineRun ignored = deckhand("plan", "acme/storefront:nightly", "--config",
                Fixtures.path("deckhand.yml").toString());

        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode plan = DeckhandJson.MAPPER.readTree(json.out());
        assertThat(plan.path("outcome").asText()).isEqualTo("DEPLOY");
        assertThat(plan.path("image").asText()).isEqualTo(next.uri());
        assertThat(plan.path("migration").toString()).isEqualTo("[\"bin/migrate\",\"up\"]");
        assertThat(plan.path("diff").get(0).asText()).startsWith("--- arn:aws:ecs:");
        assertThat(ignored.exitCode()).isZero();
        assertThat(ignored.out()).startsWith("IGNORED: ").contains("nightly");
        assertThat(nowhere.uri()).isNotEqualTo(next.uri());
    }

    @Test
    void plansAPromotionAndRefusesOneTheConfigurationDoesNotAllowOnOneLine() {
        assertThat(deckhand("push", "acme/storefront:main-1").exitCode()).isZero();
        String digest = deckhand.ecr().resolve(deckhand.ecr().repositoryUri("acme/storefront") + ":main-1")
                .orElseThrow().digest();

        CommandLineRun promote = deckhand("plan", "--promote", "storefront", "--from", "dev", "--to", "staging",
                "--digest", digest, "--config", Fixtures.path("deckhand.yml").toString());
        CommandLineRun refused = deckhand("plan", "--promote", "storefront", "--from", "dev", "--to", "prod",
                "--digest", digest, "--config", Fixtures.path("deckhand.yml").toString());

        assertThat(promote.exitCode()).as(promote.err()).isZero();
        assertThat(promote.out()).contains(" to storefront/staging\n").contains("  why        promotion of storefront "
                + "from dev to staging");
        assertThat(refused.exitCode()).isEqualTo(DeckhandCommand.EXIT_REJECTED);
        assertThat(refused.err().lines()).singleElement().asString()
                .isEqualTo("deckhand: PromotionRefusedException: environment 'prod' of service storefront is promoted from 'staging', not from 'dev'");
    }

    private CommandLineRun deckhand(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint-url", deckhand.cloud().endpoint().toString(), "--region",
                deckhand.cloud().region()));
        if (!"plan".equals(args[0])) {
            all.addAll(List.of("--api-url", deckhand.apiUrl().toString(), "--state-machine-arn",
                    deckhand.stateMachineArn()));
        }
        return CommandLineRun.of(all.toArray(String[]::new));
    }

    /** An image in ECR that no deployment picked up: the push rule matches nothing while it is pushed. */
    private EcrImage pushedWithoutDeploying(String tag) {
        deckhand.cloud().events().putRule(LocalDeckhand.PUSH_RULE, "{\"source\": [\"nobody\"]}");
        try {
            return deckhand.push("acme/storefront", List.of(tag), ImageBehaviour.healthy());
        } finally {
            deckhand.cloud().events().putRule(LocalDeckhand.PUSH_RULE,
                    EcrPushPattern.forConfiguration(Fixtures.sampleConfiguration()));
        }
    }

    private String servedRevision() {
        return deckhand.sdk().ecs().describeServices(request -> request.cluster("acme-dev").services("storefront-dev"))
                .services().get(0).taskDefinition();
    }

    /** Everything a plan must leave alone. */
    private record Snapshot(List<String> active, List<String> inactive, String served, List<String> executions,
            List<Map<String, AttributeValue>> history, List<Map<String, AttributeValue>> locks) {
    }

    private Snapshot snapshot() {
        var ecs = deckhand.sdk().ecs();
        var dynamo = deckhand.sdk().dynamo();
        return new Snapshot(
                ecs.listTaskDefinitionsPaginator(request -> request.status(TaskDefinitionStatus.ACTIVE))
                        .taskDefinitionArns().stream().toList(),
                ecs.listTaskDefinitionsPaginator(request -> request.status(TaskDefinitionStatus.INACTIVE))
                        .taskDefinitionArns().stream().toList(),
                servedRevision(),
                deckhand.executions().stream().map(ExecutionDescription::executionArn).toList(),
                dynamo.scanPaginator(request -> request.tableName(LocalDeckhand.HISTORY_TABLE).consistentRead(true))
                        .items().stream().toList(),
                dynamo.scanPaginator(request -> request.tableName(LocalDeckhand.LOCKS_TABLE).consistentRead(true))
                        .items().stream().toList());
    }
}
