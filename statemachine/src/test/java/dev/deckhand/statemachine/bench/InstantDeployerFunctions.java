package dev.deckhand.statemachine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.Json;
import dev.deckhand.statemachine.LambdaFunctions;
import dev.deckhand.statemachine.TaskResources;

/**
 * The deployer's functions, answering at once what {@code deployer.asl.json} reads of their results
 * on the success path ({@code $target.outcome/deploymentId/image.uri/migration/healthCheck},
 * {@code $claim.decision}, the lock, {@code status} of the migration and rollout checks), so the
 * engine benchmark measures the engine. Every execution migrates, rolls out, verifies health and
 * succeeds, without polling (the first check reports done). The instant wait-router wakes nobody:
 * each waiting state ends by its heartbeat, which on the simulated clock takes no time.
 */
final class InstantDeployerFunctions {

    TaskResources registerInto(TaskResources resources) {
        LambdaFunctions functions = new LambdaFunctions()
                .register("ResolveEnvironment", InstantDeployerFunctions::resolve)
                .register("Coordinate", event -> switch (event.path("action").asText()) {
                    case "claimAndLock" -> EngineBenchmark.object("decision", "PROCEED", "attempt", "1",
                            "requestedAt", "2026-11-20T09:14:02Z", "lock", "HOLD");
                    case "acquireLock" -> EngineBenchmark.object("lock", "HOLD");
                    default -> EngineBenchmark.object("released", "true");
                })
                .register("Deploy", event -> switch (event.path("action").asText()) {
                    case "prepare" -> EngineBenchmark.object("taskDefinition",
                            "arn:aws:ecs:us-east-1:000000000000:task-definition/storefront-dev:2");
                    case "update" -> EngineBenchmark.object("status", "IN_PROGRESS");
                    default -> rolloutCompleted();
                })
                .register("Migration", event -> event.path("action").asText().equals("start")
                        ? EngineBenchmark.object("taskArn", "arn:aws:ecs:us-east-1:000000000000:task/acme-dev/1",
                                "status", "RUNNING")
                        : migrationSucceeded())
                .register("WaitRouter", event -> EngineBenchmark.object("outcome", "WAITING"))
                .register("HealthCheck", event -> EngineBenchmark.object("healthy", "true"))
                .register("Record", event -> EngineBenchmark.object("recorded", "true"))
                .register("Notify", event -> EngineBenchmark.object("published", "true"))
                .register("Rollback", event -> {
                    throw new IllegalStateException("the instant deployer never rolls back");
                });
        return functions.registerInto(resources);
    }

    /** "Check the rollout"'s answer: it carries the rollout on, as the heartbeat path needs. */
    private static JsonNode rolloutCompleted() {
        ObjectNode answer = (ObjectNode) EngineBenchmark.object("status", "COMPLETED");
        answer.putObject("rollout").put("ecsDeploymentId", "ecs-svc/1").put("startedAt", "2026-11-20T09:14:03Z");
        return answer;
    }

    private static JsonNode migrationSucceeded() {
        ObjectNode answer = (ObjectNode) EngineBenchmark.object("status", "SUCCEEDED");
        answer.putObject("migration").put("taskArn", "arn:aws:ecs:us-east-1:000000000000:task/acme-dev/1");
        return answer;
    }

    private static JsonNode resolve(JsonNode request) {
        ObjectNode target = Json.MAPPER.createObjectNode();
        target.put("outcome", "DEPLOY");
        target.put("deploymentId", "storefront.dev." + request.path("n").asText());
        target.putObject("image").put("uri", "000000000000.dkr.ecr.us-east-1.amazonaws.com/acme/storefront@sha256:"
                + "0".repeat(64));
        target.putObject("migration").putArray("command").add("bin/migrate").add("up");
        target.putObject("healthCheck").put("url", "http://storefront.dev.acme.internal/health");
        return target;
    }
}
