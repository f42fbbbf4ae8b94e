package dev.deckhand.statemachine;

import static dev.deckhand.statemachine.EngineHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A JSONPath Choice rule is parsed at load into typed comparisons (ASL spec, "Choice Rules"): the
 * operator, its type and a literal operand are decided once, never looked up by name at run time.
 */
class ChoiceRulesTest {

    @Test
    void aNestedRuleBecomesATreeOfTypedComparisonsWithConvertedLiterals() {
        ChoiceRules.Comparison parsed = ChoiceRules.parse(json("""
                {"And": [{"Variable": "$.n", "NumericGreaterThanEquals": 20},
                         {"Not": {"Variable": "$.at", "TimestampLessThan": "2016-03-14T01:59:00Z"}},
                         {"Or": [{"Variable": "$.s", "IsPresent": false}, {"Variable": "$.s", "StringMatches": "a*"}]}],
                 "Next": "X"}"""));

        assertThat(parsed).isInstanceOf(ChoiceRules.And.class);
        ChoiceRules.And and = (ChoiceRules.And) parsed;
        assertThat(and.all().get(0)).isEqualTo(new ChoiceRules.Compare("$.n", ChoiceRules.Family.NUMERIC,
                ChoiceRules.Relation.GREATER_THAN_EQUALS, ChoiceRules.Family.NUMERIC.typed(json("20")), null, null));
        assertThat(((ChoiceRules.Compare) and.all().get(0)).literal()).isEqualTo(new BigDecimal("20"));
        ChoiceRules.Compare timestamp = (ChoiceRules.Compare) ((ChoiceRules.Not) and.all().get(1)).inner();
        assertThat(timestamp.relation()).isEqualTo(ChoiceRules.Relation.LESS_THAN);
        assertThat(timestamp.literal()).isEqualTo(Instant.parse("2016-03-14T01:59:00Z"));
        ChoiceRules.Or or = (ChoiceRules.Or) and.all().get(2);
        assertThat(or.any().get(0)).isEqualTo(new ChoiceRules.IsPresent("$.s", false));
        assertThat(((ChoiceRules.Matches) or.any().get(1)).pattern().matcher("abc").matches()).isTrue();
    }

    @Test
    void aPathOperandKeepsItsPathAndTheFieldItsErrorsName() {
        ChoiceRules.Compare parsed = (ChoiceRules.Compare) ChoiceRules.parse(json(
                "{\"Variable\": \"$.a\", \"StringLessThanEqualsPath\": \"$.b\", \"Next\": \"X\"}"));

        assertThat(parsed.family()).isEqualTo(ChoiceRules.Family.STRING);
        assertThat(parsed.relation()).isEqualTo(ChoiceRules.Relation.LESS_THAN_EQUALS);
        assertThat(parsed.operandPath()).isEqualTo("$.b");
        assertThat(parsed.pathField()).isEqualTo("StringLessThanEqualsPath");
        assertThat(parsed.literal()).isNull();
    }

    @Test
    void aLiteralOfTheWrongTypeIsKeptAsNoOperandSoTheComparisonIsFalse() {
        ChoiceRules.Compare parsed = (ChoiceRules.Compare) ChoiceRules.parse(json(
                "{\"Variable\": \"$.a\", \"NumericEquals\": \"10\", \"Next\": \"X\"}"));

        assertThat(parsed.literal()).isNull();
        assertThat(parsed.matches(new dev.deckhand.statemachine.jsonpath.PathScope(json("{\"a\": 10}"), json("{}"),
                java.util.Map.of()))).isFalse();
    }
}
