package dev.deckhand.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.coordinate.CoordinateInput;
import dev.deckhand.deploy.DeployInput;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.migrate.MigrationInput;
import dev.deckhand.testing.Targets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The JSON door of the steps with several actions: one typed record per action, one clear error otherwise. */
class StepInputsTest {

    private static JsonNode event(String json) throws Exception {
        return DeckhandJson.MAPPER.readTree(json.replace('\'', '"'));
    }

    /** A target as resolve-env writes it. */
    private static String target() throws Exception {
        return DeckhandJson.MAPPER.writeValueAsString(Targets.storefrontDev("feature-x", "ab"));
    }

    @Test
    void eachActionBecomesItsOwnRecord() throws Exception {
        JsonNode claim = DeckhandJson.MAPPER.createObjectNode().put("action", "claimAndLock")
                .put("executionArn", "arn:aws:states:eu-west-1:123456789012:execution:deployer:x")
                .put("startedAt", "2026-12-06T12:00:00Z")
                .set("target", DeckhandJson.MAPPER.readTree(target()));

        CoordinateInput input = CoordinateInput.ACTIONS.parse(claim);

        assertThat(input).isInstanceOfSatisfying(CoordinateInput.ClaimAndLock.class, parsed -> {
            assertThat(parsed.startedAt()).isEqualTo(Instant.parse("2026-12-06T12:00:00Z"));
            assertThat(parsed.target().service()).isEqualTo("storefront");
            assertThat(parsed.target().environment()).isEqualTo("dev");
        });
    }

    @Test
    void anUnknownActionIsOneLineNamingTheAcceptedOnes() throws Exception {
        assertThatThrownBy(() -> CoordinateInput.ACTIONS.parse(event("{'action':'steal'}")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("action: 'steal' is not claimAndLock, acquireLock, awaitLock, releaseLock or awaitApproval");
        assertThatThrownBy(() -> DeployInput.ACTIONS.parse(event("{}")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("action: '' is not prepare, update, checkRollout or checkAlarms");
        assertThatThrownBy(() -> MigrationInput.ACTIONS.parse(event("{'action':'stop'}")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("action: 'stop' is not start, startVerification or check");
    }

    @Test
    void aMissingOrMalformedFieldIsOneLineNamingIt() throws Exception {
        assertThatThrownBy(() -> DeployInput.ACTIONS.parse(event("{'action':'prepare'}")))
                .isInstanceOf(InvalidInputException.class).hasMessage("target: required");
        JsonNode noStart = DeckhandJson.MAPPER.createObjectNode().put("action", "acquireLock")
                .put("executionArn", "arn:x").put("startedAt", "yesterday")
                .set("target", DeckhandJson.MAPPER.readTree(target()));
        assertThatThrownBy(() -> CoordinateInput.ACTIONS.parse(noStart))
                .isInstanceOf(InvalidInputException.class).hasMessage("startedAt: not an ISO-8601 instant");
    }

    @Test
    void anActionListedTwiceIsRefused() {
        assertThatThrownBy(() -> StepInputs.of("a", event -> "x").or("a", event -> "y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("action a is listed twice");
    }
}
