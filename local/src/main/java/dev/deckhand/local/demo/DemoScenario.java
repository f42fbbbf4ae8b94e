package dev.deckhand.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.config.ServiceDefinition;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.local.api.SignedApiClient;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.executions.ExecutionGraph;
import dev.deckhand.local.executions.ExecutionProgress;
import dev.deckhand.local.executions.Outcomes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The demo: real deployments of the sample service through the deployer, on a local Deckhand.
 * Push a healthy v1 to dev (deployed); push a v2 that never answers healthy (rolled back to v1);
 * promote v1 from dev to staging, then from staging to prod through the local promote API over
 * HTTP, signed like any AWS request (deployed, with a Slack notification for prod). Each step states the outcome it expects; the demo fails if any differs.
 */
public final class DemoScenario {

    static final String SERVICE = "storefront";
    static final String REPOSITORY = "acme/storefront";
    /** The local account the demo moves prod to, as organisations keep prod in an account of its own. */
    static final String PROD_ACCOUNT = "222233334444";
    static final String PROD_ROLE = "arn:aws:iam::" + PROD_ACCOUNT + ":role/deckhand-deploy";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(20);

    /** One step's expectation and what happened. */
    public record StepResult(String title, String expected, String actual, String deploymentId, String serving,
            Duration simulated) {

        public boolean asExpected() {
            return expected.equals(actual);
        }
    }

    private final DeckhandConfiguration configuration;
    private final PrintWriter out;
    private final Path graphs;
    private final List<Path> written = new ArrayList<>();
    private final boolean iam;

    /**
     * @param graphs the directory each execution's graph (SVG) is written to, or {@code null} for none
     */
    public DemoScenario(DeckhandConfiguration configuration, PrintWriter out, Path graphs) {
        this(configuration, out, graphs, true);
    }

    /**
     * @param iam whether the functions' requests are authorized against their policies ({@code --no-iam}: not)
     */
    public DemoScenario(DeckhandConfiguration configuration, PrintWriter out, Path graphs, boolean iam) {
        this.configuration = withProdInASecondAccount(configuration);
        this.out = out;
        this.graphs = graphs;
        this.iam = iam;
    }

    /**
     * The configuration with prod in a second local account (unless it names one already), reached
     * through a deployment role there; its roles move with it. Demo-only: the sample file stays
     * single-account, so synthesizing it needs no second account.
     */
    static DeckhandConfiguration withProdInASecondAccount(DeckhandConfiguration configuration) {
        Map<String, ServiceDefinition> services = new LinkedHashMap<>(configuration.services());
        ServiceDefinition service = services.get(SERVICE);
        EnvironmentDefinition prod = service == null ? null : service.environments().get("prod");
        if (prod == null || prod.crossAccount()) {
            return configuration;
        }
        Map<String, EnvironmentDefinition> environments = new LinkedHashMap<>(service.environments());
        environments.put("prod", new EnvironmentDefinition(prod.name(), prod.repository(), prod.cluster(),
                prod.ecsService(), prod.deployOnPush(), prod.promoteFrom(), prod.healthCheck(), prod.migration(),
                prod.verification(), prod.notifications(), inProdAccount(prod.taskRoleArn()), inProdAccount(prod.executionRoleArn()),
                prod.promoters(), prod.keepRevisions(), PROD_ACCOUNT, PROD_ROLE));
        services.put(SERVICE, new ServiceDefinition(service.name(), service.container(), environments));
        return new DeckhandConfiguration(services);
    }

    private static String inProdAccount(String roleArn) {
        return roleArn == null ? null : roleArn.replaceFirst("^(arn:aws[a-z-]*:iam::)\\d{12}:", "$1" + PROD_ACCOUNT + ":");
    }

    /** Checks that the configuration has what the demo deploys to; returns the problem, if any. */
    public static Optional<String> unsuitable(DeckhandConfiguration configuration) {
        Optional<ServiceDefinition> service = configuration.service(SERVICE);
        if (service.isEmpty() || !service.get().environments().keySet().containsAll(List.of("dev", "staging", "prod"))) {
            return Optional.of("the demo deploys the sample service 'storefront' (dev, staging, prod) of the "
                    + "repository's deckhand.yml");
        }
        return Optional.empty();
    }

