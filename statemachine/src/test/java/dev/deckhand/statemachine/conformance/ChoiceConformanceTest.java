package dev.deckhand.statemachine.conformance;

import static dev.deckhand.statemachine.EngineHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.statemachine.EngineHarness;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Choice rules, https://states-language.net/spec.html#choice-state and state-choice.html. */
class ChoiceConformanceTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    /** The spec's example: the first matching rule wins, Default otherwise. */
    private static final String SPEC_EXAMPLE = """
            {"StartAt": "ChoiceStateX", "States": {
              "ChoiceStateX": {"Type": "Choice", "Default": "DefaultState", "Choices": [
                {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
                {"And": [{"Variable": "$.value", "IsPresent": true}, {"Variable": "$.value", "IsNumeric": true},
                         {"Variable": "$.value", "NumericGreaterThanEquals": 20},
                         {"Variable": "$.value", "NumericLessThan": 30}], "Next": "ValueInTwenties"}]},
              "Public": {"Type": "Pass", "Result": "Public", "End": true},
              "ValueInTwenties": {"Type": "Pass", "Result": "ValueInTwenties", "End": true},
              "DefaultState": {"Type": "Pass", "Result": "DefaultState", "End": true}}}""";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\": \"Public\"}                  | Public",
        "{\"type\": \"Private\", \"value\": 25}  | ValueInTwenties",
        "{\"type\": \"Private\", \"value\": 30}  | DefaultState",
        "{\"type\": \"Private\", \"value\": \"25\"} | DefaultState",
        "{\"type\": \"Private\"}                 | DefaultState"})
    void followsTheFirstMatchingRuleOfTheSpecExample(String input, String expectedState) {
        ExecutionDescription done = harness.run(SPEC_EXAMPLE, input);

        assertThat(json(done.output()).asText()).isEqualTo(expectedState);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "StringEquals             | \"abc\"                  | \"abc\"                 | true",
        "StringLessThan           | \"abc\"                  | \"abd\"                 | true",
        "StringGreaterThanEquals  | \"abc\"                  | \"abc\"                 | true",
        "StringMatches            | \"log-2026-01.txt\"      | \"log-*.txt\"           | true",
        "StringMatches            | \"log-2026-01.csv\"      | \"log-*.txt\"           | false",
        "NumericEquals            | 10                       | 10.0                    | true",
        "NumericLessThanEquals    | 9.5                      | 10                      | true",
        "NumericGreaterThan       | \"11\"                   | 10                      | false",
        "BooleanEquals            | true                     | true                    | true",
        "TimestampLessThan        | \"2016-03-14T01:59:00Z\" | \"2016-03-14T02:00:00Z\" | true",
        "TimestampEquals          | \"2016-03-14T01:59:00Z\" | \"2016-03-14T01:59:00.000Z\" | true",
        "IsNull                   | null                     | true                    | true",
        "IsString                 | 1                        | true                    | false",
        "IsBoolean                | false                    | true                    | true",
        "IsTimestamp              | \"2016-03-14T01:59:00Z\" | true                    | true"})
    void comparisonOperatorsBehaveAsSpecified(String operator, String value, String operand, boolean matches) {
        ExecutionDescription done = harness.run("""
                {"StartAt": "C", "States": {
                  "C": {"Type": "Choice", "Default": "No", "Choices": [{"Variable": "$.v", "%s": %s, "Next": "Yes"}]},
                  "Yes": {"Type": "Pass", "Result": true, "End": true},
                  "No": {"Type": "Pass", "Result": false, "End": true}}}""".formatted(operator, operand),
                "{\"v\": " + value + "}");

        assertThat(json(done.output()).asBoolean()).isEqualTo(matches);
    }

    @Test
    void pathComparisonsReadTheOperandFromTheInput() {
        ExecutionDescription done = harness.run("""
                {"StartAt": "C", "States": {
                  "C": {"Type": "Choice", "Default": "No",
                        "Choices": [{"Variable": "$.a", "NumericLessThanPath": "$.b", "Next": "Yes"}]},
                  "Yes": {"Type": "Pass", "Result": "yes", "End": true},
                  "No": {"Type": "Pass", "Result": "no", "End": true}}}""", "{\"a\": 1, \"b\": 2}");

        assertThat(json(done.output()).asText()).isEqualTo("yes");
    }

    @Test
    void noMatchWithoutDefaultFailsWithNoChoiceMatched() {
        // ASL spec, "Choice State": States.NoChoiceMatched when no rule matches and there is no Default.
        ExecutionDescription done = harness.run("""
                {"StartAt": "C", "States": {
                  "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "NumericEquals": 1, "Next": "Yes"}]},
                  "Yes": {"Type": "Succeed"}}}""", "{\"a\": 2}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("States.NoChoiceMatched");
    }

    @Test
    void jsonataConditionPicksTheRuleAndItsOutputAndAssign() {
        // state-choice.html: JSONata rules use Condition and may carry Output and Assign.
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "C", "States": {
                  "C": {"Type": "Choice", "Default": "No", "Choices": [
                    {"Condition": "{% $states.input.n > 10 %}", "Next": "Yes", "Assign": {"big": true},
                     "Output": {"n": "{% $states.input.n %}"}}]},
                  "Yes": {"Type": "Pass", "Output": {"n": "{% $states.input.n %}", "big": "{% $big %}"}, "End": true},
                  "No": {"Type": "Fail", "Error": "Small"}}}""", "{\"n\": 11, \"other\": 1}");

        assertThat(json(done.output())).isEqualTo(json("{\"n\": 11, \"big\": true}"));
    }

    @Test
    void aNonBooleanConditionIsAQueryEvaluationError() {
        ExecutionDescription done = harness.run("""
                {"QueryLanguage": "JSONata", "StartAt": "C", "States": {
                  "C": {"Type": "Choice", "Choices": [{"Condition": "{% 'yes' %}", "Next": "Yes"}]},
                  "Yes": {"Type": "Succeed"}}}""", "{}");

        assertThat(done.error()).isEqualTo("States.QueryEvaluationError");
    }
}
