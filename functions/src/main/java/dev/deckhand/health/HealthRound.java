package dev.deckhand.health;

import java.util.List;

/**
 * One round of probes: healthy when it saw the required number of healthy answers in a row.
 * A round stops at the first unhealthy answer.
 */
public record HealthRound(boolean healthy, List<HealthJudgement> answers) {

    public HealthRound {
        answers = List.copyOf(answers);
    }

    /** The last answer, which explains an unhealthy round. */
    public HealthJudgement last() {
        return answers.get(answers.size() - 1);
    }
}
