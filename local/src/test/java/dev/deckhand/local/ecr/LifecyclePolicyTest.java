package dev.deckhand.local.ecr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle rules' semantics as the ECR user guide states them ("Lifecycle policy properties",
 * "Examples of lifecycle policies", "How lifecycle policies work"), as a table of small cases.
 */
class LifecyclePolicyTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private static LifecyclePolicy.Image image(String digest, int daysOld, String... tags) {
        return new LifecyclePolicy.Image(digest, List.of(tags), NOW.minus(Duration.ofDays(daysOld)));
    }

    private static LifecyclePolicy policy(String rules) {
        return LifecyclePolicy.parse("{\"rules\": [" + rules.replace('\'', '"') + "]}");
    }

    private static String rule(int priority, String selection) {
        return "{'rulePriority': " + priority + ", 'selection': {" + selection + "}, 'action': {'type': 'expire'}}";
    }

    @Test
    void aPrefixListSelectsImagesThatHaveATagForEveryPrefix() {
        // tagPrefixList: images with ALL the given prefixes in their tags are selected.
        LifecyclePolicy both = policy(rule(1, "'tagStatus': 'tagged', 'tagPrefixList': ['prod', 'v'], "
                + "'countType': 'sinceImagePushed', 'countUnit': 'days', 'countNumber': 1"));

        assertThat(both.expired(List.of(image("a", 5, "prod-1", "v1"), image("b", 5, "prod-2"), image("c", 5, "v3")), NOW))
                .containsExactly("a");
    }

    @Test
    void aPatternListMatchesWithWildcards() {
        // "Filtering on image age": tagPatternList ["prod*"], older than 14 days.
        LifecyclePolicy prod = policy(rule(1, "'tagStatus': 'tagged', 'tagPatternList': ['prod*'], "
                + "'countType': 'sinceImagePushed', 'countUnit': 'days', 'countNumber': 14"));

        assertThat(prod.expired(List.of(image("old", 15, "prod-1"), image("new", 13, "prod-2"),
                image("dev", 30, "dev-1"), image("mid", 20, "preprod")), NOW)).containsExactly("old");
    }

    @Test
    void aCountRuleKeepsTheMostRecentlyPushed() {
        LifecyclePolicy keepTwo = policy(rule(1, "'tagStatus': 'untagged', 'countType': 'imageCountMoreThan', "
                + "'countNumber': 2"));

        assertThat(keepTwo.expired(List.of(image("d3", 3), image("d1", 1), image("d2", 2), image("d4", 4),
                image("tagged", 9, "v1")), NOW)).containsExactlyInAnyOrder("d3", "d4");
    }

    @Test
    void anImageMatchedByAnEarlierRuleIsNeverExpiredByALaterOne() {
        LifecyclePolicy protect = policy(rule(1, "'tagStatus': 'tagged', 'tagPrefixList': ['keep'], "
                + "'countType': 'imageCountMoreThan', 'countNumber': 100") + ","
                + rule(2, "'tagStatus': 'any', 'countType': 'sinceImagePushed', 'countUnit': 'days', 'countNumber': 1"));

        assertThat(protect.expired(List.of(image("kept", 50, "keep-1"), image("gone", 50, "tmp"), image("young", 0)), NOW))
                .containsExactly("gone");
    }

    @Test
    void rulesAreAppliedByPriorityNotByTheirOrderInTheText() {
        LifecyclePolicy reordered = policy(rule(2, "'tagStatus': 'any', 'countType': 'imageCountMoreThan', 'countNumber': 1")
                + "," + rule(1, "'tagStatus': 'tagged', 'tagPrefixList': ['v'], 'countType': 'imageCountMoreThan', "
                + "'countNumber': 5"));

        assertThat(reordered.expired(List.of(image("v1", 2, "v1"), image("v2", 1, "v2"), image("x", 3), image("y", 4)),
                NOW)).containsExactly("y");
    }

    @Test
    void invalidPoliciesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> LifecyclePolicy.parse("{\"rules\": []}")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> policy(rule(1, "'tagStatus': 'untagged', 'countType': 'imageCountMoreThan', "
                + "'countNumber': 1") + "," + rule(1, "'tagStatus': 'any', 'countType': 'imageCountMoreThan', "
                + "'countNumber': 1"))).hasMessageContaining("rulePriority 1 is used by more than one rule");
        assertThatThrownBy(() -> policy(rule(1, "'tagStatus': 'untagged', 'tagPrefixList': ['v'], "
                + "'countType': 'imageCountMoreThan', 'countNumber': 1"))).hasMessageContaining("only a 'tagged' rule");
        assertThatThrownBy(() -> policy(rule(1, "'tagStatus': 'untagged', 'countType': 'sinceImagePushed', "
                + "'countNumber': 1"))).hasMessageContaining("countUnit 'days'");
        assertThatThrownBy(() -> policy(rule(1, "'tagStatus': 'untagged', 'countType': 'sinceImagePulled', "
                + "'countUnit': 'days', 'countNumber': 1"))).hasMessageContaining("not supported by the Deckhand local cloud");
        assertThatThrownBy(() -> policy(rule(1, "'tagStatus': 'untagged', 'countType': 'imageCountMoreThan', "
                + "'countNumber': 0"))).hasMessageContaining("countNumber must be a positive integer");
    }
}
