package dev.deckhand.statemachine.conformance;

import static dev.deckhand.statemachine.EngineHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.statemachine.EngineHarness;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Intrinsic functions with the inputs and outputs of https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html. */
class IntrinsicFunctionsConformanceTest {

    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private ExecutionDescription call(String intrinsic, String input) {
        String escaped = intrinsic.replace("\\", "\\\\").replace("\"", "\\\"");
        return harness.run("""
                {"StartAt": "F", "States": {"F": {"Type": "Pass", "Parameters": {"output.$": "%s"}, "End": true}}}"""
                .formatted(escaped), input);
    }

    private JsonNode output(String intrinsic, String input) {
        ExecutionDescription done = call(intrinsic, input);
        assertThat(done.status()).as("%s: %s", done.error(), done.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        return json(done.output()).get("output");
    }

    @Test
    void formatFillsPlaceholdersInOrder() {
        assertThat(output("States.Format('Hello, my name is {}.', $.name)", "{\"name\": \"Arnav\"}").asText())
                .isEqualTo("Hello, my name is Arnav.");
    }

    @Test
    void stringToJsonAndJsonToStringRoundTrip() {
        assertThat(output("States.StringToJson($.escapedJsonString)", "{\"escapedJsonString\": \"{\\\"foo\\\": \\\"bar\\\"}\"}"))
                .isEqualTo(json("{\"foo\": \"bar\"}"));
        assertThat(output("States.JsonToString($.unescapedJson)", "{\"unescapedJson\": {\"foo\": \"bar\"}}").asText())
                .isEqualTo("{\"foo\":\"bar\"}");
    }

    @Test
    void arrayFunctionsMatchTheDocumentedExamples() {
        String input = "{\"inputArray\": [1,2,3,4,5,6,7,8,9], \"lookingFor\": 5}";
        assertThat(output("States.Array('Foo', 2020, $.lookingFor, null)", input)).isEqualTo(json("[\"Foo\", 2020, 5, null]"));
        assertThat(output("States.ArrayPartition($.inputArray,4)", input)).isEqualTo(json("[[1,2,3,4],[5,6,7,8],[9]]"));
        assertThat(output("States.ArrayContains($.inputArray, $.lookingFor)", input).asBoolean()).isTrue();
        assertThat(output("States.ArrayRange(1, 9, 2)", input)).isEqualTo(json("[1,3,5,7,9]"));
        assertThat(output("States.ArrayGetItem($.inputArray, 5)", input).asInt()).isEqualTo(6);
        assertThat(output("States.ArrayLength($.inputArray)", input).asInt()).isEqualTo(9);
        assertThat(output("States.ArrayUnique($.a)", "{\"a\": [1,2,3,3,3,3,3,3,4]}")).isEqualTo(json("[1,2,3,4]"));
    }

    @Test
    void base64EncodesAndDecodes() {
        assertThat(output("States.Base64Encode($.input)", "{\"input\": \"Data to encode\"}").asText())
                .isEqualTo("RGF0YSB0byBlbmNvZGU=");
        assertThat(output("States.Base64Decode($.base64)", "{\"base64\": \"RGF0YSB0byBlbmNvZGU=\"}").asText())
                .isEqualTo("Data to encode");
    }

    @Test
    void jsonMergeIsShallow() {
        assertThat(output("States.JsonMerge($.json1, $.json2, false)", """
                {"json1": {"a": {"a1": 1, "a2": 2}, "b": 2}, "json2": {"a": {"a3": 1, "a4": 2}, "c": 3}}"""))
                .isEqualTo(json("{\"a\": {\"a3\": 1, \"a4\": 2}, \"b\": 2, \"c\": 3}"));
    }

    @Test
    void mathAddAndMathRandom() {
        assertThat(output("States.MathAdd($.value1, $.step)", "{\"value1\": 111, \"step\": -1}").asInt()).isEqualTo(110);
        int random = output("States.MathRandom($.start, $.end)", "{\"start\": 1, \"end\": 999}").asInt();
        assertThat(random).isBetween(1, 998);
    }

    @Test
    void stringSplitSplitsOnEachDelimiterCharacter() {
        assertThat(output("States.StringSplit($.inputString, $.splitter)", "{\"inputString\": \"1,2,3,4,5\", \"splitter\": \",\"}"))
                .isEqualTo(json("[\"1\",\"2\",\"3\",\"4\",\"5\"]"));
        assertThat(output("States.StringSplit($.inputString, $.splitter)",
                "{\"inputString\": \"This.is+a,test=string\", \"splitter\": \".+,=\"}"))
                .isEqualTo(json("[\"This\",\"is\",\"a\",\"test\",\"string\"]"));
    }

    @Test
    void hashAndUuid() {
        // SHA-1 of "abc" is the FIPS 180-1 test vector.
        assertThat(output("States.Hash($.data, 'SHA-1')", "{\"data\": \"abc\"}").asText())
                .isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
        assertThat(output("States.UUID()", "{}").asText()).hasSize(36);
    }

    @Test
    void nestedCallsAreEvaluatedInsideOut() {
        assertThat(output("States.ArrayLength(States.StringSplit($.s, ','))", "{\"s\": \"a,b,c\"}").asInt()).isEqualTo(3);
    }

    @Test
    void aWrongArgumentFailsWithIntrinsicFailure() {
        ExecutionDescription done = call("States.ArrayLength($.notArray)", "{\"notArray\": 1}");

        assertThat(done.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(done.error()).isEqualTo("States.IntrinsicFailure");
    }

    @Test
    void failStateErrorPathAndCausePathTakeIntrinsics() {
        // state-fail.html: ErrorPath/CausePath accept a reference path or an intrinsic function.
        ExecutionDescription done = harness.run("""
                {"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.code",
                  "CausePath": "States.Format('Service {} is down', $.service)"}}}""",
                "{\"code\": \"Deploy.Failed\", \"service\": \"web\"}");

        assertThat(done.error()).isEqualTo("Deploy.Failed");
        assertThat(done.cause()).isEqualTo("Service web is down");
    }

    @Test
    void mathAddRoundsNonIntegerArgumentsHalfUp() {
        // Observed on AWS (issue 19, recorded executions): non-integer arguments are rounded, each on its own,
        // the way Java's Math.round does (so do LocalStack's AWS-validated snapshots of States.MathAdd).
        assertThat(output("States.MathAdd($.a, $.b)", "{\"a\": 1.5, \"b\": 1.5}").asLong()).isEqualTo(4);
        assertThat(output("States.MathAdd($.a, $.b)", "{\"a\": 2.4, \"b\": -1.5}").asLong()).isEqualTo(1);
        assertThat(output("States.MathAdd($.a, 0.7)", "{\"a\": 10}").asLong()).isEqualTo(11);
        assertThat(call("States.MathAdd($.a, 1)", "{\"a\": \"1\"}").error()).isEqualTo("States.IntrinsicFailure");
    }

    @Test
    void formatRendersObjectsAndArraysAsJavaPrintsThem() {
        // Observed on AWS (issue 19): States.Format renders an object argument as {Arg1=1, Arg2=[]}, i.e. the way
        // Java prints a map of lists; strings inside are not quoted.
        assertThat(output("States.Format('got {}', $.o)", "{\"o\": {\"Arg1\": 1, \"Arg2\": []}}").asText())
                .isEqualTo("got {Arg1=1, Arg2=[]}");
        assertThat(output("States.Format('{} and {}', $.a, $.n)", "{\"a\": [\"x\", 2, true, null], \"n\": {\"k\": {\"s\": \"v\"}}}")
                .asText()).isEqualTo("[x, 2, true, null] and {k={s=v}}");
    }

    @Test
    void arrayContainsFindsANumericLiteral() {
        // intrinsic-functions.html, States.ArrayContains: the documented example looks for 5 in [1..9]; AWS
        // answers true for a literal too (observed, issue 19), whatever the number's JSON spelling.
        String input = "{\"inputArray\": [1,2,3,4,5,6,7,8,9], \"d\": [1.5, {\"n\": [2]}]}";
        assertThat(output("States.ArrayContains($.inputArray, 5)", input).asBoolean()).isTrue();
        assertThat(output("States.ArrayContains($.inputArray, 5.0)", input).asBoolean()).isTrue();
        assertThat(output("States.ArrayContains($.d, 1.50)", input).asBoolean()).isTrue();
        assertThat(output("States.ArrayContains($.inputArray, 10)", input).asBoolean()).isFalse();
        assertThat(output("States.ArrayContains($.inputArray, '5')", input).asBoolean()).isFalse();
    }
}
