package dev.deckhand.health;

import java.util.List;

/** A healthy round: which round it was and the answers that made it healthy. */
public record HealthReport(boolean healthy, int round, List<HealthJudgement> answers) {

    public HealthReport {
        answers = List.copyOf(answers);
    }
}
