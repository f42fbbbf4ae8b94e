package dev.deckhand.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Principal ARNs as API Gateway reports the caller (requestContext.identity.userArn): an IAM user
 * {@code arn:aws:iam::<account>:user/<name>}, an assumed role {@code arn:aws:sts::<account>:assumed-role/<role>/<session>}.
 */
class PrincipalPatternTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "arn:aws:sts::123456789012:assumed-role/release-team/*, arn:aws:sts::123456789012:assumed-role/release-team/alice, true",
            "arn:aws:sts::123456789012:assumed-role/release-team/*, arn:aws:sts::123456789012:assumed-role/release-team-x/bob, false",
            "arn:aws:sts::123456789012:assumed-role/release-team/*, arn:aws:sts::999999999999:assumed-role/release-team/alice, false",
            "arn:aws:iam::123456789012:user/alice,                  arn:aws:iam::123456789012:user/alice, true",
            "arn:aws:iam::123456789012:user/alice,                  arn:aws:iam::123456789012:user/alice2, false",
            "arn:aws:iam::123456789012:user/a.b+c,                  arn:aws:iam::123456789012:user/aXb+c, false",
    })
    void matchesTheWholeArnWithStarForAnyCharacters(String pattern, String principal, boolean matches) {
        assertThat(PrincipalPattern.parse(pattern).matches(principal)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"release-team", "arn:aws:s3:::bucket", "arn:aws:iam::12345:user/alice", ""})
    void refusesWhatIsNotAPrincipalArnPattern(String source) {
        assertThatThrownBy(() -> PrincipalPattern.parse(source)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an IAM or STS principal ARN pattern");
    }
}
