package dev.deckhand.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckTableTest {

    @Test
    void alignsOneLinePerCheckWithTheFixUnderEachFailureAndATally() {
        List<Check> checks = List.of(
                Check.pass("storefront/dev", "cluster", "ECS cluster acme-dev is ACTIVE"),
                Check.fail("billing-worker/prod", "roles", "may not pass r", "name it in deckhand.yml"));

        assertThat(CheckTable.lines(checks)).containsExactly(
                "ok    storefront/dev       cluster  ECS cluster acme-dev is ACTIVE",
                "FAIL  billing-worker/prod  roles    may not pass r",
                "      fix: name it in deckhand.yml",
                "1 of 2 checks failed");
        assertThat(CheckTable.exitCode(checks)).isEqualTo(1);
    }

    @Test
    void allPassingIsExitZero() {
        List<Check> checks = List.of(Check.pass("a/b", "cluster", "ok"));

        assertThat(CheckTable.lines(checks)).endsWith("1 checks passed");
        assertThat(CheckTable.exitCode(checks)).isZero();
    }

    @Test
    void deckhandMayPassTheRolesTheConfigurationNamesAndNoOther() {
        // Every environment of the sample names its roles (deckhand.yml), so the deploy role may pass exactly those.
        assertThat(PassableRoles.covers(Fixtures.sampleConfiguration(), "arn:aws:iam::123456789012:role/storefront-prod-task"))
                .isTrue();
        assertThat(PassableRoles.covers(Fixtures.sampleConfiguration(),
                "arn:aws:iam::123456789012:role/storefront-prod-execution")).isTrue();
        assertThat(PassableRoles.covers(Fixtures.sampleConfiguration(), "arn:aws:iam::123456789012:role/admin")).isFalse();
    }

    @Test
    void whenAnEnvironmentNamesNoRoleDeckhandMayPassAnyRoleOfTheAccountAsItsRoleAllows() {
        dev.deckhand.config.DeckhandConfiguration withoutRoles = dev.deckhand.config.ConfigurationLoader.parse(
                Fixtures.WITHOUT_ROLES, "deckhand.yml");
        assertThat(PassableRoles.covers(withoutRoles, "arn:aws:iam::123456789012:role/api-dev-execution")).isTrue();
        assertThat(PassableRoles.covers(withoutRoles, "arn:aws:iam::123456789012:user/someone")).isFalse();
    }
}
