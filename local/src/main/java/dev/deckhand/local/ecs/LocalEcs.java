package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.aws.Paging;
import dev.deckhand.local.aws.EventPublisher;
import dev.deckhand.local.aws.JsonProtocolService;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecr.LocalEcr;
import dev.deckhand.local.lambda.LocalLambda;
import dev.deckhand.local.logs.LogStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Amazon ECS for the local cloud, over the AWS JSON 1.1 protocol: clusters, task definitions,
 * services with simulated rolling deployments (circuit breaker and rollback included), one-off
 * tasks that end with container exit codes, and the ECS events EventBridge would receive.
 *
 * <p>Time is simulated and lazy: nothing runs in the background. State is brought up to
 * {@code clock.instant()} whenever it is observed (any API call, a health check, or
 * {@link #emitDueEvents()}), and each state change carries the simulated instant it was due at.
 * What an image does is the {@link ImageBehaviour} it was pushed with to the {@link LocalEcr};
 * an image unknown to it cannot be pulled. Each service answers HTTP on its own loopback port
 * ({@link #serviceUrl}). Thread-safe; {@link #close()} closes every service's port.
 */
public final class LocalEcs implements JsonProtocolService, AutoCloseable {

    /** The {@code X-Amz-Target} prefix the ECS SDK client sends. */
    public static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113";

    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        // The JDK HttpServer sends a response's headers and body as two TCP segments; with Nagle's
        // algorithm on, the body waits for the client's delayed ACK, about 40 ms per request on
        // loopback (measured by WorkloadsBenchmark: 44 ms vs 0.5 ms at p50). The server reads
        // this switch once, when the JVM's first HttpServer starts, so it is set here,
        // before a server that hosts this service (or any load balancer) can have started.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    private static final String DEFAULT_CLUSTER = "default";
    private static final Duration CLIENT_TOKEN_TTL = Duration.ofHours(24);
    private static final Duration STOPPED_TASKS_KEPT = Duration.ofHours(1);

    private final Simulation simulation;
    private final EventPublisher publisher;
    private final TaskDefinitionRegistry taskDefinitions;
    private final ServiceRollout rollouts;
    private final TaskRun taskRuns;
    private final Map<String, EcsCluster> clusters = new LinkedHashMap<>();
    private final Object publishing = new Object();
    private volatile Duration consistencyDelay = Duration.ZERO;
    private volatile LocalLambda lambda;
    private final java.util.concurrent.locks.ReentrantLock hookRunner = new java.util.concurrent.locks.ReentrantLock();

    /** With {@link WorkloadTiming#defaults()}. */
    public LocalEcs(String region, String accountId, Clock clock, LocalEcr ecr, EventPublisher events) {
        this(region, accountId, clock, ecr, events, WorkloadTiming.defaults());
    }

    /**
     * @param region the region in ARNs, e.g. {@code us-east-1}
     * @param accountId the 12-digit account id in ARNs
     * @param clock the simulated clock; all rollout and task timing is measured on it
     * @param ecr where container images are pulled from
     * @param events where ECS events go (the local EventBridge); published outside any lock
     * @param timing how long simulated workloads take
     */
    public LocalEcs(String region, String accountId, Clock clock, LocalEcr ecr, EventPublisher events,
                    WorkloadTiming timing) {
        this.simulation = new Simulation(Objects.requireNonNull(region, "region"),
                Objects.requireNonNull(accountId, "accountId"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(timing, "timing"), Objects.requireNonNull(ecr, "ecr"));
        this.publisher = Objects.requireNonNull(events, "events");
        this.taskDefinitions = new TaskDefinitionRegistry(region, accountId);
        this.taskRuns = new TaskRun(simulation);
        this.rollouts = new ServiceRollout(simulation, taskRuns);
    }

    @Override
    public String targetPrefix() {
        return TARGET_PREFIX;
    }

    @Override
    public JsonNode handle(String operation, JsonNode request) {
        try {
            synchronized (this) {
                Instant now = settle();
                return switch (operation) {
                    case "CreateCluster" -> createCluster(request);
                    case "DescribeClusters" -> describeClusters(request);
                    case "ListClusters" -> listClusters(request);
                    case "ListServices" -> listServices(request);
                    case "RegisterTaskDefinition" -> taskDefinitionResponse(taskDefinitions.register(request, now), true);
                    case "DescribeTaskDefinition" -> taskDefinitionResponse(
                            taskDefinitions.describe(request.path("taskDefinition").asText(null)),
                            request.path("include").toString().contains("TAGS"));
                    case "DeregisterTaskDefinition" -> taskDefinitionResponse(
                            taskDefinitions.deregister(request.path("taskDefinition").asText(null), now), false);
                    case "ListTaskDefinitions" -> listTaskDefinitions(request);
                    case "CreateService" -> createService(request, now);
                    case "DescribeServices" -> describeServices(request);
                    case "UpdateService" -> updateService(request, now);
                    case "DeleteService" -> deleteService(request, now);
                    case "RunTask" -> runTask(request, now);
                    case "DescribeTasks" -> describeTasks(request);
                    case "StopTask" -> stopTask(request, now);
                    case "ListTasks" -> listTasks(request);
                    case "ListServiceDeployments" -> listServiceDeployments(request);
                    case "DescribeServiceDeployments" -> describeServiceDeployments(request);
                    default -> throw AwsErrorException.unsupportedOperation(operation);
                };
            }
        } finally {
            publishDueEvents();
        }
    }

    /**
     * Seeds a service that is already running {@code image}: creates the cluster if needed,
     * registers a Fargate task definition (family = service name, one essential container
     * {@code app} on port 8080) and a service with one task, the circuit breaker with rollback on,
     * and a COMPLETED deployment. Emits no events: the service was running before the local cloud
     * was watched. Push {@code image} to the local ECR first; an image it does not know leaves the
     * service without a healthy target (503).
     *
     * @throws AwsErrorException {@code InvalidParameterException} if the service already exists
     */
    public RunningService seedService(String cluster, String service, String image) {
        try {
            return seed(cluster, service, image);
        } finally {
            publishDueEvents();
        }
    }

    private RunningService seed(String cluster, String service, String image) {
        synchronized (this) {
            Instant now = settle();
            EcsCluster target = clusters.computeIfAbsent(cluster, this::newCluster);
            EcsService existing = target.services.get(service);
            if (existing != null && !existing.status.equals("INACTIVE")) {
                throw invalidParameter("Creation of service was not idempotent.");
            }
            ObjectNode definition = Simulation.JSON.createObjectNode()
                    .put("family", service)
                    .put("networkMode", "awsvpc")
                    .put("cpu", "256")
                    .put("memory", "512");
            definition.putArray("requiresCompatibilities").add("FARGATE");
            definition.putArray("containerDefinitions").addObject()
                    .put("name", "app")
                    .put("image", image)
                    .put("essential", true)
                    .putArray("portMappings").addObject().put("containerPort", 8080).put("protocol", "tcp");
            TaskDefinition registered = taskDefinitions.register(definition, now);
            ObjectNode network = Simulation.JSON.createObjectNode();
            network.putObject("awsvpcConfiguration").put("assignPublicIp", "DISABLED")
                    .putArray("subnets").add("subnet-local");
            EcsService created = newService(target, service, registered, 1, network, "FARGATE", true, true, now);
            rollouts.seed(created, registered, now);
            return new RunningService(target.arn, created.arn, registered.arn, created.loadBalancer.url());
        }
    }

    /**
     * Makes a new task-definition revision invisible to CreateService, UpdateService and RunTask
     * for {@code delay} of simulated time after RegisterTaskDefinition answered, as ECS's eventual
     * consistency can (API_RunTask: "the result of an API command you run that affects your
     * Amazon ECS resources might not be immediately visible to all subsequent commands you run").
     * Such a call is answered as for a revision that does not exist. Zero (the default) turns it off.
     */
    public void consistencyDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("A consistency delay cannot be negative: " + delay);
        }
        this.consistencyDelay = delay;
    }

    /**
     * Sends what one-off containers print to CloudWatch Logs when their task definition uses the
     * awslogs driver (group, stream prefix) and the group exists.
     */
    public void containerLogs(LogStore logs) {
        simulation.output = new ContainerOutput(Objects.requireNonNull(logs, "logs"));
    }

    /**
     * Tags a revision the way AWS itself does (CloudFormation adds {@code aws:cloudformation:…}),
     * with a key callers may not use: RegisterTaskDefinition refuses {@code aws:} tags.
     */
    public synchronized void tagAsAws(String taskDefinition, String key, String value) {
        taskDefinitions.tagAsAws(taskDefinition, key, value);
    }

    /** The tags of the task {@code taskArn} (empty when it has none or is unknown), for the local IAM. */
    public synchronized Map<String, String> taskTags(String taskArn) {
        return clusters.values().stream().map(cluster -> cluster.tasks.get(lastSegment(taskArn)))
                .filter(task -> task != null && task.arn.equals(taskArn)).findFirst()
                .<Map<String, String>>map(task -> Map.copyOf(task.tags)).orElse(Map.of());
    }

    /**
     * The URL of a service's load balancer, {@code http://127.0.0.1:<port>}: every GET answers
     * with the health of the revision serving at that moment.
     *
     * @throws IllegalArgumentException if the cluster or service does not exist
     */
    public URI serviceUrl(String cluster, String service) {
        return loadBalancer(cluster, service).url();
    }

    synchronized ServiceLoadBalancer loadBalancer(String cluster, String service) {
        EcsCluster found = clusters.get(cluster);
        EcsService target = found == null ? null : found.services.get(service);
        if (target == null || target.loadBalancer == null) {
            throw new IllegalArgumentException("No service '" + service + "' in cluster '" + cluster + "'");
        }
        return target.loadBalancer;
    }

    /**
     * Tells {@code listener} the instant of everything ECS will do next (a task starting, a
     * deployment completing), so it can {@link #emitDueEvents() observe} ECS then: ECS's events
     * then come when they happen, as on AWS, not when someone next calls the API. The listener
     * runs under ECS's lock and must only schedule.
     */
    public void onScheduled(java.util.function.Consumer<Instant> listener) {
        simulation.schedule.onScheduled(listener);
    }

    /**
     * Brings every service and task up to the clock, publishes the events whose instant has passed
     * and invokes the lifecycle hooks that are due (only here: never inside an API request or a
     * load balancer answer, as on AWS, where ECS invokes hooks on its own time). Call it after
     * moving a simulated clock, or when {@link #onScheduled} says something is due.
     */
    public void emitDueEvents() {
        synchronized (this) {
            settle();
        }
        publishDueEvents();
        runDueHooks();
    }

    /**
     * The URL of a service's test listener, {@code http://127.0.0.1:<port>} (opened on first use):
     * while a blue/green, linear or canary deployment is in flight it routes by the test traffic
     * weights (all to the new revision from TEST_TRAFFIC_SHIFT on), otherwise like the production
     * listener, {@link #serviceUrl}.
     *
     * @throws IllegalArgumentException if the cluster or service does not exist
     */
    public synchronized URI testListenerUrl(String cluster, String service) {
        EcsService target = existingService(cluster, service);
        if (target.testListener == null) {
            target.testListener = new ServiceLoadBalancer(service + "-test", () -> healthOf(target, TEST),
                    simulation.timing.healthHangLimit());
        }
        return target.testListener.url();
    }

    /** Every answer of a service's listeners so far (the most recent 10,000), oldest first. */
    public synchronized List<ListenerAnswer> listenerAnswers(String cluster, String service) {
        return List.copyOf(existingService(cluster, service).answers);
    }

    /** Every answer of a service's lifecycle hooks so far (the most recent 1,000), oldest first. */
    public synchronized List<HookAnswerRecord> hookAnswers(String cluster, String service) {
        return List.copyOf(existingService(cluster, service).hookAnswers);
    }

    /** Where the functions of lifecycle hooks are found and invoked (as the hook's role); none by default. */
    public void lambda(LocalLambda functions) {
        this.lambda = Objects.requireNonNull(functions, "functions");
    }

    /**
     * Where ECS reads the state of the CloudWatch alarms a deployment names ({@code alarms.alarmNames}):
     * {@code ALARM}, {@code OK} or {@code INSUFFICIENT_DATA}; null for an alarm that does not exist.
     */
    public void alarmStates(java.util.function.Function<String, String> states) {
        simulation.alarmStates = Objects.requireNonNull(states, "states");
    }

    /**
     * A fault for tests: the next rollback of a blue/green, linear or canary deployment of
     * {@code service} cannot restore the old revision (as when the production listener rule cannot
     * be modified back), so its service deployment ends ROLLBACK_FAILED with {@code reason}.
     */
    public synchronized void failNextRollback(String cluster, String service, String reason) {
        existingService(cluster, service).rollbackFault = Objects.requireNonNull(reason, "reason");
    }

    private EcsService existingService(String cluster, String service) {
        EcsCluster found = clusters.get(cluster);
        EcsService target = found == null ? null : found.services.get(service);
        if (target == null) {
            throw new IllegalArgumentException("No service '" + service + "' in cluster '" + cluster + "'");
        }
        return target;
    }

    /**
     * Invokes the lifecycle hooks that are due, outside the state lock: a hook may probe the
     * service's listeners or call ECS, which take the lock. One thread invokes at a time; a call
     * made while another thread is invoking is left to it.
     */
    private void runDueHooks() {
        while (hookRunner.tryLock()) {
            try {
                while (true) {
                    List<HookCall> due;
                    synchronized (this) {
                        due = new ArrayList<>(simulation.hookCalls);
                        simulation.hookCalls.clear();
                    }
                    if (due.isEmpty()) {
                        break;
                    }
                    for (HookCall call : due) {
                        invoke(call);
                    }
                    publishDueEvents();
                }
            } finally {
                hookRunner.unlock();
            }
            synchronized (this) {
                if (simulation.hookCalls.isEmpty()) {
                    return;
                }
            }
        }
    }

    private void invoke(HookCall call) {
        JsonNode answer = null;
        String failure = null;
        LocalLambda functions = lambda;
        JsonNode payload;
        synchronized (this) {
            if (!call.current()) {
                return; // the deployment moved on (rolled back, superseded) since the call fell due
            }
            payload = TrafficShifting.payload(call);
        }
        if (functions == null) {
            failure = "no Lambda function can be invoked in this local cloud";
        } else {
            try {
                answer = functions.invoke("ecs.amazonaws.com", call.hook().roleArn(), call.hook().hookTargetArn(),
                        payload);
            } catch (LocalLambda.InvocationException e) {
                failure = e.errorCode() + ": " + e.getMessage();
            }
        }
        synchronized (this) {
            rollouts.shifting.answered(call, answer, failure);
            settle();
        }
    }

    /** Closes every service's loopback port. */
    @Override
    public synchronized void close() {
        clusters.values().forEach(cluster -> cluster.services.values().forEach(EcsService::closeListeners));
    }

    private Instant settle() {
        Instant now = simulation.clock.instant();
        simulation.schedule.runUntil(now);
        // Stopped tasks stay visible for a while ("at least one hour" in the DescribeTasks
        // reference), then go; this keeps a long crash loop from growing without bound.
        Instant forgotten = now.minus(STOPPED_TASKS_KEPT);
        clusters.values().forEach(cluster -> cluster.tasks.values()
                .removeIf(task -> task.stopped() && task.stoppedAt.isBefore(forgotten)));
        return now;
    }

    private void publishDueEvents() {
        synchronized (publishing) {
            List<ObjectNode> due;
            synchronized (this) {
                due = new ArrayList<>(simulation.outbox);
                simulation.outbox.clear();
            }
            due.forEach(publisher::publish);
        }
    }

    // ---- clusters

    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html
    private ObjectNode createCluster(JsonNode request) {
        String name = request.path("clusterName").asText(DEFAULT_CLUSTER);
        EcsCluster cluster = clusters.computeIfAbsent(name, this::newCluster);
        ObjectNode response = Simulation.JSON.createObjectNode();
        response.set("cluster", EcsJson.cluster(cluster));
        return response;
    }

    private EcsCluster newCluster(String name) {
        return new EcsCluster(name, simulation.arn("cluster/" + name));
    }

    // DescribeClusters reports unknown clusters in failures[] with reason MISSING.
    private ObjectNode describeClusters(JsonNode request) {
        ObjectNode response = Simulation.JSON.createObjectNode();
        ArrayNode found = response.putArray("clusters");
        ArrayNode failures = response.putArray("failures");
        List<String> names = new ArrayList<>();
        request.path("clusters").forEach(c -> names.add(c.asText()));
        if (names.isEmpty()) {
            names.add(DEFAULT_CLUSTER);
        }
        for (String reference : names) {
            EcsCluster cluster = clusters.get(lastSegment(reference));
            if (cluster == null) {
                failures.addObject().put("arn", reference.startsWith("arn:") ? reference
                        : simulation.arn("cluster/" + reference)).put("reason", "MISSING");
            } else {
                found.add(EcsJson.cluster(cluster));
            }
        }
        return response;
    }

    /** ListClusters (API_ListClusters): clusterArns, maxResults 1–100 (100 when absent), nextToken. */
    private ObjectNode listClusters(JsonNode request) {
        Paging.Page<EcsCluster> page = LIST_CLUSTERS.page(clusters.values().stream()
                .sorted(Comparator.comparing(c -> c.arn)).toList(), request.path("nextToken").asText(null),
                pageSize(request, 100));
        ObjectNode response = Simulation.JSON.createObjectNode();
        ArrayNode arns = response.putArray("clusterArns");
        page.items().forEach(c -> arns.add(c.arn));
        page.nextToken().ifPresent(token -> response.put("nextToken", token));
        return response;
    }

    /**
     * ListServices (API_ListServices): the cluster's services that are not deleted, serviceArns,
     * maxResults 1–100 ("If this parameter isn't used, then ListServices returns up to 10 results"),
     * nextToken, and the launchType filter.
     */
    private ObjectNode listServices(JsonNode request) {
        EcsCluster cluster = cluster(request);
        String launchType = request.path("launchType").asText(null);
        List<EcsService> services = cluster.services.values().stream()
                .filter(service -> !service.status.equals("INACTIVE"))
                .filter(service -> launchType == null || launchType.equals(service.launchType))
                .sorted(Comparator.comparing(service -> service.arn)).toList();
        Paging.Page<EcsService> page = LIST_SERVICES.page(services, request.path("nextToken").asText(null),
                pageSize(request, 10));
        ObjectNode response = Simulation.JSON.createObjectNode();
        ArrayNode arns = response.putArray("serviceArns");
        page.items().forEach(service -> arns.add(service.arn));
        page.nextToken().ifPresent(token -> response.put("nextToken", token));
        return response;
    }

    private static int pageSize(JsonNode request, int fallback) {
        return Paging.size(Paging.requestedSize(request, "maxResults"), fallback, 1, 100,
                message -> AwsErrorException.clientError("InvalidParameterException", message));
    }


    private EcsCluster cluster(JsonNode request) {
        String reference = request.path("cluster").asText(DEFAULT_CLUSTER);
        EcsCluster cluster = clusters.get(lastSegment(reference));
        if (cluster == null) {
            throw AwsErrorException.clientError("ClusterNotFoundException", "Cluster not found.");
        }
        return cluster;
    }

    // ---- task definitions

    private static ObjectNode taskDefinitionResponse(TaskDefinition definition, boolean withTags) {
        ObjectNode response = Simulation.JSON.createObjectNode();
        response.set("taskDefinition", definition.json.deepCopy());
        if (withTags) {
            response.set("tags", definition.tags.deepCopy());
        }
        return response;
    }

    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTaskDefinitions.html
    private ObjectNode listTaskDefinitions(JsonNode request) {
        ObjectNode response = Simulation.JSON.createObjectNode();
        ArrayNode arns = response.putArray("taskDefinitionArns");
        Paging.Page<String> page = LIST_TASK_DEFINITIONS.page(taskDefinitions.list(request.path("familyPrefix").asText(null),
                request.path("status").asText("ACTIVE"), request.path("sort").asText("ASC").equals("DESC")), request);
        page.items().forEach(arns::add);
        page.nextToken().ifPresent(token -> response.put("nextToken", token));
        return response;
    }

    // Each list operation: "If this parameter isn't used, then <Operation> returns up to 100 results"
    // (ListServiceDeployments: 20) "and a nextToken value if applicable" (API_ListTasks,
    // API_ListTaskDefinitions, API_ListServiceDeployments, maxResults).
    private static final Paging LIST_TASK_DEFINITIONS =
            new Paging("ListTaskDefinitions", "nextToken", "maxResults", 100, "InvalidParameterException");
    private static final Paging LIST_CLUSTERS =
            new Paging("ListClusters", "nextToken", "maxResults", 100, "InvalidParameterException");
    private static final Paging LIST_SERVICES =
            new Paging("ListServices", "nextToken", "maxResults", 10, "InvalidParameterException");
    private static final Paging LIST_TASKS = new Paging("ListTasks", "nextToken", "maxResults", 100, "InvalidParameterException");
    private static final Paging LIST_SERVICE_DEPLOYMENTS =
            new Paging("ListServiceDeployments", "nextToken", "maxResults", 20, "InvalidParameterException");

    // ---- services

    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html
    private ObjectNode createService(JsonNode request, Instant now) {
        EcsCluster cluster = cluster(request);
        String name = request.path("serviceName").asText("");
        if (name.isEmpty()) {
            throw invalidParameter("serviceName must be specified.");
        }
        EcsService existing = cluster.services.get(name);
        if (existing != null && !existing.status.equals("INACTIVE")) {
            throw invalidParameter("Creation of service was not idempotent.");
        }
        TaskDefinition definition = taskDefinitions.runnable(request.path("taskDefinition").asText(null), now,
                consistencyDelay);
        JsonNode network = request.get("networkConfiguration");
        requireNetworkConfiguration(definition, network);
        JsonNode breaker = request.path("deploymentConfiguration").path("deploymentCircuitBreaker");
        int desiredCount = request.path("desiredCount").asInt(1);
        if (desiredCount < 0) {
            throw invalidParameter("desiredCount must be 0 or more.");
        }
        String controller = request.path("deploymentController").path("type").asText("ECS");
        if (!List.of("ECS", "CODE_DEPLOY", "EXTERNAL").contains(controller)) {
            throw invalidParameter("deploymentController.type must be ECS, CODE_DEPLOY or EXTERNAL.");
        }
        JsonNode loadBalancers = request.path("loadBalancers").isArray() ? request.get("loadBalancers") : null;
        DeploymentStrategy strategy = DeploymentStrategy.parse(request.path("deploymentConfiguration"), loadBalancers,
                DeploymentStrategy.rolling());
        if (strategy.shiftsTraffic() && !controller.equals("ECS")) {
            throw invalidParameter("The " + strategy.strategy() + " deployment strategy requires the ECS deployment "
                    + "controller.");
        }
        if (existing != null) {
            existing.closeListeners();
        }
        EcsService service = newService(cluster, name, definition, desiredCount, network,
                request.path("launchType").asText("FARGATE"), breaker.path("enable").asBoolean(false),
                breaker.path("rollback").asBoolean(false), now);
        service.deploymentController = controller;
        service.loadBalancers = loadBalancers == null ? null : loadBalancers.deepCopy();
        service.strategy = strategy;
        rollouts.start(service, definition, now);
        return serviceResponse(service);
    }

    private EcsService newService(EcsCluster cluster, String name, TaskDefinition definition, int desiredCount,
                                  JsonNode network, String launchType, boolean breaker, boolean rollback,
                                  Instant now) {
        EcsService service = new EcsService(cluster, name, simulation.arn("service/" + cluster.name + "/" + name),
                now, network == null ? null : network.deepCopy(), launchType);
        service.desiredCount = desiredCount;
        service.taskDefinition = definition;
        service.circuitBreakerEnabled = breaker;
        service.circuitBreakerRollback = rollback;
        service.loadBalancer = new ServiceLoadBalancer(name, () -> healthOf(service, PRODUCTION),
                simulation.timing.healthHangLimit());
        cluster.services.put(name, service);
        return service;
    }

    // DescribeServices reports unknown services in failures[] with reason MISSING.
    private ObjectNode describeServices(JsonNode request) {
        EcsCluster cluster = cluster(request);
        ObjectNode response = Simulation.JSON.createObjectNode();
        ArrayNode found = response.putArray("services");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode reference : request.path("services")) {
            EcsService service = cluster.services.get(lastSegment(reference.asText()));
            if (service == null) {
                failures.addObject().put("arn", reference.asText().startsWith("arn:") ? reference.asText()
                        : simulation.arn("service/" + cluster.name + "/" + reference.asText())).put("reason", "MISSING");
            } else {
                found.add(EcsJson.service(service));
            }
        }
        return response;
    }

    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html: a new
    // deployment starts when the task definition changes or forceNewDeployment is set.
    private ObjectNode updateService(JsonNode request, Instant now) {
        EcsService service = service(request);
        if (!service.status.equals("ACTIVE")) {
            throw AwsErrorException.clientError("ServiceNotActiveException", "Service was not ACTIVE.");
        }
        TaskDefinition definition = request.hasNonNull("taskDefinition")
                ? taskDefinitions.runnable(request.get("taskDefinition").asText(), now, consistencyDelay)
                : service.taskDefinition;
        // Everything is validated before anything changes: a refused update changes nothing.
        JsonNode loadBalancers = request.path("loadBalancers").isArray() ? request.get("loadBalancers")
                : service.loadBalancers;
        DeploymentStrategy strategy = DeploymentStrategy.parse(request.path("deploymentConfiguration"), loadBalancers,
                service.strategy);
        if (strategy.shiftsTraffic() && !service.deploymentController.equals("ECS")) {
            throw invalidParameter("The " + strategy.strategy() + " deployment strategy requires the ECS deployment "
                    + "controller.");
        }
        if (request.hasNonNull("desiredCount") && request.get("desiredCount").asInt() < 0) {
            throw invalidParameter("desiredCount must be 0 or more.");
        }
        service.loadBalancers = loadBalancers == null ? null : loadBalancers.deepCopy();
        service.strategy = strategy;
        JsonNode breaker = request.path("deploymentConfiguration").path("deploymentCircuitBreaker");
        if (breaker.isObject()) {
            service.circuitBreakerEnabled = breaker.path("enable").asBoolean(false);
            service.circuitBreakerRollback = breaker.path("rollback").asBoolean(false);
        }
        if (request.hasNonNull("desiredCount")) {
            int desiredCount = request.get("desiredCount").asInt();
            if (desiredCount < 0) {
                throw invalidParameter("desiredCount must be 0 or more.");
            }
            rollouts.scale(service, desiredCount, now);
        }
        if (definition != service.taskDefinition || request.path("forceNewDeployment").asBoolean(false)) {
            rollouts.start(service, definition, now);
        }
        return serviceResponse(service);
    }

    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html
    private ObjectNode deleteService(JsonNode request, Instant now) {
        EcsService service = service(request);
        if (!service.status.equals("ACTIVE")) {
            throw AwsErrorException.clientError("ServiceNotActiveException", "Service was not ACTIVE.");
        }
        if (service.desiredCount > 0 && !request.path("force").asBoolean(false)) {
            throw invalidParameter("The service cannot be stopped while it is scaled above 0.");
        }
        service.status = "DRAINING";
        service.desiredCount = 0;
        rollouts.drain(service, now);
        service.closeListeners();
        simulation.schedule.at(now.plus(simulation.timing.taskStart()), when -> service.status = "INACTIVE");
        return serviceResponse(service);
    }

    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServiceDeployments.html
    private ObjectNode listServiceDeployments(JsonNode request) {
        EcsService service = service(request);
        List<String> statuses = new ArrayList<>();
        request.path("status").forEach(s -> statuses.add(s.asText()));
        JsonNode createdAt = request.path("createdAt");
        ObjectNode response = Simulation.JSON.createObjectNode();
        ArrayNode briefs = response.putArray("serviceDeployments");
        Paging.Page<ServiceDeployment> page = LIST_SERVICE_DEPLOYMENTS.page(service.history.stream()
                .filter(d -> statuses.isEmpty() || statuses.contains(d.status))
                .filter(d -> !createdAt.has("after") || d.createdAt.toEpochMilli() >= createdAt.get("after").asDouble() * 1000)
                .filter(d -> !createdAt.has("before") || d.createdAt.toEpochMilli() <= createdAt.get("before").asDouble() * 1000)
                .toList(), request);
        page.items().forEach(d -> briefs.add(d.brief()));
        page.nextToken().ifPresent(token -> response.put("nextToken", token));
        return response;
    }

    // DescribeServiceDeployments reports unknown ARNs in failures[] with reason MISSING.
    private ObjectNode describeServiceDeployments(JsonNode request) {
        ObjectNode response = Simulation.JSON.createObjectNode();
        ArrayNode found = response.putArray("serviceDeployments");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode arn : request.path("serviceDeploymentArns")) {
            ServiceDeployment deployment = clusters.values().stream()
                    .flatMap(c -> c.services.values().stream())
                    .flatMap(s -> s.history.stream())
                    .filter(d -> d.arn.equals(arn.asText()))
                    .findFirst().orElse(null);
            if (deployment == null) {
                failures.addObject().put("arn", arn.asText()).put("reason", "MISSING");
            } else {
                found.add(deployment.full());
            }
        }
        return response;
    }

    private EcsService service(JsonNode request) {
        EcsCluster cluster = cluster(request);
        EcsService service = cluster.services.get(lastSegment(request.path("service").asText("")));
        if (service == null) {
            throw AwsErrorException.clientError("ServiceNotFoundException", "Service not found.");
        }
        return service;
    }

    private static ObjectNode serviceResponse(EcsService service) {
        ObjectNode response = Simulation.JSON.createObjectNode();
        response.set("service", EcsJson.service(service));
        return response;
    }

    private static final String PRODUCTION = "production";
    private static final String TEST = "test";

    private HealthAnswer healthOf(EcsService service, String listener) {
        HealthAnswer answer;
        synchronized (this) {
            Instant now = settle();
            // While a blue/green, linear or canary deployment splits traffic, each listener routes by its weights.
            Deployment serving = service.shift != null ? service.shift.route(listener) : service.serving();
            answer = health(service, serving, listener, now);
            service.answers.addLast(new ListenerAnswer(listener, now,
                    serving == null ? null : serving.serviceRevisionArn,
                    serving == null ? null : serving.taskDefinition.arn,
                    serving == null || serving.image == null ? null : serving.image.digest(),
                    answer instanceof HealthAnswer.Respond respond ? respond.status() : 0));
            while (service.answers.size() > EcsService.ANSWERS_KEPT) {
                service.answers.removeFirst();
            }
        }
        publishDueEvents();
        return answer;
    }

    private static HealthAnswer health(EcsService service, Deployment serving, String listener, Instant now) {
        if (serving == null || serving.runningCount == 0 || serving.image == null || !service.status.equals("ACTIVE")) {
            return new HealthAnswer.Respond(503, "{\"status\":\"no healthy targets\",\"service\":\""
                    + service.name + "\",\"listener\":\"" + listener + "\"}");
        }
        ImageBehaviour behaviour = serving.behaviour();
        if (behaviour instanceof ImageBehaviour.Hangs) {
            return new HealthAnswer.NoAnswer();
        }
        String status;
        if (behaviour instanceof ImageBehaviour.Unhealthy) {
            status = "unhealthy";
        } else if (behaviour instanceof ImageBehaviour.ProductionRegression && productionShare(service, serving) > 0) {
            status = "regressed under production traffic";
        } else if (behaviour instanceof ImageBehaviour.SlowStart slow
                && now.isBefore(serving.runningSince.plus(slow.warmUp()))) {
            status = "starting";
        } else {
            status = "healthy";
        }
        ObjectNode body = Simulation.JSON.createObjectNode()
                .put("status", status)
                .put("service", service.name)
                .put("taskDefinition", serving.taskDefinition.arn)
                .put("image", serving.image.uri())
                .put("imageDigest", serving.image.digest())
                .put("serviceRevisionArn", serving.serviceRevisionArn)
                .put("listener", listener);
        return new HealthAnswer.Respond(status.equals("healthy") ? 200 : 503, body.toString());
    }

    /** The percentage of the service's production traffic that {@code revision} gets now. */
    private static double productionShare(EcsService service, Deployment revision) {
        TrafficShift shift = service.shift;
        if (shift != null && revision == shift.green) {
            return shift.productionPercent;
        }
        if (shift != null && revision == shift.blue) {
            return 100.0 - shift.productionPercent;
        }
        return revision == service.serving() ? 100.0 : 0.0;
    }

    // ---- one-off tasks

    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html
    private ObjectNode runTask(JsonNode request, Instant now) {
        EcsCluster cluster = cluster(request);
        // "Ensuring idempotency", RunTask: the same token and parameters return the original result;
        // the same token with other parameters is a ConflictException; a token lives 24 hours and
        // is scoped to the cluster. The SDK generates a token when the caller gives none.
        String clientToken = request.path("clientToken").asText(null);
        ObjectNode parameters = ((ObjectNode) request).deepCopy();
        parameters.remove("clientToken");
        if (clientToken != null) {
            if (clientToken.isEmpty() || clientToken.length() > 64) {
                throw invalidParameter("clientToken must be 1 to 64 characters long.");
            }
            EcsCluster.ClientTokenUse earlier = cluster.runTaskClientTokens.get(clientToken);
            if (earlier != null && earlier.usedAt().plus(CLIENT_TOKEN_TTL).isAfter(now)) {
                if (!earlier.request().equals(parameters)) {
                    throw AwsErrorException.clientError("ConflictException", "The client token " + clientToken
                            + " was already used with different request parameters.");
                }
                return tasksResponse(earlier.tasks());
            }
        }
        TaskDefinition definition = taskDefinitions.runnable(request.path("taskDefinition").asText(null), now,
                consistencyDelay);
        requireNetworkConfiguration(definition, request.get("networkConfiguration"));
        int count = request.path("count").asInt(1);
        if (count < 1 || count > 10) {
            throw invalidParameter("count must be between 1 and 10.");
        }
        // API_RunTask, tags: the ECS Tag rules (at most 50, no aws: prefix), as RegisterTaskDefinition applies them.
        TaskDefinitionRegistry.validTags(request.path("tags"));
        ObjectNode overrides = overrides(definition, request.path("overrides"));
        String startedBy = request.path("startedBy").asText(null);
        String group = request.path("group").asText("family:" + definition.family);
        String launchType = request.path("launchType").asText("FARGATE");
        List<EcsTask> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EcsTask task = taskRuns.runOnce(cluster, definition, now, startedBy, group, launchType, overrides);
            // API_RunTask, tags: key-value pairs applied to the task.
            request.path("tags").forEach(tag -> task.tags.put(tag.path("key").asText(), tag.path("value").asText()));
            started.add(task);
        }
        if (clientToken != null) {
            cluster.runTaskClientTokens.values().removeIf(use -> !use.usedAt().plus(CLIENT_TOKEN_TTL).isAfter(now));
            cluster.runTaskClientTokens.put(clientToken, new EcsCluster.ClientTokenUse(parameters, started, now));
        }
        return tasksResponse(started);
    }

    private static ObjectNode overrides(TaskDefinition definition, JsonNode requested) {
        ObjectNode overrides = requested.isObject() ? ((ObjectNode) requested).deepCopy()
                : Simulation.JSON.createObjectNode();
        ArrayNode containerOverrides = overrides.withArray("containerOverrides");
        for (JsonNode override : containerOverrides) {
            String name = override.path("name").asText("");
            if (definition.containers.stream().noneMatch(c -> c.name().equals(name))) {
                throw invalidParameter("Override for container named " + name
                        + " is not a container in the TaskDefinition.");
            }
        }
        if (containerOverrides.isEmpty()) {
            definition.containers.forEach(c -> containerOverrides.addObject().put("name", c.name()));
        }
        overrides.withArray("inferenceAcceleratorOverrides");
        return overrides;
    }

    // DescribeTasks reports unknown tasks in failures[] with reason MISSING.
    private ObjectNode describeTasks(JsonNode request) {
        EcsCluster cluster = cluster(request);
        ObjectNode response = Simulation.JSON.createObjectNode();
        ArrayNode found = response.putArray("tasks");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode reference : request.path("tasks")) {
            EcsTask task = cluster.tasks.get(lastSegment(reference.asText()));
            if (task == null) {
                failures.addObject().put("arn", reference.asText().startsWith("arn:") ? reference.asText()
                        : simulation.arn("task/" + cluster.name + "/" + reference.asText())).put("reason", "MISSING");
            } else {
                found.add(EcsJson.task(task, TimeFormat.EPOCH_SECONDS));
            }
        }
        return response;
    }

    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html
    private ObjectNode stopTask(JsonNode request, Instant now) {
        EcsCluster cluster = cluster(request);
        EcsTask task = cluster.tasks.get(lastSegment(request.path("task").asText("")));
        if (task == null) {
            throw invalidParameter("The referenced task was not found.");
        }
        taskRuns.stopByUser(task, request.path("reason").asText(null), now);
        // API_StopTask: "Any tags associated with the task will be deleted."
        task.tags.clear();
        ObjectNode response = Simulation.JSON.createObjectNode();
        response.set("task", EcsJson.task(task, TimeFormat.EPOCH_SECONDS));
        return response;
    }

    /** ListTasks' filters other than {@code startedBy}; {@code cluster} is the scope, not a filter. */
    private static final List<String> LIST_TASKS_FILTERS =
            List.of("containerInstance", "family", "serviceName", "desiredStatus", "launchType");

    private ObjectNode listTasks(JsonNode request) {
        EcsCluster cluster = cluster(request);
        String startedBy = request.path("startedBy").asText(null);
        // API_ListTasks, startedBy: "When you specify startedBy as the filter, it must be the only
        // filter that you use." ECS refuses the combination rather than ignoring a filter.
        if (startedBy != null && LIST_TASKS_FILTERS.stream().anyMatch(request::hasNonNull)) {
            throw invalidParameter("startedBy cannot be combined with other filters ("
                    + String.join(", ", LIST_TASKS_FILTERS.stream().filter(request::hasNonNull).toList()) + ").");
        }
        String family = request.path("family").asText(null);
        String serviceName = request.path("serviceName").asText(null);
        String desiredStatus = request.path("desiredStatus").asText("RUNNING");
        ObjectNode response = Simulation.JSON.createObjectNode();
        ArrayNode arns = response.putArray("taskArns");
        Paging.Page<String> page = LIST_TASKS.page(cluster.tasks.values().stream()
                .filter(t -> startedBy == null || startedBy.equals(t.startedBy))
                .filter(t -> family == null || family.equals(t.taskDefinition.family))
                .filter(t -> serviceName == null || t.group.equals("service:" + serviceName))
                .filter(t -> desiredStatus.equals(t.desiredStatus))
                .map(t -> t.arn).toList(), request);
        page.items().forEach(arns::add);
        page.nextToken().ifPresent(token -> response.put("nextToken", token));
        return response;
    }

    private static ObjectNode tasksResponse(List<EcsTask> tasks) {
        ObjectNode response = Simulation.JSON.createObjectNode();
        ArrayNode list = response.putArray("tasks");
        tasks.forEach(t -> list.add(EcsJson.task(t, TimeFormat.EPOCH_SECONDS)));
        response.putArray("failures");
        return response;
    }

    private static void requireNetworkConfiguration(TaskDefinition definition, JsonNode network) {
        if (definition.usesAwsvpc() && (network == null || !network.has("awsvpcConfiguration"))) {
            throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        }
    }

    private static AwsErrorException invalidParameter(String message) {
        return AwsErrorException.clientError("InvalidParameterException", message);
    }

    /** A name, or the last path segment of an ARN ({@code …:service/cluster/name} → {@code name}). */
    private static String lastSegment(String reference) {
        if (reference == null || !reference.startsWith("arn:")) {
            return reference;
        }
        return reference.substring(reference.lastIndexOf('/') + 1);
    }
}
