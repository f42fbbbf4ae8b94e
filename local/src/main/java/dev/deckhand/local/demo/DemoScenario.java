package dev.deckhand.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.DeploymentStrategy;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.config.HealthCheckSettings;
import dev.deckhand.config.LoadBalancerSettings;
import dev.deckhand.config.NotificationSettings;
import dev.deckhand.config.TagPattern;
import dev.deckhand.config.ServiceDefinition;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.local.api.SignedApiClient;
import dev.deckhand.config.ApprovalSettings;
import dev.deckhand.local.LocalCloud;
import dev.deckhand.statemachine.clock.EngineClock;
import java.time.Instant;

import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.deployer.LocalDeckhand;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecs.HookAnswerRecord;
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
 * HTTP, signed like any AWS request (deployed, with a Slack notification for prod); then a canary
 * environment that ECS deploys with its CANARY strategy, Deckhand's health check as the lifecycle
 * hook: a healthy image (deployed), and one that regresses only under production traffic, so the
 * hook passes it on the test listener and fails it at the canary step (ECS shifts traffic back;
 * rolled back by ECS). Each step states the outcome it expects; the demo fails if any differs.
 */
public final class DemoScenario {

    static final String SERVICE = "storefront";
    static final String REPOSITORY = "acme/storefront";
    /** The local account the demo moves prod to, as organisations keep prod in an account of its own. */
    static final String PROD_ACCOUNT = "222233334444";
    static final String PROD_ROLE = "arn:aws:iam::" + PROD_ACCOUNT + ":role/deckhand-deploy";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    /** The demo's second person: the release manager who approves what was promoted to prod. */
    static final String APPROVER_KEY = "AKIDRELEASEMANAGER";
    private static final String APPROVER_SECRET = "release-manager-secret";
    private static final Duration POLL = Duration.ofMillis(20);
    private static final int STEPS = 6;
    /** The demo-only environment ECS deploys with its CANARY strategy, judged by Deckhand's lifecycle hook. */
    static final String CANARY = "canary";
    private static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod", CANARY);

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
        this.configuration = withCanaryEnvironment(withProdInASecondAccount(configuration));
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
        // Prod is gated: a person other than the one who promoted approves each deployment (the demo's
        // release manager, through the API).
        ApprovalSettings approval = prod.approval() != null ? prod.approval()
                : new ApprovalSettings(ApprovalSettings.DEFAULT_TIMEOUT_MINUTES, "reject", true, List.of());
        environments.put("prod", new EnvironmentDefinition(prod.name(), prod.repository(), prod.cluster(),
                prod.ecsService(), prod.deployOnPush(), prod.promoteFrom(), prod.healthCheck(), prod.migration(),
                prod.verification(), prod.notifications(), inProdAccount(prod.taskRoleArn()), inProdAccount(prod.executionRoleArn()),
                prod.promoters(), prod.keepRevisions(), PROD_ACCOUNT, PROD_ROLE, approval, prod.soakMinutes(),
                prod.freeze(), prod.breakGlass(), prod.gate(), prod.strategy()));
        services.put(SERVICE, new ServiceDefinition(service.name(), service.container(), environments));
        return new DeckhandConfiguration(services);
    }

    /**
     * The configuration with a demo-only canary environment of the sample service (unless it has
     * one): pushes of {@code canary-*}, ECS's CANARY strategy behind the local load balancer's
     * production and test listeners, the dev environment's health check and roles.
     */
    static DeckhandConfiguration withCanaryEnvironment(DeckhandConfiguration configuration) {
        ServiceDefinition service = configuration.services().get(SERVICE);
        EnvironmentDefinition base = service == null ? null : service.environments().get("dev");
        if (base == null || service.environments().containsKey(CANARY)) {
            return configuration;
        }
        String elb = "arn:aws:elasticloadbalancing:us-east-1:000000000000:";
        LoadBalancerSettings balancer = new LoadBalancerSettings(
                elb + "targetgroup/storefront-blue/1111111111111111", elb + "targetgroup/storefront-green/2222222222222222",
                elb + "listener-rule/app/storefront/3333333333333333/4444444444444444/5555555555555555",
                elb + "listener-rule/app/storefront/3333333333333333/6666666666666666/7777777777777777",
                "arn:aws:iam::000000000000:role/ecs-infrastructure-storefront", null, 8080,
                "http://test.storefront.canary.acme.internal:8443/health");
        DeploymentStrategy canary = new DeploymentStrategy(
                DeploymentStrategy.Kind.CANARY, false, List.of(), 1, 10.0, 2, null, null, balancer);
        HealthCheckSettings health = new HealthCheckSettings(
                "http://storefront.canary.acme.internal/health", 200, null, 2, 3, base.healthCheck().timeoutSeconds());
        Map<String, EnvironmentDefinition> environments = new LinkedHashMap<>(service.environments());
        environments.put(CANARY, new EnvironmentDefinition(CANARY, base.repository(), "acme-canary", "storefront-canary",
                List.of(TagPattern.parse("canary-*")), null, health, null, null,
                NotificationSettings.NONE, base.taskRoleArn(), base.executionRoleArn(), List.of(),
                base.keepRevisions(), null, null, null, 0, null, List.of(), null, canary));
        Map<String, ServiceDefinition> services = new LinkedHashMap<>(configuration.services());
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
        try (LocalDeckhand deckhand = LocalDeckhand.builder(configuration).iam(iam).slackWebhook(text -> { })
                .apiCaller(APPROVER_KEY, APPROVER_SECRET, LocalCloud.DEFAULT_ACCOUNT).start();
                SfnClient sfn = sfn(deckhand)) {
            out.printf("Deckhand demo: the deployer end to end on a local cloud at %s, in simulated time.%n",
                    deckhand.cloud().endpoint());
            out.println(iam ? "IAM enforced: each function may call only what its synthesized role allows."
                    : "IAM NOT enforced (--no-iam): every function may call anything.");
            out.printf("Service %s: dev deploys pushes of main-*, staging is promoted from dev, prod from staging;%n"
                    + "canary deploys pushes of canary-* with ECS's CANARY strategy, Deckhand's health check as its "
                    + "lifecycle hook.%n", SERVICE);
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

            SignedApiClient approver = new SignedApiClient(deckhand.apiUrl(), Region.of(deckhand.cloud().region()),
                    AwsBasicCredentials.create(APPROVER_KEY, APPROVER_SECRET));
            results.add(step(deckhand, progress, 4, "Promote what staging verified to prod (prod needs approval): POST "
                    + deckhand.apiUrl() + "/promotions", "SUCCEEDED", "prod",
                    () -> promoteAndApprove(deckhand, api, approver)));

            EcrImage c1 = deckhand.push(REPOSITORY, List.of("canary-1"), ImageBehaviour.healthy());
            results.add(step(deckhand, progress, 5, "Push " + REPOSITORY + ":canary-1 to canary, deployed by ECS's "
                    + "CANARY strategy (10 %, then the rest)", "SUCCEEDED", CANARY, () -> pushed(deckhand, c1)));

            // Healthy on the test listener; the regression shows once the canary step sends it production traffic.
            EcrImage c2 = deckhand.push(REPOSITORY, List.of("canary-2"), ImageBehaviour.productionRegression());
            results.add(step(deckhand, progress, 6, "Push " + REPOSITORY + ":canary-2, which regresses once production "
                    + "traffic reaches it: Deckhand's lifecycle hook fails it at the canary step", "ROLLED_BACK", CANARY,
                    () -> pushed(deckhand, c2)));

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
        out.printf("[%d/%d] %s (expect %s)%n", number, STEPS, title, expected);
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
        byEcs(deckhand, environment, executionArn).ifPresent(reason ->
                out.printf("      ECS rolled it back on Deckhand's lifecycle hook%s: %s%n%n",
                        whenTheHookFailed(deckhand, environment), reason));
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

    /**
     * Promotes to prod and approves the deployment as the release manager once it waits in "Wait for
     * approval". Simulated time jumps to the next timer as soon as everything waits, which would be the
     * approval's timeout: the demo holds the clock until its answer is in, as a person answering
     * within the hour would.
     */
    private String promoteAndApprove(LocalDeckhand deckhand, SignedApiClient api, SignedApiClient approver)
            throws IOException, InterruptedException {
        try (EngineClock.Activity person = deckhand.clock().beginActivity()) {
            String executionArn = promote(api, "staging", "prod");
            String id = deploymentIdWhenClaimed(deckhand, executionArn);
            String body = DeckhandJson.MAPPER.createObjectNode().put("decision", "approve")
                    .put("comment", "the demo's release manager approves").toString();
            Instant deadline = Instant.now().plus(STEP_TIMEOUT);
            SignedApiClient.Answer answer = approver.post("/deployments/" + id + "/approval", body);
            // 409 until the deployment waits for approval (it registers its release first).
            while (answer.status() == 409 && Instant.now().isBefore(deadline)) {
                Thread.sleep(POLL.toMillis());
                answer = approver.post("/deployments/" + id + "/approval", body);
            }
            if (answer.status() != 202) {
                throw new IllegalStateException("the approval API refused " + id + ": HTTP " + answer.status() + " "
                        + answer.body());
            }
            out.printf("      202 Accepted: %s approved by %s (POST /deployments/%s/approval)%n", id,
                    json(answer.body()).path("by").asText(), id);
            return executionArn;
        }
    }

    private static String deploymentIdWhenClaimed(LocalDeckhand deckhand, String executionArn)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(STEP_TIMEOUT);
        String id = deploymentId(deckhand, executionArn);
        while (id.equals("-") && Instant.now().isBefore(deadline)) {
            Thread.sleep(POLL.toMillis());
            id = deploymentId(deckhand, executionArn);
        }
        return id;
    }

    /** Why ECS rolled the deployment back, when ECS (not Deckhand) did: what the history recorded. */
    /**
     * When the environment's lifecycle hook last answered FAILED, as a phrase: during the canary
     * (or a linear) step, with the new revision's production share, or before production traffic.
     */
    private String whenTheHookFailed(LocalDeckhand deckhand, String environment) {
        EnvironmentDefinition target = configuration.services().get(SERVICE).environments().get(environment);
        List<HookAnswerRecord> answers = deckhand.ecs().hookAnswers(target.cluster(), target.ecsService());
        return answers.stream().filter(answer -> "FAILED".equals(answer.hookStatus())).reduce((a, b) -> b)
                .map(failed -> failed.productionPercent() <= 0 ? " at test traffic, before any production traffic"
                        : failed.productionPercent() < 100 ? " during the canary step ("
                                + java.math.BigDecimal.valueOf(failed.productionPercent()).stripTrailingZeros()
                                        .toPlainString()
                                + " % of production traffic on the new revision, " + failed.lifecycleStage() + ")"
                        : " after all production traffic shifted (" + failed.lifecycleStage() + ")")
                .orElse("");
    }

    private static Optional<String> byEcs(LocalDeckhand deckhand, String environment, String executionArn) {
        return deckhand.history().recent(SERVICE, environment, 20).stream()
                .filter(record -> record.executionArn().equals(executionArn))
                .filter(record -> "ECS".equals(record.details().path("rollback").path("by").asText()))
                .map(record -> {
                    String cause = record.details().path("failure").path("cause").asText();
                    try {
                        return DeckhandJson.MAPPER.readTree(cause).path("errorMessage").asText(cause);
                    } catch (IOException e) {
                        return cause;
                    }
                }).findFirst();
    }

    private static String deploymentId(LocalDeckhand deckhand, String executionArn) {
        for (String environment : ENVIRONMENTS) {
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
        // Deckhand's functions write their requests' JSON by hand: a member no model defines is a bug.
        List<String> unmodelled = deckhand.cloud().unmodelledMembers();
        out.println(unmodelled.isEmpty() ? "Requests: every member sent is one the SDK's models define."
                : "Requests: members no SDK model defines: " + String.join(", ", unmodelled));
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