    public List<StepResult> run() throws IOException, InterruptedException {
        List<StepResult> results = new ArrayList<>();
        try (LocalDeckhand deckhand = LocalDeckhand.builder(configuration).iam(iam).slackWebhook(text -> { }).start();
                SfnClient sfn = sfn(deckhand)) {
            out.printf("Deckhand demo: the deployer end to end on a local cloud at %s, in simulated time.%n",
                    deckhand.cloud().endpoint());
            out.println(iam ? "IAM enforced: each function may call only what its synthesized role allows."
                    : "IAM NOT enforced (--no-iam): every function may call anything.");
            out.printf("Service %s: dev deploys pushes of main-*, staging is promoted from dev, prod from staging.%n",
                    SERVICE);
            EnvironmentDefinition prod = configuration.service(SERVICE).orElseThrow().environment("prod").orElseThrow();
            out.printf("prod lives in account %s: deploy, migration and rollback act there as %s (STS AssumeRole).%n%n",
                    prod.account(), prod.roleArn());
            ExecutionProgress progress = new ExecutionProgress(sfn, out, POLL);

            EcrImage v1 = deckhand.push(REPOSITORY, List.of("main-1"), ImageBehaviour.healthy());
            results.add(step(deckhand, progress, 1, "Push " + REPOSITORY + ":main-1, a healthy image", "SUCCEEDED",
                    "dev", () -> pushed(deckhand, v1)));

            EcrImage v2 = deckhand.push(REPOSITORY, List.of("main-2"), ImageBehaviour.unhealthy());
            results.add(step(deckhand, progress, 2, "Push " + REPOSITORY + ":main-2, which never answers healthy",
                    "ROLLED_BACK", "dev", () -> pushed(deckhand, v2)));

            SignedApiClient api = new SignedApiClient(deckhand.apiUrl(), Region.of(deckhand.cloud().region()),
                    AwsBasicCredentials.create(LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY));
            results.add(step(deckhand, progress, 3, "Promote what dev verified (main-1) to staging: POST "
                    + deckhand.apiUrl() + "/promotions", "SUCCEEDED", "staging", () -> promote(api, "dev", "staging")));

            results.add(step(deckhand, progress, 4, "Promote what staging verified to prod: POST "
                    + deckhand.apiUrl() + "/promotions", "SUCCEEDED", "prod", () -> promote(api, "staging", "prod")));

            summarise(results, deckhand.slackWebhook().orElseThrow().messages(), deckhand);
        }
        return results;
    }

    /** Starts one deployment and says which execution it is. */
    @FunctionalInterface
    private interface Start {
        String execution() throws IOException, InterruptedException;
    }

    private StepResult step(LocalDeckhand deckhand, ExecutionProgress progress, int number, String title,
            String expected, String environment, Start start) throws IOException, InterruptedException {
        out.printf("[%d/4] %s (expect %s)%n", number, title, expected);
        out.flush();
        String executionArn = start.execution();
        DescribeExecutionResponse end = progress.follow(executionArn, STEP_TIMEOUT);
        if (end.status() == ExecutionStatus.RUNNING) {
            deckhand.engine().stopExecution(executionArn, "Deckhand.DemoTimeout", "the demo stopped waiting");
        }
        String actual = Outcomes.of(end);
        Duration simulated = Duration.between(end.startDate(), end.stopDate() == null ? end.startDate() : end.stopDate());
        String serving = deckhand.history().lastVerified(SERVICE, environment).map(VerifiedRevision::image)
                .map(DemoScenario::tagOrDigest).orElse("-");
        out.printf("      %s %s in %s of simulated time%s%n%n", expected.equals(actual) ? "OK" : "UNEXPECTED", actual,
                ExecutionProgress.clock(simulated), expected.equals(actual) ? "" : " (expected " + expected + ")");
        String deploymentId = deploymentId(deckhand, executionArn);
        if (graphs != null) {
            Path file = graphs.resolve(number + "-" + deploymentId + ".svg");
            Files.createDirectories(graphs);
            try (SfnClient sfn = sfn(deckhand)) {
                Files.writeString(file, ExecutionGraph.read(sfn, executionArn).svg(), StandardCharsets.UTF_8);
            }
            written.add(file);
        }
        return new StepResult(title, expected, actual, deploymentId, serving, simulated);
    }

