package dev.deckhand.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    static Set<String> placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
