package dev.deckhand.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MigrationClientTokenTest {

    private static final String ID = "a-service-with-a-long-name-for-tokens-xx.environment-with-long-name-too.0123456789abcdef";

    @Test
    void isStableForOneAttemptSoARetriedStepFindsTheSameTask() {
        assertThat(MigrationClientToken.of(ID, 1)).isEqualTo(MigrationClientToken.of(ID, 1));
    }

    @Test
    void differsForTheNextAttemptSoADeliberateRetryRunsTheMigrationAgain() {
        assertThat(MigrationClientToken.of(ID, 2)).isNotEqualTo(MigrationClientToken.of(ID, 1));
    }

    @Test
    void fitsTheSixtyFourAsciiCharactersEcsAccepts() {
        assertThat(MigrationClientToken.of(ID, 1)).hasSizeLessThanOrEqualTo(64).matches("[\\x20-\\x7e]+");
    }
}
