package dev.deckhand.local.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.errors.DeckhandException;
import dev.deckhand.events.DeadExecutionPattern;
import dev.deckhand.events.EcrPushPattern;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.Clients;
import dev.deckhand.local.Eventually;
import dev.deckhand.local.api.SignedApiClient;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.events.Delivery;
import dev.deckhand.local.events.EventPattern;
import dev.deckhand.local.lambda.LocalLambdaContext;
import dev.deckhand.promote.DeploymentApiHandler;
import dev.deckhand.promote.PromotionService;
import dev.deckhand.resolve.ResolveEnvironmentHandler;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionException;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.Json;
import dev.deckhand.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * Malformed and hostile input through Deckhand's real entry points: resolve-env as the Lambda
 * runtime calls it (a stream of bytes), the deployer as the console and the EventBridge rule start
 * it, and the promote API handler, directly and over signed HTTP. Every answer is a valid decision
 * or a named Deckhand error whose message is one clear line; refused input changes no ECS service,
 * registers no task definition, starts no execution (API) and writes no history item.
 */
class BadInputFuzzIT {

    /** AWS refuses larger StartExecution input and PutEvents entries before Deckhand sees them. */
    private static final int AWS_INPUT_LIMIT = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, Map<String, AtomicInteger>> TALLIES = new ConcurrentHashMap<>();

    private static LocalDeckhand deckhand;
    private static DeckhandConfiguration configuration;
    private static ResolveEnvironmentHandler resolver;
    private static DeploymentApiHandler api;
    private static EventPattern pushRule;
    private static EventPattern deadExecutions;
    /** How many events {@link #settle} has looked at, and how many of those a rule matched. */
    private static int scannedEvents;
    private static long matchedEvents;
    /** The footprint last read at rest, while nothing may have changed since; {@code null} otherwise. */
    private static Footprint atRest;

