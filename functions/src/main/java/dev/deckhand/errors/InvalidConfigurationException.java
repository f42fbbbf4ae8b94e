package dev.deckhand.errors;

import java.util.List;

/**
 * The Deckhand configuration is invalid. Carries every problem found, each naming the service,
 * environment and field, so a user fixes the file in one pass.
 */
public final class InvalidConfigurationException extends DeckhandException {

    private final List<String> problems;

    public InvalidConfigurationException(String source, List<String> problems) {
        super(describe(source, problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String describe(String source, List<String> problems) {
        String heading = problems.size() == 1
                ? "1 problem in " + source + ":"
                : problems.size() + " problems in " + source + ":";
        return heading + "\n  - " + String.join("\n  - ", problems);
    }
}
