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

    /** Each "…Path" form against an operand read from the input, per type (state-choice.html, Choice Rules (JSONPath): "append Path to the name of supported comparison operators"). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "StringEqualsPath               | \"abc\"                  | \"abc\"                  | true",
        "StringGreaterThanPath          | \"abc\"                  | \"abd\"                  | false",
        "NumericGreaterThanEqualsPath   | 2                        | 2.0                      | true",
        "NumericEqualsPath              | 2                        | \"2\"                    | false",
        "BooleanEqualsPath              | false                    | false                    | true",
        "BooleanEqualsPath              | false                    | \"false\"                | false",
        "TimestampGreaterThanPath       | \"2016-03-14T02:00:00Z\" | \"2016-03-14T01:59:00Z\" | true",
        "TimestampLessThanEqualsPath    | \"2016-03-14T02:00:00Z\" | \"not a timestamp\"      | false"})
    void pathOperandsCompareByTheirTypeAsLiteralsDo(String operator, String value, String operand, boolean matches) {
        ExecutionDescription done = harness.run("""
                {"StartAt": "C", "States": {
                  "C": {"Type": "Choice", "Default": "No", "Choices": [{"Variable": "$.v", "%s": "$.o", "Next": "Yes"}]},
                  "Yes": {"Type": "Pass", "Result": true, "End": true},
                  "No": {"Type": "Pass", "Result": false, "End": true}}}""".formatted(operator),
                "{\"v\": " + value + ", \"o\": " + operand + "}");

        assertThat(json(done.output()).asBoolean()).isEqualTo(matches);
    }

    @Test
    void nestedAndOrNotCombineAsBooleanOperators() {
        // ASL spec, "Choice Rules": And/Or take non-empty arrays of rules, Not a single rule, nested freely.
        String definition = """
                {"StartAt": "C", "States": {
                  "C": {"Type": "Choice", "Default": "No", "Choices": [{"Or": [
                      {"And": [{"Variable": "$.a", "NumericGreaterThan": 0}, {"Not": {"Variable": "$.b", "StringEquals": "x"}}]},
                      {"Variable": "$.c", "BooleanEquals": true}], "Next": "Yes"}]},
                  "Yes": {"Type": "Pass", "Result": true, "End": true},
                  "No": {"Type": "Pass", "Result": false, "End": true}}}""";

        assertThat(json(harness.run(definition, "{\"a\": 1, \"b\": \"y\", \"c\": false}").output()).asBoolean()).isTrue();
        assertThat(json(harness.run(definition, "{\"a\": 1, \"b\": \"x\", \"c\": false}").output()).asBoolean()).isFalse();
        assertThat(json(harness.run(definition, "{\"a\": 0, \"b\": \"x\", \"c\": true}").output()).asBoolean()).isTrue();
    }

    @Test
    void isPresentGuardsALaterComparisonInTheSameAnd() {
        // state-choice.html, Choice Rules (JSONPath): in its And example the StringEquals rule "is only evaluated
        // if $.keyThatMightNotExist exists because of the preceding IsPresent Choice Rule".
        ExecutionDescription done = harness.run("""
                {"StartAt": "C", "States": {
                  "C": {"Type": "Choice", "Default": "No", "Choices": [{"And": [
                      {"Variable": "$.keyThatMightNotExist", "IsPresent": true},
                      {"Variable": "$.keyThatMightNotExist", "StringEquals": "foo"}], "Next": "Yes"}]},
                  "Yes": {"Type": "Pass", "Result": true, "End": true},
                  "No": {"Type": "Pass", "Result": false, "End": true}}}""", "{}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(done.output()).asBoolean()).isFalse();
    }

    @Test
    void aMissingVariableOrOperandPathFailsWithStatesRuntime() {
        // The engine's behaviour before rules were parsed at load, kept: only IsPresent tolerates a missing
        // Variable (state-choice.html: IsPresent is how a rule guards against a missing field); a Variable or
        // a …Path operand that matches nothing fails the execution with States.Runtime, naming the field.
        ExecutionDescription missingVariable = harness.run("""
                {"StartAt": "C", "States": {
                  "C": {"Type": "Choice", "Default": "D", "Choices": [{"Variable": "$.nope", "IsNull": false, "Next": "D"}]},
                  "D": {"Type": "Succeed"}}}""", "{}");
        ExecutionDescription missingOperand = harness.run("""
                {"StartAt": "C", "States": {
                  "C": {"Type": "Choice", "Default": "D", "Choices": [{"Variable": "$.a", "NumericEqualsPath": "$.nope", "Next": "D"}]},
                  "D": {"Type": "Succeed"}}}""", "{\"a\": 1}");

        assertThat(missingVariable.error()).isEqualTo("States.Runtime");
        assertThat(missingVariable.cause()).contains("'$.nope'").contains("'Variable'");
        assertThat(missingOperand.error()).isEqualTo("States.Runtime");
        assertThat(missingOperand.cause()).contains("'$.nope'").contains("'NumericEqualsPath'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"a*b\"        | \"a\\\\*b\"  | true",
        "\"axxb\"       | \"a\\\\*b\"  | false",
        "\"a.b\"        | \"a.b\"        | true",
        "\"axb\"        | \"a.b\"        | false",
        "\"anything\"   | \"*\"          | true"})
    void stringMatchesTreatsOnlyTheStarAsAWildcard(String value, String pattern, boolean matches) {
        // ASL spec, "Choice Rules", StringMatches: "*" matches zero or more characters, "\\*" a literal star;
        // every other character (here ".") is literal.
        ExecutionDescription done = harness.run("""
                {"StartAt": "C", "States": {
                  "C": {"Type": "Choice", "Default": "No", "Choices": [{"Variable": "$.v", "StringMatches": %s, "Next": "Yes"}]},
                  "Yes": {"Type": "Pass", "Result": true, "End": true},
                  "No": {"Type": "Pass", "Result": false, "End": true}}}""".formatted(pattern), "{\"v\": " + value + "}");

        assertThat(json(done.output()).asBoolean()).isEqualTo(matches);
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
