package dev.deckhand.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TagPatternTest {

    @ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
    @CsvSource({
            "feature-*,        feature-login,    true",
            "feature-*,        feature-,         true",
            "feature-*,        my-feature-login, false",
            "feature-*,        Feature-login,    false",
            "release-?.?,      release-1.2,      true",
            "release-?.?,      release-1.23,     false",
            "v1.2,             v1x2,             false",
            "*,                anything.at_all,  true",
            "'regex:v[0-9]+\\.[0-9]+\\.[0-9]+', v1.22.3, true",
            "'regex:v[0-9]+\\.[0-9]+\\.[0-9]+', v1.22.3-rc1, false",
            "'regex:v[0-9]+\\.[0-9]+\\.[0-9]+', xv1.2.3, false",
    })
    void matchesWholeTagsOnly(String pattern, String tag, boolean expected) {
        assertThat(TagPattern.parse(pattern).matches(tag)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "feature/*         | is not a tag glob",
            "release-[0-9]     | is not a tag glob",
            "regex:            | needs an expression",
            "regex:v[0-9       | invalid regular expression",
    })
    void rejectsPatternsThatCannotMatchATag(String pattern, String message) {
        assertThatThrownBy(() -> TagPattern.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
