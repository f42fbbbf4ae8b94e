package dev.deckhand.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The freeze commands refuse what they can tell is wrong before asking the API, in one line. */
class FreezeCommandsTest {

    @Test
    void aFreezeWithoutAReasonIsRefusedInOneLine() {
        CommandLineRun run = CommandLineRun.of("freeze", "storefront", "prod", "--api-url", "http://127.0.0.1:1");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).isEqualTo("deckhand: Missing required option: '--reason=TEXT'\n"
                + "hint: see 'deckhand freeze --help'\n");
    }

    @Test
    void unfreezeNeedsAServiceAndAnEnvironment() {
        CommandLineRun run = CommandLineRun.of("unfreeze", "all");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).isEqualTo("deckhand: Missing required parameter: '<environment>'\n"
                + "hint: see 'deckhand unfreeze --help'\n");
    }
}
