package dev.deckhand.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.ClaimRecord;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.errors.AwsRequestRejectedException;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.errors.TransientAwsException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The history in one DynamoDB table ({@code pk}, {@code sk}; index {@value #BY_TARGET} on
 * {@code targetKey}, {@code startedKey}):
 * <ul>
 *   <li>{@code DEPLOYMENT#<id>} / {@code LATEST}: the latest attempt, written only with conditions;</li>
 *   <li>{@code DEPLOYMENT#<id>} / {@code ATTEMPT#<nnnn>}: each attempt's record;</li>
 *   <li>{@code TARGET#<service>#<env>} / {@code VERIFIED}: the last verified revision;</li>
 *   <li>{@code EXECUTION#<arn>} / {@code CLAIM}: the attempt an execution claimed.</li>
 * </ul>
 */
public final class DynamoDbDeploymentHistory implements DeploymentHistory {

    /** The index that lists a target's attempts, newest first. */
    public static final String BY_TARGET = "byTarget";
    public static final String PARTITION_KEY = "pk";
    public static final String SORT_KEY = "sk";
    public static final String TARGET_KEY = "targetKey";
    public static final String STARTED_KEY = "startedKey";
    /** Cancellation reasons that pass (API_TransactWriteItems, "Cancellation reason codes"). */
    private static final List<String> TRANSIENT_CANCELLATIONS =
            List.of("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded");

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbDeploymentHistory(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<ClaimRecord> latestAttempt(String deploymentId) {
        Map<String, AttributeValue> item = get(deployment(deploymentId), "LATEST");
        if (item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ClaimRecord(Integer.parseInt(item.get("attempt").n()),
                Outcome.valueOf(item.get("outcome").s()), item.get("executionArn").s(),
                Instant.parse(item.get("startedAt").s())));
    }

    @Override
    public boolean claim(String deploymentId, Optional<ClaimRecord> expected, ClaimRecord next, AttemptRecord attempt) {
        Map<String, AttributeValue> latest = new HashMap<>(key(deployment(deploymentId), "LATEST"));
        latest.put("attempt", n(next.attempt()));
        latest.put("outcome", s(next.outcome().name()));
        latest.put("executionArn", s(next.executionArn()));
        latest.put("startedAt", s(next.startedAt().toString()));
        Put.Builder putLatest = Put.builder().tableName(table).item(latest);
        if (expected.isEmpty()) {
            putLatest.conditionExpression("attribute_not_exists(pk)");
        } else {
            putLatest.conditionExpression("attempt = :attempt AND executionArn = :execution AND outcome = :outcome")
                    .expressionAttributeValues(Map.of(":attempt", n(expected.get().attempt()),
                            ":execution", s(expected.get().executionArn()),
                            ":outcome", s(expected.get().outcome().name())));
        }
        return AwsCalls.call("claim deployment " + deploymentId, () -> {
            try {
                dynamo.transactWriteItems(request -> request.transactItems(
                        TransactWriteItem.builder().put(putLatest.build()).build(),
                        TransactWriteItem.builder().put(put -> put.tableName(table).item(attemptItem(attempt))).build(),
                        TransactWriteItem.builder().put(put -> put.tableName(table)
                                .item(claimOfExecution(next.executionArn(), deploymentId, next.attempt()))).build()));
                return true;
            } catch (TransactionCanceledException e) {
                requireLostRace(deploymentId, e);
                return false;
            }
        });
    }

    /**
     * Why DynamoDB cancelled the claim, from its CancellationReasons (API_TransactWriteItems,
     * TransactionCanceledException: one reason per action, "None" for those that were fine).
     * ConditionalCheckFailed: another execution claimed first, the race is lost. TransactionConflict,
     * ThrottlingError, ProvisionedThroughputExceeded: passing, so retried. ValidationError or any other
     * reason: the request itself is wrong, which is a bug in Deckhand, never a lost race.
     */
    private static void requireLostRace(String deploymentId, TransactionCanceledException e) {
        List<String> reasons = e.hasCancellationReasons()
                ? e.cancellationReasons().stream().map(CancellationReason::code).filter(code -> code != null
                        && !code.equals("None")).toList()
                : List.of();
        if (reasons.contains("ConditionalCheckFailed")) {
            return;
        }
        if (!reasons.isEmpty() && TRANSIENT_CANCELLATIONS.containsAll(reasons)) {
            throw new TransientAwsException("claim of deployment " + deploymentId + " was cancelled by DynamoDB "
                    + reasons + "; it is retried", e);
        }
        if (reasons.isEmpty()) {
            throw new TransientAwsException("claim of deployment " + deploymentId
                    + " was cancelled by DynamoDB without a reason; it is retried", e);
        }
        throw new AwsRequestRejectedException("claim of deployment " + deploymentId + " was refused by DynamoDB "
                + reasons + " (" + e.awsErrorDetails().errorMessage() + "): the claim request is invalid, a bug in "
                + "Deckhand", e);
    }

    @Override
    public void finish(AttemptRecord attempt) {
        AwsCalls.call("record attempt " + attempt.deploymentId(), () -> dynamo.putItem(request -> request.tableName(table)
                .item(attemptItem(attempt))));
        AwsCalls.call("update latest attempt " + attempt.deploymentId(), () -> {
            try {
                return dynamo.updateItem(request -> request
                        .tableName(table)
                        .key(key(deployment(attempt.deploymentId()), "LATEST"))
                        .updateExpression("SET outcome = :outcome")
                        .conditionExpression("executionArn = :execution AND attempt = :attempt")
                        .expressionAttributeValues(Map.of(":outcome", s(attempt.outcome().name()),
                                ":execution", s(attempt.executionArn()), ":attempt", n(attempt.attempt()))));
            } catch (ConditionalCheckFailedException e) {
                // A newer attempt owns the pointer already; this attempt's own record is written.
                return null;
            }
        });
    }

    @Override
    public Optional<String> abortClaimOf(String executionArn, Instant at) {
        Map<String, AttributeValue> claim = get(execution(executionArn), "CLAIM");
        if (claim.isEmpty()) {
            return Optional.empty();
        }
        String deploymentId = claim.get("deploymentId").s();
        int attempt = Integer.parseInt(claim.get("attempt").n());
        boolean aborted = AwsCalls.call("abort attempt of " + executionArn, () -> {
            try {
                dynamo.updateItem(request -> request.tableName(table).key(key(deployment(deploymentId), "LATEST"))
                        .updateExpression("SET outcome = :aborted")
                        .conditionExpression("executionArn = :execution AND attempt = :attempt AND outcome = :running")
                        .expressionAttributeValues(Map.of(":aborted", s(Outcome.ABORTED.name()),
                                ":execution", s(executionArn), ":attempt", n(attempt),
                                ":running", s(Outcome.RUNNING.name()))));
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false; // it reported its outcome, or a newer attempt took over
            }
        });
        if (!aborted) {
            return Optional.empty();
        }
        attempt(deploymentId, attempt).ifPresent(record -> AwsCalls.call("record aborted attempt", () ->
                dynamo.putItem(request -> request.tableName(table).item(attemptItem(new AttemptRecord(
                        record.deploymentId(), record.attempt(), Outcome.ABORTED, record.service(),
                        record.environment(), record.image(), record.tag(), record.trigger(), record.requestedBy(),
                        record.executionArn(), record.startedAt(), at,
                        "the execution ended without reporting (stopped, failed or timed out)", record.details()))))));
        return Optional.of(deploymentId);
    }

    @Override
    public Optional<VerifiedRevision> lastVerified(String service, String environment) {
        Map<String, AttributeValue> item = get(target(service, environment), "VERIFIED");
        if (item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new VerifiedRevision(item.get("deploymentId").s(), item.get("taskDefinition").s(),
                item.get("image").s(), Instant.parse(item.get("verifiedAt").s()), text(item, "ecsService")));
    }

    @Override
    public void markVerified(String service, String environment, VerifiedRevision revision) {
        Map<String, AttributeValue> item = new HashMap<>(key(target(service, environment), "VERIFIED"));
        item.put("deploymentId", s(revision.deploymentId()));
        item.put("taskDefinition", s(revision.taskDefinition()));
        item.put("image", s(revision.image()));
        item.put("verifiedAt", s(revision.verifiedAt().toString()));
        if (revision.ecsService() != null) {
            item.put("ecsService", s(revision.ecsService()));
        }
        AwsCalls.call("record verified revision", () -> dynamo.putItem(request -> request.tableName(table).item(item)));
    }

    @Override
    public Optional<AttemptRecord> attempt(String deploymentId, int attempt) {
        Map<String, AttributeValue> item = get(deployment(deploymentId), attemptSort(attempt));
        return item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public List<AttemptRecord> recent(String service, String environment, int limit) {
        return AwsCalls.call("list deployments of " + service + "/" + environment, () -> dynamo.query(request -> request
                        .tableName(table).indexName(BY_TARGET)
                        .keyConditionExpression(TARGET_KEY + " = :target")
                        .expressionAttributeValues(Map.of(":target", s(target(service, environment))))
                        .scanIndexForward(false).limit(limit)))
                .items().stream().map(DynamoDbDeploymentHistory::fromItem).toList();
    }

    @Override
    public Page page(String service, String environment, int limit, String nextToken) {
        Map<String, AttributeValue> start = nextToken == null ? null : decodeToken(nextToken, service, environment);
        QueryResponse response = AwsCalls.call("list deployments of " + service + "/" + environment, () -> dynamo.query(
                request -> request.tableName(table).indexName(BY_TARGET)
                        .keyConditionExpression(TARGET_KEY + " = :target")
                        .expressionAttributeValues(Map.of(":target", s(target(service, environment))))
                        .scanIndexForward(false).limit(limit).exclusiveStartKey(start)));
        List<AttemptRecord> attempts = response.items().stream().map(DynamoDbDeploymentHistory::fromItem).toList();
        return new Page(attempts, response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? encodeToken(response.lastEvaluatedKey()) : null);
    }

    /** The page token is the index position, opaque to callers (base64 of its keys). */
    private static String encodeToken(Map<String, AttributeValue> key) {
        String joined = String.join("\n", key.get(PARTITION_KEY).s(), key.get(SORT_KEY).s(),
                key.get(TARGET_KEY).s(), key.get(STARTED_KEY).s());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> decodeToken(String token, String service, String environment) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("nextToken: not a token this API returned");
        }
        if (parts.length != 4 || !parts[2].equals(target(service, environment))) {
            throw new InvalidInputException("nextToken: not a token of this service environment's history");
        }
        return Map.of(PARTITION_KEY, s(parts[0]), SORT_KEY, s(parts[1]), TARGET_KEY, s(parts[2]), STARTED_KEY, s(parts[3]));
    }

    private Map<String, AttributeValue> get(String pk, String sk) {
        return AwsCalls.call("read " + pk, () -> dynamo.getItem(request -> request.tableName(table).key(key(pk, sk))
                .consistentRead(true))).item();
    }

    private static Map<String, AttributeValue> attemptItem(AttemptRecord attempt) {
        Map<String, AttributeValue> item = new HashMap<>(key(deployment(attempt.deploymentId()), attemptSort(attempt.attempt())));
        item.put(TARGET_KEY, s(target(attempt.service(), attempt.environment())));
        item.put(STARTED_KEY, s(attempt.startedAt() + "#" + attempt.deploymentId() + "#" + attempt.attempt()));
        item.put("deploymentId", s(attempt.deploymentId()));
        item.put("attempt", n(attempt.attempt()));
        item.put("outcome", s(attempt.outcome().name()));
        item.put("service", s(attempt.service()));
        item.put("environment", s(attempt.environment()));
        item.put("image", s(attempt.image()));
        putIfPresent(item, "tag", attempt.tag());
        putIfPresent(item, "trigger", attempt.trigger());
        putIfPresent(item, "requestedBy", attempt.requestedBy());
        item.put("executionArn", s(attempt.executionArn()));
        item.put("startedAt", s(attempt.startedAt().toString()));
        putIfPresent(item, "finishedAt", attempt.finishedAt() == null ? null : attempt.finishedAt().toString());
        putIfPresent(item, "reason", attempt.reason());
        putIfPresent(item, "details", attempt.details() == null ? null : attempt.details().toString());
        return item;
    }

    private static AttemptRecord fromItem(Map<String, AttributeValue> item) {
        return new AttemptRecord(item.get("deploymentId").s(), Integer.parseInt(item.get("attempt").n()),
                Outcome.valueOf(item.get("outcome").s()), item.get("service").s(), item.get("environment").s(),
                item.get("image").s(), text(item, "tag"), text(item, "trigger"), text(item, "requestedBy"),
                item.get("executionArn").s(), Instant.parse(item.get("startedAt").s()),
                item.containsKey("finishedAt") ? Instant.parse(item.get("finishedAt").s()) : null, text(item, "reason"),
                details(text(item, "details")));
    }

    private static JsonNode details(String json) {
        if (json == null) {
            return null;
        }
        try {
            return DeckhandJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable details in the deployment history", e);
        }
    }

    /** Which deployment an execution claimed, so the cleanup of a dead execution can find it. */
    private static Map<String, AttributeValue> claimOfExecution(String executionArn, String deploymentId, int attempt) {
        Map<String, AttributeValue> item = new HashMap<>(key(execution(executionArn), "CLAIM"));
        item.put("deploymentId", s(deploymentId));
        item.put("attempt", n(attempt));
        return item;
    }

    private static String execution(String executionArn) {
        return "EXECUTION#" + executionArn;
    }

    private static String deployment(String deploymentId) {
        return "DEPLOYMENT#" + deploymentId;
    }

    private static String target(String service, String environment) {
        return "TARGET#" + service + "#" + environment;
    }

    private static String attemptSort(int attempt) {
        return String.format("ATTEMPT#%04d", attempt);
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PARTITION_KEY, s(pk), SORT_KEY, s(sk));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).s() : null;
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