    /** The execution a push started. */
    private static String pushed(LocalDeckhand deckhand, EcrImage image) throws InterruptedException {
        return deckhand.executionStartedBy(image, STEP_TIMEOUT);
    }

    /** Promotes through the local promote API, signed like any AWS request, and returns the execution. */
    private String promote(SignedApiClient api, String from, String to) throws IOException, InterruptedException {
        ObjectNode request = DeckhandJson.MAPPER.createObjectNode().put("service", SERVICE).put("from", from).put("to", to);
        SignedApiClient.Answer answer = api.post("/promotions", request.toString());
        if (answer.status() != 202) {
            throw new IllegalStateException("the promote API refused " + from + " -> " + to + ": HTTP " + answer.status()
                    + " " + answer.body());
        }
        JsonNode accepted = json(answer.body());
        out.printf("      202 Accepted: %s (%s)%n", accepted.path("deploymentId").asText(), accepted.path("statusUrl").asText());
        return accepted.path("executionArn").asText();
    }

    private static String deploymentId(LocalDeckhand deckhand, String executionArn) {
        for (String environment : List.of("dev", "staging", "prod")) {
            Optional<String> id = deckhand.history().recent(SERVICE, environment, 20).stream()
                    .filter(record -> record.executionArn().equals(executionArn))
                    .map(record -> record.deploymentId()).findFirst();
            if (id.isPresent()) {
                return id.get();
            }
        }
        return "-";
    }

    private void summarise(List<StepResult> results, List<String> slackMessages, LocalDeckhand deckhand) {
        out.println("Summary");
        out.printf("  %-3s %-38s %-12s %-12s %-22s %s%n", "#", "Deployment", "Expected", "Outcome", "Verified image",
                "Simulated");
        for (int i = 0; i < results.size(); i++) {
            StepResult result = results.get(i);
            out.printf("  %-3d %-38s %-12s %-12s %-22s %s%n", i + 1, result.deploymentId(), result.expected(),
                    result.actual(), result.serving(), ExecutionProgress.clock(result.simulated()));
        }
        out.println();
        slackMessages.forEach(message -> out.println("Slack (local webhook) received: "
                + message.lines().findFirst().orElse("")));
        if (!written.isEmpty()) {
            out.println("Execution graphs (open in a browser): " + written.get(0).getParent() + "/");
            written.forEach(file -> out.println("  " + file.getFileName()));
        }
        long unexpected = results.stream().filter(result -> !result.asExpected()).count();
        out.println(unexpected == 0 ? "Every deployment ended as expected."
                : unexpected + " deployment(s) did not end as expected.");
        out.println(deckhand.iam().map(enforcement -> "IAM: " + enforcement.authorized() + " calls authorized, "
                + enforcement.denials().size() + " denied (policies of the synthesized roles)")
                .orElse("IAM: not enforced (--no-iam)"));
        out.flush();
    }

    private static String tagOrDigest(String imageUri) {
        String digest = imageUri.substring(imageUri.indexOf('@') + 1);
        return digest.length() > 19 ? digest.substring(0, 19) + "…" : digest;
    }

    private static JsonNode json(String text) {
        try {
            return DeckhandJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SDK's Step Functions client for the local cloud (the Lambda code has only a signed JSON client). */
    private static SfnClient sfn(LocalDeckhand deckhand) {
        return SfnClient.builder().endpointOverride(deckhand.cloud().endpoint())
                .region(Region.of(deckhand.cloud().region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalDeckhand.ACCESS_KEY_ID, LocalDeckhand.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
