package dev.deckhand.aws;

import static dev.deckhand.aws.DynamoDbDeploymentHistory.n;
import static dev.deckhand.aws.DynamoDbDeploymentHistory.s;

import dev.deckhand.coordinate.DeploymentLocks;
import dev.deckhand.coordinate.LockDecision;
import dev.deckhand.coordinate.LockRequest;
import dev.deckhand.coordinate.LockState;
import dev.deckhand.coordinate.Locks;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

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

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbDeploymentLocks(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public LockDecision acquire(String target, LockRequest request, Instant now, Duration lease) {
        registerAsNewest(target, request);
        Map<String, AttributeValue> item = AwsCalls.call("read lock " + target, () -> dynamo.getItem(get -> get
                .tableName(table).key(key(lock(target))).consistentRead(true))).item();
        LockDecision decision = Locks.decide(state(item), request, now);
        if (decision != LockDecision.HOLD || request.executionArn().equals(text(item, "holder"))) {
            return decision;
        }
        boolean taken = AwsCalls.call("take lock " + target, () -> {
            try {
                dynamo.updateItem(update -> update.tableName(table).key(key(lock(target)))
                        .updateExpression("SET holder = :me, holderDeployment = :deployment, leaseExpiresAt = :lease")
                        .conditionExpression("(attribute_not_exists(holder) OR leaseExpiresAt <= :now) AND newestExecution = :me")
                        .expressionAttributeValues(Map.of(":me", s(request.executionArn()),
                                ":deployment", s(request.deploymentId()),
                                ":lease", n(now.plus(lease).getEpochSecond()),
                                ":now", n(now.getEpochSecond()))));
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        });
        if (!taken) {
            return LockDecision.WAIT;
        }
        AwsCalls.call("remember lock of " + request.executionArn(), () -> dynamo.putItem(put -> put.tableName(table)
                .item(Map.of(PARTITION_KEY, s(execution(request.executionArn())), "target", s(target),
                        EXPIRES_AT, n(now.plus(lease).getEpochSecond())))));
        return LockDecision.HOLD;
    }

    @Override
    public Optional<String> release(String target, String executionArn) {
        // ReturnValues ALL_NEW (API_UpdateItem): the waiter stored before this release is in the answer;
        // one stored after it finds the lock free by itself.
        Map<String, AttributeValue> after = AwsCalls.call("release lock " + target, () -> {
            try {
                return dynamo.updateItem(update -> update.tableName(table).key(key(lock(target)))
                        .updateExpression("REMOVE holder, holderDeployment, leaseExpiresAt, "
                                + "approvalToken, approvalDeployment, approvalExecution")
                        .conditionExpression("holder = :me")
                        .expressionAttributeValues(Map.of(":me", s(executionArn)))
                        .returnValues(ReturnValue.ALL_NEW)).attributes();
            } catch (ConditionalCheckFailedException e) {
                return null; // not held by this execution (any more): nothing to release
            }
        });
        AwsCalls.call("forget lock of " + executionArn, () -> dynamo.deleteItem(delete -> delete.tableName(table)
                .key(key(execution(executionArn)))));
        return after == null ? Optional.empty() : Optional.ofNullable(text(after, "waiterToken"));
    }

    @Override
    public WaiterSwap storeWaiter(String target, String executionArn, String token) {
        return AwsCalls.call("wait for lock " + target, () -> {
            try {
                Map<String, AttributeValue> before = dynamo.updateItem(update -> update.tableName(table)
                        .key(key(lock(target)))
                        .updateExpression("SET waiterToken = :token, waiterExecution = :me")
                        .conditionExpression("newestExecution = :me")
                        .expressionAttributeValues(Map.of(":me", s(executionArn), ":token", s(token)))
                        .returnValues(ReturnValue.ALL_OLD)).attributes();
                return new WaiterSwap(true, Optional.ofNullable(text(before, "waiterToken")),
                        Optional.ofNullable(text(before, "approvalToken")));
            } catch (ConditionalCheckFailedException e) {
                return new WaiterSwap(false, Optional.empty()); // a newer request is registered
            }
        });
    }

    @Override
    public boolean storeApproval(String target, String executionArn, String deploymentId, String token) {
        // ReturnValues ALL_NEW (API_UpdateItem): the newest request as it stands once the token is
        // stored; one registered later finds the token in its own storeWaiter.
        Map<String, AttributeValue> after = AwsCalls.call("wait for approval " + target, () -> {
            try {
                return dynamo.updateItem(update -> update.tableName(table).key(key(lock(target)))
                        .updateExpression("SET approvalToken = :token, approvalDeployment = :deployment, "
                                + "approvalExecution = :me")
                        .conditionExpression("holder = :me")
                        .expressionAttributeValues(Map.of(":me", s(executionArn), ":token", s(token),
                                ":deployment", s(deploymentId)))
                        .returnValues(ReturnValue.ALL_NEW)).attributes();
            } catch (ConditionalCheckFailedException e) {
                return null;
            }
        });
        if (after == null) {
            throw new IllegalStateException(executionArn + " does not hold the lock of " + target
                    + "; it cannot wait for approval");
        }
        return !executionArn.equals(text(after, "newestExecution"));
    }

    @Override
    public Optional<PendingApproval> pendingApproval(String target) {
        Map<String, AttributeValue> item = AwsCalls.call("read approval of " + target, () -> dynamo.getItem(get -> get
                .tableName(table).key(key(lock(target))).consistentRead(true))).item();
        String token = text(item, "approvalToken");
        return token == null ? Optional.empty()
                : Optional.of(new PendingApproval(text(item, "approvalDeployment"), text(item, "approvalExecution"), token));
    }

    @Override
    public void forgetWaiter(String target, String token) {
        AwsCalls.call("forget waiter of " + target, () -> {
            try {
                return dynamo.updateItem(update -> update.tableName(table).key(key(lock(target)))
                        .updateExpression("REMOVE waiterToken, waiterExecution")
                        .conditionExpression("waiterToken = :token")
                        .expressionAttributeValues(Map.of(":token", s(token))));
            } catch (ConditionalCheckFailedException e) {
                return null; // another waiter took its place
            }
        });
    }

    @Override
    public Optional<String> targetHeldBy(String executionArn) {
        Map<String, AttributeValue> item = AwsCalls.call("find lock of " + executionArn, () -> dynamo.getItem(get -> get
                .tableName(table).key(key(execution(executionArn))).consistentRead(true))).item();
        return Optional.ofNullable(text(item, "target"));
    }

    /**
     * The newest request wins: a request only replaces an older one, in {@link LockRequest}'s order
     * (request time in epoch milliseconds, a number so that DynamoDB compares it as one, then
     * deployment id, then ARN). The newest is never lowered, even after its deployment finished:
     * it is the mark an older, late request is superseded by.
     */
    private void registerAsNewest(String target, LockRequest request) {
        AwsCalls.call("request lock " + target, () -> {
            try {
                return dynamo.updateItem(update -> update.tableName(table).key(key(lock(target)))
                        .updateExpression("SET newestExecution = :me, newestDeployment = :deployment, newestRequestedAt = :at")
                        .conditionExpression("attribute_not_exists(newestRequestedAt) OR newestRequestedAt < :at "
                                + "OR (newestRequestedAt = :at AND (newestDeployment < :deployment "
                                + "OR (newestDeployment = :deployment AND newestExecution <= :me)))")
                        .expressionAttributeValues(Map.of(":me", s(request.executionArn()),
                                ":deployment", s(request.deploymentId()),
                                ":at", n(request.requestedAt().toEpochMilli()))));
            } catch (ConditionalCheckFailedException e) {
                return null; // a newer request is registered; Locks.decide will say SUPERSEDED
            }
        });
    }

    private static LockState state(Map<String, AttributeValue> item) {
        LockRequest newest = item.containsKey("newestExecution")
                ? new LockRequest(item.get("newestExecution").s(), text(item, "newestDeployment"),
                        Instant.ofEpochMilli(Long.parseLong(item.get("newestRequestedAt").n())))
                : null;
        Instant lease = item.containsKey("leaseExpiresAt")
                ? Instant.ofEpochSecond(Long.parseLong(item.get("leaseExpiresAt").n())) : null;
        return new LockState(text(item, "holder"), lease, newest);
    }

    private static String lock(String target) {
        return "LOCK#" + target;
    }

    private static String execution(String executionArn) {
        return "EXECUTION#" + executionArn;
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of(PARTITION_KEY, s(pk));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).s() : null;
    }
}
