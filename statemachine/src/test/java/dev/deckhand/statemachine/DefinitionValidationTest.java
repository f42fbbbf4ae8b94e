package dev.deckhand.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What CreateStateMachine would reject is rejected before running, naming the state. */
class DefinitionValidationTest {

    private static void rejects(String definition, String... messageParts) {
        assertThatThrownBy(() -> StateMachineDefinition.parse(definition))
                .isInstanceOf(DefinitionException.class)
                .satisfies(e -> {
                    for (String part : messageParts) {
                        assertThat(e.getMessage()).contains(part);
                    }
                });
    }

    @Test
    void acceptsAValidDefinition() {
        StateMachineDefinition definition = StateMachineDefinition.parse(EngineHarness.resource("definitions/health-backoff.asl.json"));

        assertThat(definition.stateNames()).containsExactly("Verify health", "Roll back");
    }

    @Test
    void rejectsAnUnknownField() {
        rejects("""
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Nxt": "B", "End": true}}}""", "\"A\"", "Nxt");
    }

    @Test
    void rejectsAStateWithoutNextOrEnd() {
        rejects("""
                {"StartAt": "A", "States": {"A": {"Type": "Pass"}}}""", "\"A\"", "Next", "End");
    }

    @Test
    void rejectsATransitionToAMissingState() {
        rejects("""
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}""", "\"A\"", "Nowhere");
    }

    @Test
    void rejectsAnUnreachableState() {
        rejects("""
                {"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "Orphan": {"Type": "Succeed"}}}""",
                "\"Orphan\"", "not reachable");
    }

    @Test
    void rejectsAChoiceWithoutRules() {
        rejects("""
                {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [], "Default": "D"},
                  "D": {"Type": "Succeed"}}}""", "\"C\"", "Choices");
    }

    @Test
    void rejectsAChoiceRuleWithoutAnOperator() {
        rejects("""
                {"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "Next": "D"}]},
                  "D": {"Type": "Succeed"}}}""", "\"C\"", "comparison operator");
    }

    @Test
    void rejectsJsonataFieldsInAJsonPathState() {
        rejects("""
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": {}, "End": true}}}""", "\"A\"", "Output");
    }

    @Test
    void rejectsAnUnterminatedJsonataExpression() {
        rejects("""
                {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% 1 + ", "End": true}}}""",
                "\"A\"", "%}");
    }

    @Test
    void rejectsAJsonataSyntaxError() {
        rejects("""
                {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% 1 + %}", "End": true}}}""",
                "\"A\"", "invalid JSONata");
    }

    @Test
    void rejectsStatesAllThatIsNotAloneAndLast() {
        rejects("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "x", "End": true,
                  "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["Other"]}]}}}""", "\"T\"", "States.ALL");
    }

    @Test
    void rejectsDuplicateStateNamesAcrossBranches() {
        rejects("""
                {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Next": "A", "Branches": [
                  {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}]}, "A": {"Type": "Succeed"}}}""",
                "\"A\"", "more than once");
    }

    @Test
    void rejectsAHeartbeatThatIsNotShorterThanTheTimeout() {
        rejects("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "x", "End": true,
                  "TimeoutSeconds": 30, "HeartbeatSeconds": 30}}}""", "\"T\"", "HeartbeatSeconds");
    }

    @Test
    void rejectsADollarKeyWhoseValueIsNotAPathOrIntrinsic() {
        // input-output-inputpath-params.html: a ".$" key takes a path or an intrinsic function.
        rejects("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"a": {"b.$": "not a path"}}, "End": true}}}""",
                "\"P\"", "b.$");
    }

    @Test
    void rejectsInvalidAndReservedVariableNames() {
        rejects("""
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"1st": 1}, "End": true}}}""",
                "\"A\"", "1st");
        rejects("""
                {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"states": 1}, "End": true}}}""",
                "\"A\"", "reserved");
    }

    @Test
    void rejectsInvalidJsonWithAClearMessage() {
        rejects("{\"StartAt\": ", "not valid JSON");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"ErrorEquals\": [\"E\"], \"IntervalSeconds\": 0}   | IntervalSeconds",
        "{\"ErrorEquals\": [\"E\"], \"BackoffRate\": 0.5}     | BackoffRate",
        "{\"ErrorEquals\": [\"E\"], \"JitterStrategy\": \"X\"} | JitterStrategy",
        "{\"ErrorEquals\": []}                                | ErrorEquals"})
    void rejectsInvalidRetriers(String retrier, String field) {
        rejects("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "x", "End": true, "Retry": [%s]}}}"""
                .formatted(retrier), "\"T\"", field);
    }
}
