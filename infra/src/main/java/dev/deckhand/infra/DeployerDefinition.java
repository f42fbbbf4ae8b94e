package dev.deckhand.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deployer's ASL definition, read from its file, with its {@code ${Name}} placeholders
 * checked against the substitutions the stack provides. CloudFormation leaves an unknown
 * placeholder in the definition as literal text, which would fail only at run time
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html),
 * so it fails synthesis here instead.
 */
public final class DeployerDefinition {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Task state and the seconds the definition waits for it ({@code TimeoutSeconds}). */
    public record TimedState(String name, int timeoutSeconds) {
    }

    private DeployerDefinition() {
    }

    /**
     * @param substitutions the names the stack will substitute
     * @throws SynthesisException if the file is missing or names an unknown substitution
     */
    public static String load(Path file, Set<String> substitutions) {
        if (!Files.isRegularFile(file)) {
            throw new SynthesisException("state machine definition not found: " + file.toAbsolutePath().normalize()
                    + " (it is statemachine/deployer.asl.json; name another with -c "
                    + DeckhandSettings.DEFINITION + "=<file>)");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SynthesisException("cannot read state machine definition " + file + ": " + e.getMessage());
        }
        Set<String> unknown = new TreeSet<>(placeholders(text));
        unknown.removeAll(substitutions);
        if (!unknown.isEmpty()) {
            throw new SynthesisException(file + " uses substitutions the stack does not provide: "
                    + String.join(", ", unknown) + " (provided: " + String.join(", ", new TreeSet<>(substitutions)) + ")");
        }
        return text;
    }

    /**
     * For each substitution, the Task state invoking it that waits least ({@code TimeoutSeconds}),
     * among states with a fixed number: a JSONata timeout is decided at run time. Nested states
     * (Parallel branches, Map processors) count too.
     *
     * @throws SynthesisException if the definition is not JSON
     */
    public static Map<String, TimedState> tightestStates(String definition) {
        JsonNode root;
        try {
            root = JSON.readTree(definition);
        } catch (JsonProcessingException e) {
            throw new SynthesisException("the state machine definition is not JSON: " + e.getOriginalMessage());
        }
        Map<String, TimedState> tightest = new LinkedHashMap<>();
        collect(root.path("States"), tightest);
        return tightest;
    }

    private static void collect(JsonNode states, Map<String, TimedState> tightest) {
        states.properties().forEach(entry -> {
            JsonNode state = entry.getValue();
            JsonNode timeout = state.path("TimeoutSeconds");
            if ("Task".equals(state.path("Type").asText()) && timeout.isInt()) {
                for (String substitution : placeholders(state.path("Arguments").toString())) {
                    tightest.merge(substitution, new TimedState(entry.getKey(), timeout.asInt()),
                            (a, b) -> a.timeoutSeconds() <= b.timeoutSeconds() ? a : b);
                }
            }
            state.path("Branches").forEach(branch -> collect(branch.path("States"), tightest));
            collect(state.path("ItemProcessor").path("States"), tightest);
        });
    }

    static Set<String> placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
