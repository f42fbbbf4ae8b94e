package dev.deckhand.local.cli.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.statemachine.Json;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SfnRunCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private static String fixture(String name) {
        try {
            return Path.of(SfnRunCommandTest.class.getResource("/sfn/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private int execute(String... args) {
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        CommandLine commandLine = new CommandLine(new SfnCommand());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(all.toArray(String[]::new));
    }

    private JsonNode printed() {
        return Json.parse(out.toString());
    }

    @Test
    void printsTheOutputOfASucceededExecution() {
        int exit = execute("--definition", fixture("greet.asl.json"), "--input", fixture("input.json"),
                "--mock", "arn:aws:states:::lambda:invoke=" + fixture("greeted.json"));

        assertThat(exit).isZero();
        assertThat(printed()).isEqualTo(Json.parse("""
                {"status": "SUCCEEDED", "output": {"greeting": "Hello, Ada"}, "error": null, "cause": null}"""));
    }

    @Test
    void aFunctionMockIsWrappedInTheLambdaInvokeResponse() {
        int exit = execute("--definition", fixture("greet.asl.json"), "--input", fixture("input.json"),
                "--mock", "lambda:greeter=" + fixture("greeting-payload.json"));

        assertThat(exit).isZero();
        assertThat(printed().get("output")).isEqualTo(Json.parse("{\"greeting\": \"Hello from the function\"}"));
    }

    @Test
    void aFunctionErrorMockFailsTheTaskWithThatErrorNameSoRetryApplies() {
        int exit = execute("--definition", fixture("greet.asl.json"), "--input", fixture("input.json"),
                "--mock", "lambda:greeter=" + fixture("throttled.json"),
                "--mock", "lambda:greeter=" + fixture("greeting-payload.json"), "--history");

        assertThat(exit).isZero();
        assertThat(printed().get("status").asText()).isEqualTo("SUCCEEDED");
        List<String> errors = new ArrayList<>();
        for (JsonNode event : printed().get("history")) {
            if (event.has("taskFailedEventDetails")) {
                errors.add(event.get("taskFailedEventDetails").get("error").asText());
            }
        }
        assertThat(errors).containsExactly("Lambda.TooManyRequestsException");
    }

    @Test
    void anErrorMockFailsTheTaskAndTheExecutionStillExitsZero() {
        int exit = execute("--definition", fixture("greet.asl.json"), "--input", fixture("input.json"),
                "--mock", "arn:aws:states:::lambda:invoke=" + fixture("boom.json"));

        assertThat(exit).isZero();
        assertThat(printed()).isEqualTo(Json.parse("""
                {"status": "FAILED", "output": null, "error": "Greeting.Failed", "cause": "boom"}"""));
    }

    @Test
    void successiveMocksAnswerRetriesInOrder() {
        int exit = execute("--definition", fixture("greet.asl.json"), "--input", fixture("input.json"),
                "--mock", "arn:aws:states:::lambda:invoke=" + fixture("throttled.json"),
                "--mock", "arn:aws:states:::lambda:invoke=" + fixture("throttled.json"),
                "--mock", "arn:aws:states:::lambda:invoke=" + fixture("greeted.json"), "--history");

        JsonNode result = printed();
        assertThat(exit).isZero();
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        long failures = 0;
        for (JsonNode event : result.get("history")) {
            if (event.get("type").asText().equals("TaskFailed")) {
                failures++;
            }
        }
        assertThat(failures).isEqualTo(2);
    }

    @Test
    void readsTheInputFromStandardInput() {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream("{\"name\": \"Grace\"}".getBytes(StandardCharsets.UTF_8)));
        try {
            int exit = execute("--definition", fixture("greet.asl.json"), "--input", "-",
                    "--mock", "arn:aws:states:::lambda:invoke=" + fixture("greeted.json"));
            assertThat(exit).isZero();
        } finally {
            System.setIn(original);
        }
        assertThat(printed().get("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void anUnmockedResourceFailsTheExecutionWithStatesRuntime() {
        int exit = execute("--definition", fixture("greet.asl.json"), "--input", fixture("input.json"));

        assertThat(exit).isZero();
        assertThat(printed().get("status").asText()).isEqualTo("FAILED");
        assertThat(printed().get("error").asText()).isEqualTo("States.Runtime");
    }

    @Test
    void anInvalidDefinitionIsOneLineOnStderrAndExitTwo() {
        int exit = execute("--definition", fixture("broken.asl.json"), "--input", fixture("input.json"));

        assertThat(exit).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().strip()).doesNotContain("\n").contains("\"Start\"").contains("Missing")
                .doesNotContain("at dev.deckhand");
    }

    @Test
    void badArgumentsExitTwoWithAClearMessage() {
        int missingInput = execute("--definition", fixture("greet.asl.json"), "--input", "/nonexistent/input.json");
        String missingInputMessage = err.toString();
        int badMock = execute("--definition", fixture("greet.asl.json"), "--input", fixture("input.json"),
                "--mock", "no-separator");

        assertThat(missingInput).isEqualTo(2);
        assertThat(missingInputMessage).contains("/nonexistent/input.json").contains("does not exist");
        assertThat(badMock).isEqualTo(2);
        assertThat(err.toString()).contains("--mock must be <resource-arn>=<file.json>");
        assertThat(err.toString().lines().count()).isEqualTo(2);
    }

    @Test
    void helpDocumentsTheErrorMockShape() {
        int exit = execute("--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("{\"Error\": \"Lambda.TooManyRequestsException\"").contains("--mock");
    }
}
