package dev.deckhand.aws;

import static dev.deckhand.aws.DynamoDbItems.attributes;
import static dev.deckhand.aws.DynamoDbItems.n;
import static dev.deckhand.aws.DynamoDbItems.number;
import static dev.deckhand.aws.DynamoDbItems.on;
import static dev.deckhand.aws.DynamoDbItems.s;
import static dev.deckhand.aws.DynamoDbItems.text;
import static dev.deckhand.aws.DynamoDbItems.unlessConditionFails;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.deckhand.coordinate.DeploymentLocks;
import dev.deckhand.coordinate.LockDecision;
import dev.deckhand.coordinate.LockRequest;
import dev.deckhand.coordinate.LockState;
import dev.deckhand.coordinate.Locks;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Locks in one DynamoDB table keyed by {@code pk}: {@code LOCK#<service>#<env>#<cluster>/<ECS service>} holds the holder,
 * its lease and the newest request; {@code EXECUTION#<arn>} remembers which lock an execution
 * took, so the cleanup of a dead execution finds it. The lock item also holds the task token of its
 * one waiter (the newest request), which the release wakes. Every change is a conditional write, so two
 * executions never both hold a lock.
 */
public final class DynamoDbDeploymentLocks implements DeploymentLocks {

    public static final String PARTITION_KEY = "pk";
    /** When an execution's hold lapses, in epoch seconds: the table's TTL attribute. */
    public static final String EXPIRES_AT = "expiresAt";

    private final AwsJsonClient dynamo;
    private final String table;

    /** @param dynamo DynamoDB ({@link AwsClients#dynamoDb()}) */
    public DynamoDbDeploymentLocks(AwsJsonClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public LockDecision acquire(String target, LockRequest request, Instant now, Duration lease) {
        registerAsNewest(target, request);
        JsonNode item = read("read lock " + target, lock(target));
        LockDecision decision = Locks.decide(state(item), request, now);
        if (decision != LockDecision.HOLD || request.executionArn().equals(text(item, "holder"))) {
            return decision;
        }
        boolean taken = AwsCalls.call("take lock " + target, () -> unlessConditionFails(() -> dynamo.call("UpdateItem",
                on(table).with("Key", key(lock(target)))
                        .with("UpdateExpression", "SET holder = :me, holderDeployment = :deployment, leaseExpiresAt = :lease")
                        .with("ConditionExpression",
                                "(attribute_not_exists(holder) OR leaseExpiresAt <= :now) AND newestExecution = :me")
                        .with("ExpressionAttributeValues", attributes(Map.of(":me", s(request.executionArn()),
                                ":deployment", s(request.deploymentId()),
                                ":lease", n(now.plus(lease).getEpochSecond()),
                                ":now", n(now.getEpochSecond()))))
                        .json())).isPresent());
        if (!taken) {
            return LockDecision.WAIT;
        }
        AwsCalls.call("remember lock of " + request.executionArn(), () -> dynamo.call("PutItem", on(table)
                .with("Item", attributes(Map.of(PARTITION_KEY, s(execution(request.executionArn())), "target", s(target),
                        EXPIRES_AT, n(now.plus(lease).getEpochSecond()))))
                .json()));
        return LockDecision.HOLD;
    }

    @Override
    public Optional<String> release(String target, String executionArn) {
        // ReturnValues ALL_NEW (API_UpdateItem): the waiter stored before this release is in the answer;
        // one stored after it finds the lock free by itself.
        // A failed condition: not held by this execution (any more), nothing to release.
        Optional<JsonNode> after = AwsCalls.call("release lock " + target, () -> unlessConditionFails(() -> dynamo.call(
                "UpdateItem", on(table).with("Key", key(lock(target)))
                        .with("UpdateExpression", "REMOVE holder, holderDeployment, leaseExpiresAt, "
                                + "approvalToken, approvalDeployment, approvalExecution")
                        .with("ConditionExpression", "holder = :me")
                        .with("ExpressionAttributeValues", attributes(Map.of(":me", s(executionArn))))
                        .with("ReturnValues", "ALL_NEW")
                        .json())));
        AwsCalls.call("forget lock of " + executionArn, () -> dynamo.call("DeleteItem", on(table)
                .with("Key", key(execution(executionArn))).json()));
        return after.map(answer -> text(answer.path("Attributes"), "waiterToken"));
    }

    @Override
    public WaiterSwap storeWaiter(String target, String executionArn, String token) {
        // A failed condition: a newer request is registered.
        return AwsCalls.call("wait for lock " + target, () -> unlessConditionFails(() -> dynamo.call("UpdateItem",
                on(table).with("Key", key(lock(target)))
                        .with("UpdateExpression", "SET waiterToken = :token, waiterExecution = :me")
                        .with("ConditionExpression", "newestExecution = :me")
                        .with("ExpressionAttributeValues", attributes(Map.of(":me", s(executionArn), ":token", s(token))))
                        .with("ReturnValues", "ALL_OLD")
                        .json()))
                .map(answer -> answer.path("Attributes"))
                .map(before -> new WaiterSwap(true, Optional.ofNullable(text(before, "waiterToken")),
                        Optional.ofNullable(text(before, "approvalToken"))))
                .orElseGet(() -> new WaiterSwap(false, Optional.empty())));
    }

    @Override
    public boolean storeApproval(String target, String executionArn, String deploymentId, String token) {
        // ReturnValues ALL_NEW (API_UpdateItem): the newest request as it stands once the token is
        // stored; one registered later finds the token in its own storeWaiter.
        JsonNode after = AwsCalls.call("wait for approval " + target, () -> unlessConditionFails(() -> dynamo.call(
                "UpdateItem", on(table).with("Key", key(lock(target)))
                        .with("UpdateExpression", "SET approvalToken = :token, approvalDeployment = :deployment, "
                                + "approvalExecution = :me")
                        .with("ConditionExpression", "holder = :me")
                        .with("ExpressionAttributeValues", attributes(Map.of(":me", s(executionArn), ":token", s(token),
                                ":deployment", s(deploymentId))))
                        .with("ReturnValues", "ALL_NEW")
                        .json())))
                .orElseThrow(() -> new IllegalStateException(executionArn + " does not hold the lock of " + target
                        + "; it cannot wait for approval"))
                .path("Attributes");
        return !executionArn.equals(text(after, "newestExecution"));
    }

    @Override
    public Optional<PendingApproval> pendingApproval(String target) {
        JsonNode item = read("read approval of " + target, lock(target));
        String token = text(item, "approvalToken");
        return token == null ? Optional.empty()
                : Optional.of(new PendingApproval(text(item, "approvalDeployment"), text(item, "approvalExecution"), token));
    }

    @Override
    public void forgetWaiter(String target, String token) {
        // A failed condition: another waiter took its place.
        AwsCalls.call("forget waiter of " + target, () -> unlessConditionFails(() -> dynamo.call("UpdateItem",
                on(table).with("Key", key(lock(target)))
                        .with("UpdateExpression", "REMOVE waiterToken, waiterExecution")
                        .with("ConditionExpression", "waiterToken = :token")
                        .with("ExpressionAttributeValues", attributes(Map.of(":token", s(token))))
                        .json())));
    }

    @Override
    public Optional<String> targetHeldBy(String executionArn) {
        return Optional.ofNullable(text(read("find lock of " + executionArn, execution(executionArn)), "target"));
    }

    /**
     * The newest request wins: a request only replaces an older one, in {@link LockRequest}'s order
     * (request time in epoch milliseconds, a number so that DynamoDB compares it as one, then
     * deployment id, then ARN). The newest is never lowered, even after its deployment finished:
     * it is the mark an older, late request is superseded by.
     */
    private void registerAsNewest(String target, LockRequest request) {
        // A failed condition: a newer request is registered; Locks.decide will say SUPERSEDED.
        AwsCalls.call("request lock " + target, () -> unlessConditionFails(() -> dynamo.call("UpdateItem",
                on(table).with("Key", key(lock(target)))
                        .with("UpdateExpression",
                                "SET newestExecution = :me, newestDeployment = :deployment, newestRequestedAt = :at")
                        .with("ConditionExpression", "attribute_not_exists(newestRequestedAt) OR newestRequestedAt < :at "
                                + "OR (newestRequestedAt = :at AND (newestDeployment < :deployment "
                                + "OR (newestDeployment = :deployment AND newestExecution <= :me)))")
                        .with("ExpressionAttributeValues", attributes(Map.of(":me", s(request.executionArn()),
                                ":deployment", s(request.deploymentId()),
                                ":at", n(request.requestedAt().toEpochMilli()))))
                        .json())));
    }

    /** The item, or an empty node when there is none (API_GetItem: then the answer has no Item). */
    private JsonNode read(String description, String pk) {
        return AwsCalls.call(description, () -> dynamo.call("GetItem", on(table).with("Key", key(pk))
                .with("ConsistentRead", true).json())).path("Item");
    }

    private static LockState state(JsonNode item) {
        LockRequest newest = item.has("newestExecution")
                ? new LockRequest(text(item, "newestExecution"), text(item, "newestDeployment"),
                        Instant.ofEpochMilli(number(item, "newestRequestedAt")))
                : null;
        Instant lease = item.has("leaseExpiresAt") ? Instant.ofEpochSecond(number(item, "leaseExpiresAt")) : null;
        return new LockState(text(item, "holder"), lease, newest);
    }

    private static String lock(String target) {
        return "LOCK#" + target;
    }

    private static String execution(String executionArn) {
        return "EXECUTION#" + executionArn;
    }

    private static ObjectNode key(String pk) {
        return attributes(Map.of(PARTITION_KEY, s(pk)));
    }
}