    @BeforeContainer
    static void deployOnceToDev() throws Exception {
        configuration = Fixtures.sampleConfiguration();
        deckhand = LocalDeckhand.builder(configuration).start();
        resolver = new ResolveEnvironmentHandler(ConfigurationSource.of(configuration));
        api = new DeploymentApiHandler(new PromotionService(ConfigurationSource.of(configuration), deckhand.history(),
                deckhand::startExecution), deckhand.history());
        pushRule = EventPattern.parse(EcrPushPattern.forConfiguration(configuration));
        deadExecutions = EventPattern.parse(DeadExecutionPattern.forStateMachine(deckhand.stateMachineArn()));
        // The baseline images were pushed before the rules existed: only later events are delivered.
        scannedEvents = deckhand.cloud().events().events().size();
        assertThat(deckhand.cloud().events().deliveries()).isEmpty();
        // Something succeeded in dev, so a promotion to staging can be accepted.
        String digest = deckhand.push("acme/storefront", List.of("main-1"), ImageBehaviour.healthy()).digest();
        ExecutionDescription deployed = deckhand.awaitCompletion(awaitExecutionWith(digest), TIMEOUT);
        assertThat(deployed.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @AfterContainer
    static void reportAndStop() {
        TALLIES.forEach((property, counts) -> System.out.println(property + ": " + counts));
        if (deckhand != null) {
            deckhand.close();
        }
    }

    // ---- resolve-env ----------------------------------------------------------------------

    @Provide
    Arbitrary<HostileInput> deployerInputs() {
        return HostileInput.deployerInputs();
    }

    @Property(tries = 1000)
    void resolveEnvAnswersEveryHostileEventWithADecisionOrANamedClearError(@ForAll("deployerInputs") HostileInput input) {
        tally("resolve-env, 1000 hostile events", answerOf(input).kind());
    }

    // ---- the deployer, started by the console and by the EventBridge rule -----------------

    /**
     * Of the deployer property's 150 tries, how many reached the deployer (neither a valid
     * deployment nor over AWS's input limit); a run that exercised fewer proves too little.
     */
    private static final int DEPLOYER_TRIES_MINIMUM = 100;
    private static final AtomicInteger deployerTriesExercised = new AtomicInteger();
    private static final AtomicBoolean deployerPropertyRan = new AtomicBoolean();

    @AfterProperty
    void theDeployerPropertyExercisedEnoughTries() {
        if (deployerPropertyRan.getAndSet(false)) {
            assertThat(deployerTriesExercised.getAndSet(0)).as("hostile events sent to the deployer (of 150 tries)")
                    .isGreaterThanOrEqualTo(DEPLOYER_TRIES_MINIMUM);
        }
    }

    @Property(tries = 150)
    void theDeployerRefusesHostileEventsWithoutTouchingEcsOrHistory(@ForAll("deployerInputs") HostileInput generated)
            throws Exception {
        String property = "deployer, 150 hostile events (console start + PutEvents)";
        deployerPropertyRan.set(true);
        // Execution input and event details are text: bytes that are not UTF-8 arrive decoded, as U+FFFD.
        HostileInput input = new HostileInput(generated.description(), generated.text().getBytes(StandardCharsets.UTF_8));
        ResolveAnswer decided = answerOf(asExecutionInput(input));
        if (decided.kind().equals("DEPLOY")) {
            tally(property, "a valid deployment: not sent");
            return;
        }
        if (input.bytes().length > AWS_INPUT_LIMIT) {
            tally(property, "over 256 KiB: AWS refuses it before Deckhand");
            return;
        }
        deployerTriesExercised.incrementAndGet();
        Footprint before = footprintAtRest();
        tally(property, "console: " + startedByConsole(input));
        tally(property, "EventBridge: " + putOnTheBus(input));
        assertUnchanged(before, "ECS and history after " + input);
    }

    @Example
    void everySampleInEventsInvalidIsRefusedClearlyAndDeploysNothing() throws Exception {
        List<Path> files;
        try (Stream<Path> listed = Files.list(Fixtures.path("events/invalid"))) {
            files = listed.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(10);
        for (Path file : files) {
            HostileInput input = new HostileInput(file.getFileName().toString(), Files.readAllBytes(file));
            ResolveAnswer answer = answerOf(input);
            assertThat(answer.kind()).as(input.description()).startsWith("refused ");
            Footprint before = footprintAtRest();
            String console = startedByConsole(input);
            assertThat(console).as(input.description()).isIn("refused by StartExecution", "FAILED, Request rejected");
            putOnTheBus(input);
            assertUnchanged(before, "ECS and history after " + input.description());
            tally("events/invalid, " + files.size() + " files", answer.kind());
        }
    }

    /** resolve-env's answer, as the Lambda runtime would report it: its output, or the error it threw. */
    private static ResolveAnswer answerOf(HostileInput input) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            resolver.handleRequest(new ByteArrayInputStream(input.bytes()), output,
                    new LocalLambdaContext("deckhand-resolve-env", "us-east-1", "000000000000"));
        } catch (DeckhandException named) {
            assertThat(ClearMessage.problems(named.getMessage(), input.text())).as("message %s of %s, for %s",
                    named.getMessage(), named.getClass().getSimpleName(), input).isEmpty();
            return new ResolveAnswer("refused " + named.getClass().getSimpleName(), null);
        } catch (RuntimeException | StackOverflowError crash) {
            throw new AssertionError("resolve-env crashed on " + input + ": " + crash, crash);
        }
        JsonNode decision = json(output.toString(StandardCharsets.UTF_8));
        String outcome = decision.path("outcome").asText();
        assertThat(outcome).as("decision for %s", input).isIn("DEPLOY", "IGNORED");
        if (outcome.equals("DEPLOY")) {
            assertThat(decision.path("image").path("uri").asText()).as("image of %s", input)
                    .matches("\\d{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/[a-z0-9._/-]+@sha256:[0-9a-f]{64}");
            assertThat(decision.path("deploymentId").asText()).matches("[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*\\.[0-9a-f]{16}");
        } else {
            assertThat(ClearMessage.problems(decision.path("reason").asText(), input.text())).as("reason %s, for %s",
                    decision.path("reason"), input).isEmpty();
        }
        return new ResolveAnswer(outcome, decision);
    }

    private record ResolveAnswer(String kind, JsonNode decision) {
    }

    /**
     * What resolve-env receives when the input starts an execution: the JSON Step Functions read,
     * written again (a repeated key, for one, is read once; the last one wins).
     */
    private static HostileInput asExecutionInput(HostileInput input) {
        try {
            return new HostileInput(input.description() + ", as execution input",
                    Json.write(Json.parse(input.text())).getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notJson) {
            return input;
        }
    }

    /** Starts the deployer with the input, as the console's "Start execution" does; how it ended. */
    private static String startedByConsole(HostileInput input) throws InterruptedException {
        String executionArn;
        try {
            executionArn = deckhand.startExecution(input.text());
        } catch (ExecutionException refused) {
            assertThat(refused.errorCode()).as("StartExecution refusal of %s", input).isEqualTo("InvalidExecutionInput");
            return "refused by StartExecution";
        }
        return ended(deckhand.awaitCompletion(executionArn, TIMEOUT), input);
    }

    /**
     * Puts the input on the default bus through the real EventBridge client, as a service would; when
     * the push rule matches it, follows the execution the rule starts. How it ended.
     */
    private static String putOnTheBus(HostileInput input) throws InterruptedException {
        JsonNode event;
        try {
            event = DeckhandJson.MAPPER.readTree(input.bytes());
        } catch (IOException e) {
            return "not JSON: cannot be an event";
        }
        if (event == null || !event.isObject() || !event.path("source").isTextual() || event.path("source").asText().isEmpty()
                || !event.path("detail-type").isTextual() || event.path("detail-type").asText().isEmpty()
                || !event.path("detail").isObject()) {
            return "no source, detail-type and detail: cannot be put";
        }
        // The bus writes its own envelope (account, region, id, time): what the rule delivers may be valid.
        ObjectNode envelope = DeckhandJson.MAPPER.createObjectNode().put("version", "0")
                .put("id", "00000000-0000-0000-0000-000000000000").put("detail-type", event.path("detail-type").asText())
                .put("source", event.path("source").asText()).put("account", deckhand.cloud().account())
                .put("time", "2026-01-01T00:00:00Z").put("region", deckhand.cloud().region());
        envelope.putArray("resources");
        envelope.set("detail", event.path("detail"));
        if (answerOf(new HostileInput(input.description() + " in the bus's envelope",
                envelope.toString().getBytes(StandardCharsets.UTF_8))).kind().equals("DEPLOY")) {
            return "valid in the bus's envelope: not put";
        }
        String eventId;
        if (event.path("source").asText().startsWith("aws.")) {
            // PutEvents refuses "aws.*" sources to callers (NotAuthorizedForSourceException): the bus
            // gets the event the way an AWS service such as ECR puts it there.
            eventId = UUID.randomUUID().toString();
            ObjectNode published = DeckhandJson.MAPPER.createObjectNode().put("id", eventId)
                    .put("source", event.path("source").asText()).put("detail-type", event.path("detail-type").asText());
            published.set("detail", event.path("detail"));
            deckhand.cloud().events().publish(published);
        } else {
            PutEventsResponse put;
            try (EventBridgeClient events = Clients.eventBridge(deckhand.cloud())) {
                put = events.putEvents(request -> request.entries(entry -> entry
                        .source(event.path("source").asText()).detailType(event.path("detail-type").asText())
                        .detail(event.path("detail").toString())));
            }
            if (put.failedEntryCount() > 0) {
                return "refused by PutEvents";
            }
            eventId = put.entries().get(0).eventId();
        }
        ObjectNode delivered = deckhand.cloud().events().events().stream()
                .filter(candidate -> candidate.path("id").asText().equals(eventId)).findFirst().orElseThrow();
        if (!pushRule.matches(delivered)) {
            return "not matched by the push rule";
        }
        String matched = eventId;
        String execution = Eventually.value(TIMEOUT, () -> "an execution of " + input + ", which the push rule matched",
                () -> {
                    assertThat(deckhand.cloud().events().deliveries()).as("deliveries of %s", matched)
                            .noneMatch(delivery -> delivery.event().path("id").asText().equals(matched)
                                    && delivery.outcome() != Delivery.Outcome.DELIVERED);
                    return executionWith(matched);
                });
        return "rule: " + ended(deckhand.awaitCompletion(execution, TIMEOUT), input);
    }

    /** A refused input ends FAILED with a Deckhand error whose message is clear, or IGNORED. */
    private static String ended(ExecutionDescription end, HostileInput input) {
        if (end.status() == ExecutionStatus.SUCCEEDED) {
            assertThat(json(end.output()).path("outcome").asText()).as("outcome of %s", input).isEqualTo("IGNORED");
            return "IGNORED";
        }
        assertThat(end.status()).as("status of %s", input).isEqualTo(ExecutionStatus.FAILED);
        if (end.error().startsWith("States.")) {
            // Step Functions itself refused the input (e.g. a number JSONata cannot hold) before any step ran.
            assertThat(ClearMessage.problems(end.cause(), input.text())).as("cause %s, for %s", end.cause(), input).isEmpty();
            return "FAILED, " + end.error();
        }
        assertThat(end.error()).as("error of %s", input).startsWith("dev.deckhand.errors.");
        // The definition's Fail state gives the function error's errorMessage as the cause, never the
        // runtime's payload with its stack trace.
        String message = end.cause();
        assertThat(message).as("cause of %s", input).doesNotContain("stackTrace").doesNotStartWith("{");
        assertThat(ClearMessage.problems(message, input.text())).as("message %s, for %s", message, input).isEmpty();
        return "FAILED, Request rejected";
    }

    // ---- the promote API --------------------------------------------------------------------

    @Provide
    Arbitrary<HostileRequest> promoteRequests() {
        Arbitrary<Map<String, String>> headers = Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.just(Map.of("Content-Type", "application/json")),
                Combinators.combine(Arbitraries.of("Content-Type", "content-type", "Host", "Authorization", "X-Amz-Date",
                                "X-Forwarded-For", "User-Agent", "Accept", "X-Amz-Security-Token", "Content-Length"),
                        HostileInput.hostileStrings()).as((name, value) -> {
                            Map<String, String> map = new LinkedHashMap<>();
                            map.put("Content-Type", "application/json");
                            map.put(name, value);
                            return map;
                        }));
        return Combinators.combine(HostileInput.promotionBodies(), headers, Arbitraries.of(false, false, false, true))
                .as(HostileRequest::new);
    }

    /** A body, the headers API Gateway passes, and whether it says the body is base64. */
    record HostileRequest(HostileInput body, Map<String, String> headers, boolean base64) {

        @Override
        public String toString() {
            String shownHeaders = headers == null ? "null" : headers.entrySet().stream()
                    .map(header -> header.getKey() + "=" + HostileInput.brief(DeckhandJson.MAPPER.getNodeFactory()
                            .textNode(header.getValue()))).toList().toString();
            return body + " headers " + shownHeaders + (base64 ? " base64" : "");
        }
    }

    @Property(tries = 1000)
    void thePromoteApiAnswersEveryHostileRequestWith202OrAClear4xx(@ForAll("promoteRequests") HostileRequest request)
            throws Exception {
        ObjectNode event = (ObjectNode) json(Fixtures.read("events/api/post-promotion.json"));
        event.put("body", request.body().text());
        event.put("isBase64Encoded", request.base64());
        event.set("headers", DeckhandJson.MAPPER.valueToTree(request.headers()));
        APIGatewayProxyRequestEvent proxy = DeckhandJson.PAYLOADS.treeToValue(event, APIGatewayProxyRequestEvent.class);
        Footprint before = footprintAtRest();
        List<String> executions = executionArns();

        APIGatewayProxyResponseEvent response = api.handleRequest(proxy,
                new LocalLambdaContext("deckhand-api", "us-east-1", "000000000000"));

        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
        tally("promote API handler, 1000 hostile requests",
                judged(response.getStatusCode(), response.getBody(), executions, before, request.toString(),
                        sentText(request.body().text(), request.base64())));
    }

    @Property(tries = 100)
    void overSignedHttpHostileBodiesAreAnswered202OrAClear4xx(@ForAll("hostileBodies") HostileInput body) throws Exception {
        SignedApiClient client = new SignedApiClient(deckhand.apiUrl(), Region.of(deckhand.cloud().region()),
                AwsBasicCredentials.create(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY));
        Footprint before = footprintAtRest();
        List<String> executions = executionArns();

        SignedApiClient.Answer answer = client.post("/promotions", body.text());

        tally("promote API over signed HTTP, 100 hostile bodies",
                judged(answer.status(), answer.body(), executions, before, body.toString(), body.text()));
    }

    @Provide
    Arbitrary<HostileInput> hostileBodies() {
        return HostileInput.promotionBodies().filter(body -> body.bytes().length <= 64 * 1024);
    }

    /**
     * 202 starts exactly the execution it names (followed to its end, so the next try starts from
     * rest); anything else is a 4xx with one clear message, and changes nothing.
     */
    /**
     * What the caller sent, whole (the request's description shortens long values): a message may
     * repeat the caller's own text, such as an unknown field's name that looks like a stack frame.
     */
    private static String sentText(String body, boolean base64) {
        if (!base64) {
            return body;
        }
        try {
            return body + new String(java.util.Base64.getDecoder().decode(body), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return body;
        }
    }

    private static String judged(int status, String body, List<String> executionsBefore, Footprint before, String request,
            String sent) throws InterruptedException {
        JsonNode answer = json(body);
        if (status == 202) {
            String executionArn = answer.path("executionArn").asText();
            assertThat(promotionsStartedSince(executionsBefore)).as("promotions started for %s", request)
                    .containsExactly(executionArn);
            assertThat(answer.path("deploymentId").asText()).startsWith("storefront.");
            deckhand.awaitCompletion(executionArn, TIMEOUT);
            atRest = null; // the promotion deployed: the next footprint is read anew
            return "202";
        }
        assertThat(status).as("status for %s: %s", request, body).isIn(400, 403, 404, 409);
        assertThat(ClearMessage.problems(answer.path("message").asText(), sent))
                .as("message %s, for %s", answer.path("message"), request).isEmpty();
        assertUnchanged(before, "ECS and history after " + status + " for " + request);
        assertThat(promotionsStartedSince(executionsBefore)).as("promotions started after %d for %s", status, request)
                .isEmpty();
        return String.valueOf(status);
    }

    /**
     * What ECS and the history hold once Deckhand has settled. Read through the SDK (about ten calls)
     * only when something may have changed since the last read: a try that changed nothing leaves the
     * footprint its check just read, so that one stands for the next try's "before".
     */
    private static Footprint footprintAtRest() throws InterruptedException {
        settle();
        if (atRest == null) {
            atRest = Footprint.of(deckhand, configuration);
        }
        return atRest;
    }

    /** Once Deckhand has settled, ECS and the history are as they were {@code before}. */
    private static void assertUnchanged(Footprint before, String what) throws InterruptedException {
        atRest = null;
        settle();
        Footprint after = Footprint.of(deckhand, configuration);
        assertThat(after).as(what).isEqualTo(before);
        atRest = after;
    }

    /** The execution whose input contains the text, once EventBridge (asynchronous, as on AWS) started it. */
    private static String awaitExecutionWith(String text) throws InterruptedException {
        return Eventually.value(TIMEOUT, () -> "an execution started for " + text, () -> executionWith(text));
    }

    /**
     * Waits until nothing is in flight: no execution running, and every event a rule matches
     * delivered (EventBridge delivers asynchronously, and a failed execution's status change reaches
     * the lock cleanup afterwards), so a footprint taken now is final.
     */
    private static void settle() throws InterruptedException {
        Eventually.until(TIMEOUT, () -> "Deckhand to settle (no execution running, every matched event delivered)", () -> {
            boolean running = deckhand.executions().stream().anyMatch(execution -> execution.status() == ExecutionStatus.RUNNING);
            List<ObjectNode> events = deckhand.cloud().events().events();
            // Counted once per event (the bus only appends): a rescan at every poll grew with the run.
            for (; scannedEvents < events.size(); scannedEvents++) {
                ObjectNode event = events.get(scannedEvents);
                matchedEvents += (pushRule.matches(event) ? 1 : 0) + (deadExecutions.matches(event) ? 1 : 0);
            }
            return !running && deckhand.cloud().events().deliveries().size() >= matchedEvents;
        });
    }

    private static List<String> executionArns() {
        return deckhand.executions().stream().map(ExecutionDescription::executionArn).toList();
    }

    /** The promotion executions started since; only the API starts promotions here. */
    private static List<String> promotionsStartedSince(List<String> before) {
        return deckhand.executions().stream().filter(execution -> !before.contains(execution.executionArn()))
                .filter(execution -> json(execution.input()).has("promotion"))
                .map(ExecutionDescription::executionArn).toList();
    }

    private static Optional<String> executionWith(String text) {
        return deckhand.executions().stream().filter(execution -> execution.input().contains(text))
                .map(ExecutionDescription::executionArn).findFirst();
    }

    private static void tally(String property, String kind) {
        TALLIES.computeIfAbsent(property, name -> new ConcurrentHashMap<>())
                .computeIfAbsent(kind, name -> new AtomicInteger()).incrementAndGet();
    }

    private static JsonNode json(String text) {
        try {
            return DeckhandJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
