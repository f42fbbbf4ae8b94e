package dev.deckhand.aws;

import static dev.deckhand.aws.DynamoDbItems.attributes;
import static dev.deckhand.aws.DynamoDbItems.n;
import static dev.deckhand.aws.DynamoDbItems.number;
import static dev.deckhand.aws.DynamoDbItems.on;
import static dev.deckhand.aws.DynamoDbItems.s;
import static dev.deckhand.aws.DynamoDbItems.text;
import static dev.deckhand.aws.DynamoDbItems.unlessConditionFails;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.ClaimRecord;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.errors.AwsRequestRejectedException;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.errors.TransientAwsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

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
    /** The error of a cancelled transaction (API_TransactWriteItems, Errors). */
    static final String TRANSACTION_CANCELED = "TransactionCanceledException";
    /** Cancellation reasons that pass (API_TransactWriteItems, "Cancellation reason codes"). */
    private static final List<String> TRANSIENT_CANCELLATIONS =
            List.of("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded");

    private final AwsJsonClient dynamo;
    private final String table;

    /** @param dynamo DynamoDB ({@link AwsClients#dynamoDb()}) */
    public DynamoDbDeploymentHistory(AwsJsonClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<ClaimRecord> latestAttempt(String deploymentId) {
        JsonNode item = get(deployment(deploymentId), "LATEST");
        if (item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ClaimRecord((int) number(item, "attempt"), Outcome.valueOf(text(item, "outcome")),
                text(item, "executionArn"), Instant.parse(text(item, "startedAt"))));
    }

    @Override
    public boolean claim(String deploymentId, Optional<ClaimRecord> expected, ClaimRecord next, AttemptRecord attempt) {
        ObjectNode latest = key(deployment(deploymentId), "LATEST");
        latest.set("attempt", n(next.attempt()));
        latest.set("outcome", s(next.outcome().name()));
        latest.set("executionArn", s(next.executionArn()));
        latest.set("startedAt", s(next.startedAt().toString()));
        DynamoDbItems.Request putLatest = on(table).with("Item", latest);
        if (expected.isEmpty()) {
            putLatest.with("ConditionExpression", "attribute_not_exists(pk)");
        } else {
            putLatest.with("ConditionExpression", "attempt = :attempt AND executionArn = :execution AND outcome = :outcome")
                    .with("ExpressionAttributeValues", attributes(Map.of(":attempt", n(expected.get().attempt()),
                            ":execution", s(expected.get().executionArn()),
                            ":outcome", s(expected.get().outcome().name()))));
        }
        ObjectNode request = DeckhandJson.MAPPER.createObjectNode();
        // API_TransactWriteItems: TransactItems, each {"Put": {TableName, Item, ConditionExpression …}}.
        request.putArray("TransactItems")
                .add(put(putLatest))
                .add(put(on(table).with("Item", attemptItem(attempt))))
                .add(put(on(table).with("Item", claimOfExecution(next.executionArn(), deploymentId, next.attempt()))));
        return AwsCalls.call("claim deployment " + deploymentId, () -> {
            try {
                dynamo.call("TransactWriteItems", request);
                return true;
            } catch (AwsServiceException e) {
                if (!AwsCalls.isError(e, TRANSACTION_CANCELED)) {
                    throw e;
                }
                requireLostRace(deploymentId, e);
                return false;
            }
        });
    }

    private static ObjectNode put(DynamoDbItems.Request put) {
        ObjectNode action = DeckhandJson.MAPPER.createObjectNode();
        action.set("Put", put.json());
        return action;
    }

    /**
     * Why DynamoDB cancelled the claim, from its CancellationReasons (API_TransactWriteItems,
     * TransactionCanceledException: one reason per action, "None" for those that were fine).
     * ConditionalCheckFailed: another execution claimed first, the race is lost. TransactionConflict,
     * ThrottlingError, ProvisionedThroughputExceeded: passing, so retried. ValidationError or any other
     * reason: the request itself is wrong, which is a bug in Deckhand, never a lost race.
     */
    private static void requireLostRace(String deploymentId, AwsServiceException e) {
        List<String> reasons = cancellationReasons(e).stream().filter(code -> !code.equals("None")).toList();
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

    /**
     * The codes of a TransactionCanceledException's CancellationReasons, in the order of the
     * transaction's actions: the error's body carries them (API_TransactWriteItems, Errors), and
     * {@link AwsJsonClient} keeps the whole body as the error's raw response.
     */
    static List<String> cancellationReasons(AwsServiceException e) {
        if (e.awsErrorDetails() == null || e.awsErrorDetails().rawResponse() == null) {
            return List.of();
        }
        JsonNode answer;
        try {
            answer = DeckhandJson.MAPPER.readTree(e.awsErrorDetails().rawResponse().asByteArray());
        } catch (IOException notJson) {
            return List.of();
        }
        List<String> codes = new ArrayList<>();
        for (JsonNode reason : answer.path("CancellationReasons")) {
            if (reason.path("Code").isTextual()) {
                codes.add(reason.path("Code").asText());
            }
        }
        return codes;
    }

    @Override
    public void finish(AttemptRecord attempt) {
        AwsCalls.call("record attempt " + attempt.deploymentId(), () -> dynamo.call("PutItem", on(table)
                .with("Item", attemptItem(attempt)).json()));
        // A failed condition: a newer attempt owns the pointer already; this attempt's own record is written.
        AwsCalls.call("update latest attempt " + attempt.deploymentId(), () -> unlessConditionFails(() -> dynamo.call(
                "UpdateItem", on(table)
                        .with("Key", key(deployment(attempt.deploymentId()), "LATEST"))
                        .with("UpdateExpression", "SET outcome = :outcome")
                        .with("ConditionExpression", "executionArn = :execution AND attempt = :attempt")
                        .with("ExpressionAttributeValues", attributes(Map.of(":outcome", s(attempt.outcome().name()),
                                ":execution", s(attempt.executionArn()), ":attempt", n(attempt.attempt()))))
                        .json())));
    }

    @Override
    public Optional<String> abortClaimOf(String executionArn, Instant at) {
        JsonNode claim = get(execution(executionArn), "CLAIM");
        if (claim.isEmpty()) {
            return Optional.empty();
        }
        String deploymentId = text(claim, "deploymentId");
        int attempt = (int) number(claim, "attempt");
        // A failed condition: it reported its outcome, or a newer attempt took over.
        boolean aborted = AwsCalls.call("abort attempt of " + executionArn, () -> unlessConditionFails(() -> dynamo.call(
                "UpdateItem", on(table).with("Key", key(deployment(deploymentId), "LATEST"))
                        .with("UpdateExpression", "SET outcome = :aborted")
                        .with("ConditionExpression",
                                "executionArn = :execution AND attempt = :attempt AND outcome = :running")
                        .with("ExpressionAttributeValues", attributes(Map.of(":aborted", s(Outcome.ABORTED.name()),
                                ":execution", s(executionArn), ":attempt", n(attempt),
                                ":running", s(Outcome.RUNNING.name()))))
                        .json())).isPresent());
        if (!aborted) {
            return Optional.empty();
        }
        attempt(deploymentId, attempt).ifPresent(record -> AwsCalls.call("record aborted attempt", () ->
                dynamo.call("PutItem", on(table).with("Item", attemptItem(new AttemptRecord(
                        record.deploymentId(), record.attempt(), Outcome.ABORTED, record.service(),
                        record.environment(), record.image(), record.tag(), record.trigger(), record.requestedBy(),
                        record.executionArn(), record.startedAt(), at,
                        "the execution ended without reporting (stopped, failed or timed out)", record.details())))
                        .json())));
        return Optional.of(deploymentId);
    }

    @Override
    public Optional<VerifiedRevision> lastVerified(String service, String environment) {
        JsonNode item = get(target(service, environment), "VERIFIED");
        if (item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new VerifiedRevision(text(item, "deploymentId"), text(item, "taskDefinition"),
                text(item, "image"), Instant.parse(text(item, "verifiedAt")), text(item, "ecsService")));
    }

    @Override
    public void markVerified(String service, String environment, VerifiedRevision revision) {
        ObjectNode item = key(target(service, environment), "VERIFIED");
        item.set("deploymentId", s(revision.deploymentId()));
        item.set("taskDefinition", s(revision.taskDefinition()));
        item.set("image", s(revision.image()));
        item.set("verifiedAt", s(revision.verifiedAt().toString()));
        putIfPresent(item, "ecsService", revision.ecsService());
        AwsCalls.call("record verified revision", () -> dynamo.call("PutItem", on(table).with("Item", item).json()));
    }

    @Override
    public Optional<AttemptRecord> attempt(String deploymentId, int attempt) {
        JsonNode item = get(deployment(deploymentId), attemptSort(attempt));
        return item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public List<AttemptRecord> recent(String service, String environment, int limit) {
        return attempts(query(service, environment, limit, null));
    }

    @Override
    public Page page(String service, String environment, int limit, String nextToken) {
        ObjectNode start = nextToken == null ? null : decodeToken(nextToken, service, environment);
        JsonNode answer = query(service, environment, limit, start);
        JsonNode last = answer.path("LastEvaluatedKey");
        return new Page(attempts(answer), last.isEmpty() ? null : encodeToken(last));
    }

    /** A target's attempts, newest first (API_Query: Items; LastEvaluatedKey when more may follow). */
    private JsonNode query(String service, String environment, int limit, ObjectNode exclusiveStartKey) {
        DynamoDbItems.Request request = on(table).with("IndexName", BY_TARGET)
                .with("KeyConditionExpression", TARGET_KEY + " = :target")
                .with("ExpressionAttributeValues", attributes(Map.of(":target", s(target(service, environment)))))
                .with("ScanIndexForward", false).with("Limit", limit);
        if (exclusiveStartKey != null) {
            request.with("ExclusiveStartKey", exclusiveStartKey);
        }
        return AwsCalls.call("list deployments of " + service + "/" + environment,
                () -> dynamo.call("Query", request.json()));
    }

    private static List<AttemptRecord> attempts(JsonNode queryAnswer) {
        return StreamSupport.stream(queryAnswer.path("Items").spliterator(), false)
                .map(DynamoDbDeploymentHistory::fromItem).toList();
    }

    /** The page token is the index position, opaque to callers (base64 of its keys). */
    private static String encodeToken(JsonNode key) {
        String joined = String.join("\n", text(key, PARTITION_KEY), text(key, SORT_KEY),
                text(key, TARGET_KEY), text(key, STARTED_KEY));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode decodeToken(String token, String service, String environment) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("nextToken: not a token this API returned");
        }
        if (parts.length != 4 || !parts[2].equals(target(service, environment))) {
            throw new InvalidInputException("nextToken: not a token of this service environment's history");
        }
        return attributes(Map.of(PARTITION_KEY, s(parts[0]), SORT_KEY, s(parts[1]), TARGET_KEY, s(parts[2]),
                STARTED_KEY, s(parts[3])));
    }

    /** The item, or an empty node when there is none (API_GetItem: then the answer has no Item). */
    private JsonNode get(String pk, String sk) {
        return AwsCalls.call("read " + pk, () -> dynamo.call("GetItem", on(table).with("Key", key(pk, sk))
                .with("ConsistentRead", true).json())).path("Item");
    }

    private static ObjectNode attemptItem(AttemptRecord attempt) {
        ObjectNode item = key(deployment(attempt.deploymentId()), attemptSort(attempt.attempt()));
        item.set(TARGET_KEY, s(target(attempt.service(), attempt.environment())));
        item.set(STARTED_KEY, s(attempt.startedAt() + "#" + attempt.deploymentId() + "#" + attempt.attempt()));
        item.set("deploymentId", s(attempt.deploymentId()));
        item.set("attempt", n(attempt.attempt()));
        item.set("outcome", s(attempt.outcome().name()));
        item.set("service", s(attempt.service()));
        item.set("environment", s(attempt.environment()));
        item.set("image", s(attempt.image()));
        putIfPresent(item, "tag", attempt.tag());
        putIfPresent(item, "trigger", attempt.trigger());
        putIfPresent(item, "requestedBy", attempt.requestedBy());
        item.set("executionArn", s(attempt.executionArn()));
        item.set("startedAt", s(attempt.startedAt().toString()));
        putIfPresent(item, "finishedAt", attempt.finishedAt() == null ? null : attempt.finishedAt().toString());
        putIfPresent(item, "reason", attempt.reason());
        putIfPresent(item, "details", attempt.details() == null ? null : attempt.details().toString());
        return item;
    }

    private static AttemptRecord fromItem(JsonNode item) {
        String finishedAt = text(item, "finishedAt");
        return new AttemptRecord(text(item, "deploymentId"), (int) number(item, "attempt"),
                Outcome.valueOf(text(item, "outcome")), text(item, "service"), text(item, "environment"),
                text(item, "image"), text(item, "tag"), text(item, "trigger"), text(item, "requestedBy"),
                text(item, "executionArn"), Instant.parse(text(item, "startedAt")),
                finishedAt == null ? null : Instant.parse(finishedAt), text(item, "reason"),
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
    private static ObjectNode claimOfExecution(String executionArn, String deploymentId, int attempt) {
        ObjectNode item = key(execution(executionArn), "CLAIM");
        item.set("deploymentId", s(deploymentId));
        item.set("attempt", n(attempt));
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

    /** A new item holding its key: callers add the other attributes. */
    private static ObjectNode key(String pk, String sk) {
        return attributes(Map.of(PARTITION_KEY, s(pk), SORT_KEY, s(sk)));
    }

    private static void putIfPresent(ObjectNode item, String name, String value) {
        if (value != null) {
            item.set(name, s(value));
        }
    }
}
