package dev.deckhand.cleanup;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which of the revisions Deckhand registered in a family may be deregistered: all but the newest
 * {@code keep}, and never a protected one (running, or the last verified revision of an environment:
 * a rollback target). Revisions Deckhand did not register are never offered to it.
 */
public final class KeepRule {

    private KeepRule() {
    }

    /** The revisions to deregister, oldest first. */
    public static List<String> toDeregister(List<String> registeredByDeckhand, int keep, Set<String> protectedArns) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        }
        List<String> newestFirst = registeredByDeckhand.stream()
                .sorted(Comparator.comparingInt(KeepRule::revisionNumber).reversed())
                .toList();
        List<String> beyond = newestFirst.subList(Math.min(keep, newestFirst.size()), newestFirst.size());
        return beyond.stream()
                .filter(arn -> !protectedArns.contains(arn))
                .sorted(Comparator.comparingInt(KeepRule::revisionNumber))
                .toList();
    }

    /** The revision of {@code arn:…:task-definition/<family>:<revision>}. */
    public static int revisionNumber(String taskDefinitionArn) {
        int colon = taskDefinitionArn.lastIndexOf(':');
        try {
            return Integer.parseInt(taskDefinitionArn.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a task definition revision ARN: " + taskDefinitionArn, e);
        }
    }

    /** The family of {@code arn:…:task-definition/<family>:<revision>}. */
    public static String family(String taskDefinitionArn) {
        int slash = taskDefinitionArn.lastIndexOf('/');
        int colon = taskDefinitionArn.lastIndexOf(':');
        if (slash < 0 || colon < slash) {
            throw new IllegalArgumentException("not a task definition revision ARN: " + taskDefinitionArn);
        }
        return taskDefinitionArn.substring(slash + 1, colon);
    }
}
