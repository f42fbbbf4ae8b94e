package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

/** A service: its deployments (newest first), its events (newest first) and its load balancer. */
final class EcsService {

    /** ECS keeps the most recent service events; DescribeServices shows up to 100. */
    private static final int EVENTS_KEPT = 100;

    record Event(String id, Instant createdAt, String message) {
    }

    final EcsCluster cluster;
    final String name;
    final String arn;
    final Instant createdAt;
    final JsonNode networkConfiguration;
    final String launchType;
    final List<Deployment> deployments = new ArrayList<>();
    /** Service deployments, newest first (ListServiceDeployments). */
    final List<ServiceDeployment> history = new ArrayList<>();
    final Deque<Event> events = new ArrayDeque<>();
    String status = "ACTIVE";
    int desiredCount;
    TaskDefinition taskDefinition;
    boolean circuitBreakerEnabled;
    boolean circuitBreakerRollback;
    Deployment lastCompleted;
    ServiceLoadBalancer loadBalancer;
    /** CreateService's deploymentController.type: ECS (rolling update), CODE_DEPLOY or EXTERNAL. */
    String deploymentController = "ECS";
    /** deploymentConfiguration's strategy, bake times, hooks and alarms. */
    DeploymentStrategy strategy = DeploymentStrategy.rolling();
    /** The blue/green, linear or canary deployment splitting traffic now; null when one revision serves. */
    TrafficShift shift;
    /** The test listener, opened when first asked for. */
    ServiceLoadBalancer testListener;
    /** What the listeners answered, oldest first (the most recent {@value #ANSWERS_KEPT}). */
    final Deque<ListenerAnswer> answers = new ArrayDeque<>();
    static final int ANSWERS_KEPT = 10_000;
    /** What its lifecycle hooks answered, oldest first (the most recent {@value #HOOK_ANSWERS_KEPT}). */
    final Deque<HookAnswerRecord> hookAnswers = new ArrayDeque<>();
    static final int HOOK_ANSWERS_KEPT = 1_000;
    /** Set by a test: the next rollback cannot restore the old revision, with this reason. */
    String rollbackFault;
    /** CreateService's loadBalancers[], as given (a Classic Load Balancer is named by loadBalancerName). */
    JsonNode loadBalancers;

    EcsService(EcsCluster cluster, String name, String arn, Instant createdAt, JsonNode networkConfiguration,
               String launchType) {
        this.cluster = cluster;
        this.name = name;
        this.arn = arn;
        this.createdAt = createdAt;
        this.networkConfiguration = networkConfiguration;
        this.launchType = launchType;
    }

    void closeListeners() {
        if (loadBalancer != null) {
            loadBalancer.close();
        }
        if (testListener != null) {
            testListener.close();
        }
    }

    Deployment primary() {
        return deployments.isEmpty() ? null : deployments.get(0);
    }

    /** The revision behind the load balancer: PRIMARY once COMPLETED, else the newest one that completed. */
    Deployment serving() {
        return deployments.stream().filter(Deployment::completed).findFirst().orElse(null);
    }

    /**
     * API_Deployment, rolloutState: "only returned for services that use the rolling update (ECS)
     * deployment type that aren't behind a Classic Load Balancer".
     */
    boolean reportsRolloutState() {
        if (!deploymentController.equals("ECS")) {
            return false;
        }
        if (loadBalancers != null) {
            for (JsonNode balancer : loadBalancers) {
                if (balancer.hasNonNull("loadBalancerName")) {
                    return false;
                }
            }
        }
        return true;
    }

    void record(Instant at, String message) {
        events.addFirst(new Event(UUID.randomUUID().toString(), at, "(service " + name + ") " + message));
        while (events.size() > EVENTS_KEPT) {
            events.removeLast();
        }
    }
}
