package dev.deckhand.local.resilience;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What makes a refusal's message clear to the person who reads it in the console or an API
 * answer: present, one line of printable text, short, and free of Java internals (no stack frame,
 * no class name, no exception type).
 */
final class ClearMessage {

    static final int MAX_LENGTH = 500;
    private static final Pattern STACK_FRAME = Pattern.compile("\\bat [\\w$.]+\\([\\w$.]*(:\\d+)?\\)");
    private static final Pattern QUALIFIED_CLASS = Pattern.compile(
            "\\b(java|javax|jdk|sun|com|org|net|dev|software)\\.[a-z0-9_]+\\.[\\w.$]*[A-Z]\\w*");
    private static final Pattern EXCEPTION_TYPE = Pattern.compile("\\b[A-Z]\\w*(Exception|Error)\\b");
    private static final Pattern METHOD_REFERENCE = Pattern.compile("\\b[A-Z]\\w+\\.[a-z]\\w*\\(\\)");
    /** A value of the input, quoted by the message: what it says is the caller's, not Deckhand's. */
    private static final Pattern QUOTED_INPUT = Pattern.compile("'[^']*'");

    private ClearMessage() {
    }

    /** What is wrong with the message; empty when it is clear. */
    static List<String> problems(String message) {
        return problems(message, "");
    }

    /**
     * What is wrong with the message of a refusal of {@code input}; a class-like name or frame the
     * message merely repeats from the input is the caller's own text, not Deckhand's internals.
     */
    static List<String> problems(String message, String input) {
        List<String> problems = new ArrayList<>();
        if (message == null || message.isBlank()) {
            problems.add("no message");
            return problems;
        }
        if (message.length() > MAX_LENGTH) {
            problems.add(message.length() + " characters long (at most " + MAX_LENGTH + ")");
        }
        if (message.codePoints().anyMatch(Character::isISOControl)) {
            problems.add("not one line of printable text (control characters)");
        }
        String own = QUOTED_INPUT.matcher(message).replaceAll("'…'");
        if (found(STACK_FRAME, own, input)) {
            problems.add("carries a stack frame");
        }
        if (found(QUALIFIED_CLASS, own, input) || found(METHOD_REFERENCE, own, input)) {
            problems.add("names a Java class or method");
        }
        if (found(EXCEPTION_TYPE, own, input)) {
            problems.add("names an exception type");
        }
        return problems;
    }

    private static boolean found(Pattern pattern, String message, String input) {
        return pattern.matcher(message).results().anyMatch(match -> !input.contains(match.group()));
    }
}
