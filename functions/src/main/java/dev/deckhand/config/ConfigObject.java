package dev.deckhand.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A YAML mapping being validated: reads typed fields, records a problem (naming the field's path)
 * for each mistake instead of stopping at the first, and reports keys it does not know with the
 * nearest known key as a hint.
 */
final class ConfigObject {

    private final JsonNode node;
    private final String path;
    private final List<String> problems;

    private ConfigObject(JsonNode node, String path, List<String> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** Wraps {@code node}, or returns {@code null} (with a problem recorded) if it is not a mapping. */
    static ConfigObject of(JsonNode node, String path, List<String> problems, Set<String> knownKeys) {
        if (node == null || !node.isObject()) {
            problems.add(path + ": must be a mapping of fields, found " + describe(node));
            return null;
        }
        ConfigObject object = new ConfigObject(node, path, problems);
        object.reportUnknownKeys(knownKeys);
        return object;
    }

    String path() {
        return path;
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String key, String message) {
        problems.add(child(key) + ": " + message);
    }

    boolean has(String key) {
        return node.hasNonNull(key);
    }

    JsonNode raw(String key) {
        return node.get(key);
    }

    String requiredString(String key, Pattern format, String formatDescription) {
        if (!has(key)) {
            problem(key, "is required");
            return null;
        }
        return optionalString(key, format, formatDescription);
    }

    String optionalString(String key, Pattern format, String formatDescription) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problem(key, "must be a string, found " + describe(value));
            return null;
        }
        String text = value.asText();
        if (format != null && !format.matcher(text).matches()) {
            problem(key, "'" + text + "' is not " + formatDescription);
            return null;
        }
        return text;
    }

    int optionalInt(String key, int defaultValue, int min, int max) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            problem(key, "must be a whole number, found " + describe(value));
            return defaultValue;
        }
        int number = value.asInt();
        if (number < min || number > max) {
            problem(key, "must be between " + min + " and " + max + ", found " + number);
            return defaultValue;
        }
        return number;
    }

    boolean optionalBoolean(String key, boolean defaultValue) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            problem(key, "must be true or false, found " + describe(value));
            return defaultValue;
        }
        return value.asBoolean();
    }

    /** A list of strings; a single string is accepted as a list of one. */
    List<String> optionalStringList(String key) {
        JsonNode value = node.get(key);
        List<String> strings = new ArrayList<>();
        if (value == null || value.isNull()) {
            return strings;
        }
        if (value.isTextual()) {
            strings.add(value.asText());
            return strings;
        }
        if (!value.isArray()) {
            problem(key, "must be a list of strings, found " + describe(value));
            return strings;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (item.isTextual()) {
                strings.add(item.asText());
            } else {
                problems.add(child(key) + "[" + i + "]: must be a string, found " + describe(item));
            }
        }
        return strings;
    }

    /** The entries of a mapping-valued field, in file order; records a problem if it is not a mapping. */
    Map<String, JsonNode> requiredMapping(String key) {
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            problem(key, "is required");
        } else if (!value.isObject()) {
            problem(key, "must be a mapping of names to definitions, found " + describe(value));
        } else {
            value.fields().forEachRemaining(entry -> entries.put(entry.getKey(), entry.getValue()));
            if (entries.isEmpty()) {
                problem(key, "must define at least one entry");
            }
        }
        return entries;
    }

    private void reportUnknownKeys(Set<String> knownKeys) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!knownKeys.contains(name)) {
                String hint = nearest(name, knownKeys);
                problem(name, "unknown field" + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                        + "; known fields: " + String.join(", ", knownKeys));
            }
        }
    }

    static String describe(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "nothing";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isTextual()) {
            return "the string '" + value.asText() + "'";
        }
        return value.getNodeType().name().toLowerCase() + " " + value;
    }

    /** The known key closest to a misspelt one, if it is close enough to be a likely typo. */
    private static String nearest(String name, Set<String> knownKeys) {
        return NearestName.of(name, knownKeys).orElse(null);
    }
}
