package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.ssm.ParameterTier;

class ConfigurationParameterTest {

    @Test
    void aFileUpTo4KbFitsTheFreeStandardTier() {
        assertThat(ConfigurationParameter.tierFor("a".repeat(4096))).isEqualTo(ParameterTier.STANDARD);
    }

    @Test
    void aFileOver4KbNeedsTheAdvancedTier() {
        assertThat(ConfigurationParameter.tierFor("a".repeat(4097))).isEqualTo(ParameterTier.ADVANCED);
        assertThat(ConfigurationParameter.tierFor("a".repeat(8192))).isEqualTo(ParameterTier.ADVANCED);
    }

    @Test
    void sizeIsCountedInUtf8BytesNotCharacters() {
        // 2,049 characters of two bytes each: 4,098 bytes.
        assertThat(ConfigurationParameter.tierFor("é".repeat(2049))).isEqualTo(ParameterTier.ADVANCED);
    }

    @Test
    void aFileOver8KbFailsSynthesisWithOneLine() {
        assertThatThrownBy(() -> ConfigurationParameter.tierFor("a".repeat(8193)))
                .isInstanceOf(SynthesisException.class)
                .hasMessage("the configuration is 8193 bytes; an SSM parameter holds at most 8192 (Advanced tier): "
                        + "shorten deckhand.yml (comments count)");
    }
}
