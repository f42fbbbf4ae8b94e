package dev.deckhand.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.regex.Pattern;

/**
 * The JSON mappers of the handlers: strict when reading input, no nulls when writing output,
 * instants as ISO-8601 text (as Step Functions writes them).
 */
public final class DeckhandJson {

    /** Built once per container; thread-safe. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /**
     * Reads the payloads the state machine passes between Deckhand's own steps: fields a step
     * does not use are ignored, so adding a field to one step's output never breaks another.
     */
    public static final ObjectMapper PAYLOADS = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    // Jackson quotes Java names in backticks: "(1000, from `StreamReadConstraints.getMaxNestingDepth()`)",
    // "(bound as `com.fasterxml.jackson.databind.JsonNode`): not allowed as per `DeserializationFeature...`".
    private static final Pattern JACKSON_SETTING = Pattern.compile(", from `[^`]*`\\)");
    private static final Pattern JACKSON_CLAUSE = Pattern.compile("\\s*\\(bound as `[^`]*`\\)|:?\\s*not allowed as per `[^`]*`");
    private static final Pattern JAVA_NAME = Pattern.compile("`[\\w$]+(\\.[\\w$]+)+(\\(\\))?`");

    private DeckhandJson() {
    }

    /**
     * What is wrong with a JSON text, in words for the caller: without Java names, and on one line
     * (Jackson quotes the offending token as it is, control characters included).
     */
    public static String problem(JsonProcessingException e) {
        String message = JACKSON_SETTING.matcher(String.valueOf(e.getOriginalMessage())).replaceAll(")");
        message = JACKSON_CLAUSE.matcher(message).replaceAll("");
        message = JAVA_NAME.matcher(message).replaceAll("a limit");
        return message.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
