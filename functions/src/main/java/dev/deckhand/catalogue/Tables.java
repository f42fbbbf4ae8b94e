package dev.deckhand.catalogue;

import dev.deckhand.aws.DynamoDbDeploymentHistory;
import dev.deckhand.aws.DynamoDbDeploymentLocks;
import dev.deckhand.aws.DynamoDbFreezes;
import dev.deckhand.aws.DynamoDbWaits;
import java.util.List;

/**
 * Deckhand's DynamoDB tables, defined once: the CDK app and the local Deckhand both create them
 * from here. Every key is a string; the key names are the adapters' (which read and write them).
 */
public final class Tables {

    /** The history's index of a target's attempts by start time. */
    public static final String BY_TARGET = DynamoDbDeploymentHistory.BY_TARGET;

    /**
     * The deployment history. No TTL: the history is the audit trail, and none of its items
     * expire. The index projects everything: the status API answers whole attempts from it.
     */
    public static final TableDefinition HISTORY = new TableDefinition("History", "deckhand-history",
            DynamoDbDeploymentHistory.PARTITION_KEY, DynamoDbDeploymentHistory.SORT_KEY,
            List.of(new IndexDefinition(BY_TARGET, DynamoDbDeploymentHistory.TARGET_KEY,
                    DynamoDbDeploymentHistory.STARTED_KEY)), null, true);

    /** The per-target locks: leases of running executions, which expire. */
    public static final TableDefinition LOCKS = new TableDefinition("Locks", "deckhand-locks",
            DynamoDbDeploymentLocks.PARTITION_KEY, null, List.of(), DynamoDbDeploymentLocks.EXPIRES_AT, false);

    /**
     * Which task token waits for which ECS event (and events that came first): short-lived, they
     * expire. Indexed by execution, so a dead execution's waits are forgotten at once.
     */
    public static final TableDefinition WAITS = new TableDefinition("Waits", "deckhand-waits",
            DynamoDbWaits.PARTITION_KEY, null, List.of(new IndexDefinition(DynamoDbWaits.BY_EXECUTION,
                    DynamoDbWaits.EXECUTION, DynamoDbWaits.PARTITION_KEY)), DynamoDbWaits.EXPIRES_AT, false);

    /**
     * Ad-hoc freezes ({@code deckhand freeze}): they expire at their end, if they have one. Not
     * retained: a freeze matters while it lasts; the deployments it held record it in the history.
     */
    public static final TableDefinition FREEZES = new TableDefinition("Freezes", "deckhand-freezes",
            DynamoDbFreezes.PARTITION_KEY, null, List.of(), DynamoDbFreezes.EXPIRES_AT, false);

    public static final List<TableDefinition> ALL = List.of(HISTORY, LOCKS, WAITS, FREEZES);

    private Tables() {
    }

    /**
     * @param id the CDK construct id
     * @param localName the table's name in the local cloud (CloudFormation names it on AWS)
     * @param partitionKey a string attribute
     * @param sortKey a string attribute, or {@code null}
     * @param indexes global secondary indexes, each projecting all attributes
     * @param timeToLive the TTL attribute (epoch seconds), or {@code null}
     * @param retained whether the table outlives the stack (an audit trail does)
     */
    public record TableDefinition(String id, String localName, String partitionKey, String sortKey,
            List<IndexDefinition> indexes, String timeToLive, boolean retained) {

        public TableDefinition {
            indexes = List.copyOf(indexes);
        }
    }

    /** A global secondary index with string keys that projects all attributes. */
    public record IndexDefinition(String name, String partitionKey, String sortKey) {
    }
}
