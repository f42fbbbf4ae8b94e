package dev.deckhand.local.executions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.local.LocalCloud;
import dev.deckhand.local.sfn.LocalStepFunctions;
import dev.deckhand.statemachine.StateMachineDefinition;
import dev.deckhand.statemachine.StepFunctionsEngine;
import dev.deckhand.statemachine.TaskResources;
import dev.deckhand.statemachine.clock.RealTimeClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExecutionProgressIT {

    private static final String LAMBDA_ERROR = "{\"errorMessage\":\"migration exited with code 1\","
            + "\"errorType\":\"dev.deckhand.errors.MigrationFailedException\",\"stackTrace\":[\"a.B.c(B.java:47)\"]}";

    @Test
    void aFailureIsOneLineWithTheErrorsShortNameAndItsMessageNeverAStackTrace() {
        assertThat(ExecutionProgress.failure("dev.deckhand.errors.MigrationFailedException", LAMBDA_ERROR))
                .isEqualTo("MigrationFailedException: migration exited with code 1");
        assertThat(ExecutionProgress.failure("Deckhand.DeploymentFailed",
                "dev.deckhand.errors.MigrationFailedException: " + LAMBDA_ERROR))
                .isEqualTo("DeploymentFailed: migration exited with code 1");
        assertThat(ExecutionProgress.failure("States.Timeout", "the task   timed\nout"))
                .isEqualTo("Timeout: the task timed out");
        assertThat(ExecutionProgress.failure(null, null)).isEqualTo(": ");
        assertThat(ExecutionProgress.failure("E", "x".repeat(400))).hasSize(150).endsWith("…");
    }

    @Test
    void anIamDenialNamesTheFunctionTheActionAndTheResourceInFullHoweverLongTheCause() {
        String cause = "dev.deckhand.errors.DeploymentFailedException: RegisterTaskDefinition for family "
                + "billing-worker-staging was rejected: User: arn:aws:sts::000000000000:assumed-role/"
                + "deckhand-DeployRole/deckhand-deploy-ecs is not authorized to perform: iam:PassRole on resource: "
                + "arn:aws:iam::123456789012:role/someone-elses-execution because no identity-based policy allows "
                + "the iam:PassRole action (Service: Ecs, Status Code: 400, Request ID: 1234)";

        assertThat(ExecutionProgress.failure("Deckhand.DeploymentFailed", cause)).isEqualTo("DeploymentFailed: IAM denied "
                + "deckhand-deploy-ecs iam:PassRole on arn:aws:iam::123456789012:role/someone-elses-execution");
    }

    @Test
    void aFailureNamesTheErrorClassShortlyWhenTheCauseStartsWithIt() {
        assertThat(ExecutionProgress.failure("Deckhand.DeploymentFailed",
                "dev.deckhand.errors.MigrationFailedException: migration exited with code 1"))
                .isEqualTo("DeploymentFailed: MigrationFailedException: migration exited with code 1");
    }

    @Test
    void aPollingLoopPrintsItsFirstRoundThenOneLineInsteadOfALinePerStatePerRound() throws Exception {
        TaskResources resources = new TaskResources();
        AtomicInteger checks = new AtomicInteger();
        resources.register("arn:aws:states:::deckhand:check", invocation -> {
            ObjectNode answer = DeckhandJson.MAPPER.createObjectNode();
            answer.put("done", checks.incrementAndGet() >= 40);
            return answer;
        });
        StepFunctionsEngine engine = new StepFunctionsEngine(new RealTimeClock(), resources,
                LocalCloud.DEFAULT_REGION, LocalCloud.DEFAULT_ACCOUNT);
        String machine = engine.createStateMachine("loop", StateMachineDefinition.parse("""
                {"StartAt": "Start", "States": {
                  "Start": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:check", "ResultPath": null, "Next": "Wait for it"},
                  "Wait for it": {"Type": "Wait", "Seconds": 0, "Next": "Check it"},
                  "Check it": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:check", "Next": "Done?"},
                  "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "Done"}],
                            "Default": "Wait for it"},
                  "Done": {"Type": "Succeed"}}}"""));
        try (LocalCloud cloud = LocalCloud.builder().port(0).dynamoDb(false)
                .service(context -> new LocalStepFunctions(engine, context.events())).build().start();
             SfnClient sfn = SfnClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            StringWriter text = new StringWriter();
            String arn = sfn.startExecution(r -> r.stateMachineArn(machine).input("{}")).executionArn();

            new ExecutionProgress(sfn, new PrintWriter(text), Duration.ofMillis(5)).follow(arn, Duration.ofSeconds(30));

            // Start, then 39 rounds of Wait / Check: the first is printed, the other 38 are one line.
            assertThat(text.toString().lines().map(line -> line.substring(13)).toList()).satisfiesExactly(
                    line -> assertThat(line).isEqualTo("Start"),
                    line -> assertThat(line).isEqualTo("Wait for it"),
                    line -> assertThat(line).isEqualTo("Check it"),
                    line -> assertThat(line).matches("\\.\\.\\. Wait for it / Check it again, 38 more rounds "
                            + "\\(\\d\\d:\\d\\d to \\d\\d:\\d\\d\\)"),
                    line -> assertThat(line).isEqualTo("Done"));
        }
    }

    @Test
    void clockShowsMinutesAndSeconds() {
        assertThat(ExecutionProgress.clock(Duration.ofSeconds(203))).isEqualTo("03:23");
        assertThat(ExecutionProgress.clock(Duration.ZERO)).isEqualTo("00:00");
    }
}
