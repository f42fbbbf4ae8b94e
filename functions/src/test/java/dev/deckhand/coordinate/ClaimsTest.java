package dev.deckhand.coordinate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.ClaimRecord;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClaimsTest {

    private static final String ME = "arn:aws:states:eu-west-1:123456789012:execution:deployer:me";
    private static final String OTHER = "arn:aws:states:eu-west-1:123456789012:execution:deployer:other";

    @ParameterizedTest(name = "latest {0} by {1}, still serving {2} → {3}")
    @CsvSource(nullValues = "none", delimiter = '|', value = {
            // latest outcome | by | still serving | expected decision
            "none | none | false | Proceed[attempt=1, resumed=false]",
            "RUNNING | me | false | Proceed[attempt=2, resumed=true]",
            "FAILED | me | false | Proceed[attempt=2, resumed=true]",
            "RUNNING | other | false | Duplicate[reason=attempt 2 of this deployment is running, executionArn=" + OTHER + "]",
            "SUCCEEDED | other | true | Duplicate[reason=this image already deployed successfully and still serves, executionArn=" + OTHER + "]",
            "SUCCEEDED | other | false | Proceed[attempt=3, resumed=false]",
            "FAILED | other | false | Proceed[attempt=3, resumed=false]",
            "ROLLED_BACK | other | false | Proceed[attempt=3, resumed=false]",
            "ROLLBACK_FAILED | other | false | Proceed[attempt=3, resumed=false]",
            "SUPERSEDED | other | false | Proceed[attempt=3, resumed=false]",
            "ABORTED | other | false | Proceed[attempt=3, resumed=false]",
    })
    void decidesBetweenNewAttemptResumeAndDuplicate(Outcome outcome, String by, boolean serving, String expected) {
        Optional<ClaimRecord> latest = outcome == null ? Optional.empty()
                : Optional.of(new ClaimRecord(2, outcome, "me".equals(by) ? ME : OTHER, Instant.parse("2026-11-20T10:00:00Z")));

        assertThat(Claims.decide(latest, ME, serving).toString()).isEqualTo(expected);
    }
}
