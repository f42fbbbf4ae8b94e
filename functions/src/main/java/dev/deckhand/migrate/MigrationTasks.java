package dev.deckhand.migrate;

import java.util.List;

/** What Deckhand needs from Amazon ECS (and CloudWatch Logs) to run a migration as a one-off task. */
public interface MigrationTasks {

    /**
     * Starts the migration with the service's own network configuration and launch settings.
     * Idempotent per {@code clientToken}: ECS returns the task it already started for the token.
     *
     * @return the task ARN
     */
    String start(String cluster, String service, String taskDefinitionArn, String container, List<String> command,
            String clientToken);

    TaskSnapshot describe(String cluster, String taskArn);

    /**
     * The one-off tasks Deckhand started with this task definition, running or recently stopped
     * (ECS lists a stopped task for about an hour). A revision belongs to one deployment, so these
     * are the migrations of that deployment's earlier attempts.
     */
    List<TaskSnapshot> startedWith(String cluster, String taskDefinitionArn);

    /** Stops a task that ran past its timeout; stopping a stopped task is not an error. */
    void stop(String cluster, String taskArn, String reason);

    /**
     * The last lines the container logged, so a failed migration explains itself; empty (never an
     * error) when the task logs elsewhere or the logs cannot be read.
     */
    List<String> lastLogLines(String taskDefinitionArn, String container, String taskArn, int lines);
}
