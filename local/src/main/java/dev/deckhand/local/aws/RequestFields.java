package dev.deckhand.local.aws;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads members of a JSON request, answering AWS's ValidationException when one is missing. */
public final class RequestFields {

    /** The member as text; {@code ValidationException} when it is absent or empty. */
    public static String requiredText(JsonNode request, String member) {
        JsonNode value = request.path(member);
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw AwsErrorException.clientError("ValidationException",
                    "1 validation error detected: Value null at '" + lowerFirst(member)
                            + "' failed to satisfy constraint: Member must not be null");
        }
        return value.textValue();
    }

    /** The member as text, or {@code fallback} when absent. */
    public static String optionalText(JsonNode request, String member, String fallback) {
        JsonNode value = request.path(member);
        return value.isTextual() ? value.textValue() : fallback;
    }

    private static String lowerFirst(String member) {
        return Character.toLowerCase(member.charAt(0)) + member.substring(1);
    }

    private RequestFields() {
    }
}
