package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * API_Publish, Subject: "Subjects must be UTF-8 text with no line breaks or control characters, and
 * less than 100 characters long"; SNS's validation rules (Amazon Managed Service for Prometheus
 * guide, "Understanding Amazon SNS message validation rules") also treat non-ASCII subjects as
 * invalid, so Deckhand sends printable ASCII only.
 */
class SnsSubjectTest {

    private static final List<String> HOSTILE = List.of(
            "Deckhand SUCCEEDED: web\r\nBcc: everyone@example.com",
            "Deckhand FAILED: tab\there, bell\u0007, escape\u001b[31m, nul\u0000, del\u007f, c1\u0085",
            "Deckhand FAILED: line\u2028separator\u2029paragraph",
            "Deckhand ROLLED_BACK: caf\u00e9 \u0441\u0435\u0440\u0432\u0438\u0441 \uD83D\uDE80 \uFEFF\u00a0",
            "Deckhand FAILED: " + "x".repeat(500),
            "Deckhand FAILED: " + "\uD83D\uDE80".repeat(120),
            "\n\n\n",
            "");

    @Test
    void everySubjectIsPrintableAsciiUnderOneHundredCharacters() {
        for (String text : HOSTILE) {
            String subject = SnsSubject.of(text);

            assertThat(subject).as("subject of %s", text).isNotBlank().hasSizeLessThan(100)
                    .matches("[\\x20-\\x7e]+").doesNotStartWith(" ").doesNotEndWith(" ");
        }
    }

    @Test
    void lineBreaksAndControlCharactersBecomeOneSpace() {
        assertThat(SnsSubject.of("Deckhand FAILED: web\r\n\tstaging")).isEqualTo("Deckhand FAILED: web staging");
    }

    @Test
    void aShortAsciiSubjectIsKeptAsItIs() {
        String subject = "Deckhand SUCCEEDED: storefront deployed to staging (v1.2.3)";

        assertThat(SnsSubject.of(subject)).isEqualTo(subject);
    }

    @Test
    void aLongSubjectIsCutToNinetyNineCharactersWithAMark() {
        String subject = SnsSubject.of("Deckhand FAILED: " + "a".repeat(200));

        assertThat(subject).hasSize(99).startsWith("Deckhand FAILED: aaa").endsWith("a...");
    }

    @Test
    void aSubjectOfExactlyNinetyNineCharactersIsNotCut() {
        String subject = "x".repeat(99);

        assertThat(SnsSubject.of(subject)).isEqualTo(subject);
        assertThat(SnsSubject.of(subject + "y")).hasSize(99).endsWith("...");
    }
}
