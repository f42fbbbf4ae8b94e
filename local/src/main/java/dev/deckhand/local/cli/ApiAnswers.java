package dev.deckhand.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.api.SignedApiClient;
import java.io.IOException;

/** The promote and status API's answers, with its refusals turned into one clear line. */
final class ApiAnswers {

    private ApiAnswers() {
    }

    /**
     * The JSON body of a 2xx answer.
     *
     * @throws UserError with the API's own message for a refusal (exit 1), and a hint where one helps
     */
    static JsonNode body(SignedApiClient.Answer answer) {
        JsonNode body;
        try {
            body = DeckhandJson.MAPPER.readTree(answer.body());
        } catch (IOException e) {
            body = null;
        }
        if (answer.status() >= 200 && answer.status() < 300 && body != null) {
            return body;
        }
        String message = body == null ? answer.body() : body.path("message").asText(body.path("Message").asText(answer.body()));
        String hint = switch (answer.status()) {
            case 401, 403 -> "sign with credentials the API accepts (locally, the pair './deckhand up' prints)";
            // An unknown service or environment names what is configured; an unknown deployment does not.
            case 404 -> message.startsWith("no deployment ")
                    ? "'./deckhand history <service> <environment>' lists what exists" : null;
            default -> null;
        };
        throw new UserError("the API refused (HTTP " + answer.status() + "): " + message, hint,
                DeckhandCommand.EXIT_REJECTED);
    }
}
