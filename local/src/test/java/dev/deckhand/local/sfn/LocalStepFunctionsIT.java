package dev.deckhand.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.Eventually;
import dev.deckhand.local.LocalCloud;
import dev.deckhand.local.fault.FaultRule;
import dev.deckhand.statemachine.StateMachineDefinition;
import dev.deckhand.statemachine.StatesError;
import dev.deckhand.statemachine.StepFunctionsEngine;
import dev.deckhand.statemachine.TaskResources;
import dev.deckhand.statemachine.clock.RealTimeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * Every Step Functions operation the local cloud answers, called with the real SDK v2 client over
 * the local cloud's gateway, including the errors the Step Functions API Reference documents.
 */
class LocalStepFunctionsIT {

    private static final String PASS = """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""";

    private final TaskResources resources = new TaskResources();
    private final StepFunctionsEngine engine = new StepFunctionsEngine(new RealTimeClock(), resources,
            LocalCloud.DEFAULT_REGION, LocalCloud.DEFAULT_ACCOUNT);
    private final BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
    private LocalCloud cloud;
    private SfnClient sfn;

    @BeforeEach
    void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false)
                .service(context -> new LocalStepFunctions(engine, context.events())).build().start();
        sfn = client(cloud);
        resources.register("arn:aws:states:::deckhand:callback", invocation -> {
            tokens.add(invocation.taskToken());
            return null;
        });
    }

    @AfterEach
    void stop() {
        sfn.close();
        cloud.close();
    }

    private static SfnClient client(LocalCloud cloud) {
        return SfnClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(config -> config.retryStrategy(RetryMode.STANDARD)).build();
    }

    private String machine(String name, String definition) {
        return engine.createStateMachine(name, StateMachineDefinition.parse(definition));
    }

    /** The execution once it ended, or as it is after 10 s (the caller asserts its status). */
    private DescribeExecutionResponse awaitEnd(String executionArn) {
        return Eventually.poll(() -> sfn.describeExecution(r -> r.executionArn(executionArn)),
                execution -> execution.status() != ExecutionStatus.RUNNING, Duration.ofSeconds(10));
    }

    @Test
    void startAndDescribeExecution() throws Exception {
        String machine = machine("pass", PASS);

        String arn = sfn.startExecution(r -> r.stateMachineArn(machine).name("first").input("{\"a\": 1}")).executionArn();
        DescribeExecutionResponse done = awaitEnd(arn);

        assertThat(arn).isEqualTo("arn:aws:states:us-east-1:000000000000:execution:pass:first");
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.name()).isEqualTo("first");
        assertThat(done.stateMachineArn()).isEqualTo(machine);
        assertThat(done.input()).isEqualTo("{\"a\":1}");
        assertThat(done.output()).isEqualTo("{\"a\":1}");
        assertThat(done.startDate()).isNotNull();
        assertThat(done.stopDate()).isAfterOrEqualTo(done.startDate());
    }

    @Test
    void startExecutionRefusesWhatTheApiReferenceRefuses() {
        String machine = machine("callback", """
                {"StartAt": "T", "States": {"T": {"Type": "Task",
                  "Resource": "arn:aws:states:::deckhand:callback.waitForTaskToken", "End": true}}}""");
        String running = sfn.startExecution(r -> r.stateMachineArn(machine).name("once").input("{}")).executionArn();

        // API_StartExecution: idempotent for a running execution with the same name and input.
        assertThat(sfn.startExecution(r -> r.stateMachineArn(machine).name("once").input("{}")).executionArn())
                .isEqualTo(running);
        assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(machine).name("once").input("{\"x\":1}")))
                .isInstanceOf(ExecutionAlreadyExistsException.class);
        assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(machine).name("bad name?").input("{}")))
                .isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(machine).input("{not json")))
                .isInstanceOf(InvalidExecutionInputException.class);
        assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(machine.replace("callback", "nope"))))
                .isInstanceOf(StateMachineDoesNotExistException.class);
        assertThatThrownBy(() -> sfn.describeExecution(r -> r.executionArn(running.replace("once", "never"))))
                .isInstanceOf(ExecutionDoesNotExistException.class);
        assertThatThrownBy(() -> sfn.describeExecution(r -> r.executionArn("")))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void listExecutionsNewestFirstFilteredAndPaginated() throws Exception {
        String machine = machine("list", PASS);
        for (String name : List.of("one", "two", "three")) {
            awaitEnd(sfn.startExecution(r -> r.stateMachineArn(machine).name(name)).executionArn());
        }
        String failing = machine("failing", """
                {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom"}}}""");
        awaitEnd(sfn.startExecution(r -> r.stateMachineArn(failing).name("boom")).executionArn());

        ListExecutionsResponse first = sfn.listExecutions(r -> r.stateMachineArn(machine).maxResults(2));
        ListExecutionsResponse second = sfn.listExecutions(r -> r.stateMachineArn(machine).maxResults(2)
                .nextToken(first.nextToken()));

        assertThat(first.executions()).extracting(ExecutionListItem::name).containsExactly("three", "two");
        assertThat(second.executions()).extracting(ExecutionListItem::name).containsExactly("one");
        assertThat(second.nextToken()).isNull();
        assertThat(sfn.listExecutions(r -> r.stateMachineArn(failing).statusFilter(ExecutionStatus.FAILED)).executions())
                .extracting(ExecutionListItem::name).containsExactly("boom");
        assertThat(sfn.listExecutions(r -> r.stateMachineArn(failing).statusFilter(ExecutionStatus.SUCCEEDED))
                .executions()).isEmpty();
        assertThatThrownBy(() -> sfn.listExecutions(r -> r.stateMachineArn(machine).nextToken("not-a-token")))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void getExecutionHistoryInOrderReversedAndPaginated() throws Exception {
        String machine = machine("history", PASS);
        String arn = sfn.startExecution(r -> r.stateMachineArn(machine)).executionArn();
        awaitEnd(arn);

        List<HistoryEvent> events = sfn.getExecutionHistory(r -> r.executionArn(arn)).events();
        List<HistoryEvent> reversed = sfn.getExecutionHistory(r -> r.executionArn(arn).reverseOrder(true)).events();
        List<HistoryEvent> paged = sfn.getExecutionHistoryPaginator(r -> r.executionArn(arn).maxResults(1)).events()
                .stream().toList();

        assertThat(events).extracting(HistoryEvent::type).containsExactly(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED,
                HistoryEventType.EXECUTION_SUCCEEDED);
        assertThat(events).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L, 4L);
        assertThat(events.get(1).stateEnteredEventDetails().name()).isEqualTo("P");
        assertThat(reversed).extracting(HistoryEvent::id).containsExactly(4L, 3L, 2L, 1L);
        assertThat(paged).isEqualTo(events);
    }

    @Test
    void stopExecutionAbortsWithTheGivenErrorAndCause() throws Exception {
        String machine = machine("stoppable", """
                {"StartAt": "T", "States": {"T": {"Type": "Task",
                  "Resource": "arn:aws:states:::deckhand:callback.waitForTaskToken", "End": true}}}""");
        String arn = sfn.startExecution(r -> r.stateMachineArn(machine)).executionArn();
        tokens.poll(5, TimeUnit.SECONDS);

        assertThat(sfn.stopExecution(r -> r.executionArn(arn).error("Operator").cause("pressed stop")).stopDate())
                .isNotNull();

        DescribeExecutionResponse stopped = awaitEnd(arn);
        assertThat(stopped.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(stopped.error()).isEqualTo("Operator");
        assertThat(stopped.cause()).isEqualTo("pressed stop");
    }

    @Test
    void redriveContinuesAFailedExecutionAndRefusesASucceededOne() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        resources.register("arn:aws:states:::deckhand:flaky", invocation -> {
            if (calls.incrementAndGet() == 1) {
                throw new StatesError("Flaky.Failure", "first call fails");
            }
            return invocation.arguments();
        });
        String machine = machine("redrive", """
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:flaky", "End": true}}}""");
        String arn = sfn.startExecution(r -> r.stateMachineArn(machine).input("{}")).executionArn();
        assertThat(awaitEnd(arn).status()).isEqualTo(ExecutionStatus.FAILED);

        assertThat(sfn.redriveExecution(r -> r.executionArn(arn)).redriveDate()).isNotNull();

        DescribeExecutionResponse redriven = awaitEnd(arn);
        assertThat(redriven.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(redriven.redriveCount()).isEqualTo(1);
        assertThat(sfn.getExecutionHistory(r -> r.executionArn(arn)).events()).extracting(HistoryEvent::type)
                .contains(HistoryEventType.EXECUTION_REDRIVEN);
        assertThatThrownBy(() -> sfn.redriveExecution(r -> r.executionArn(arn)))
                .isInstanceOf(ExecutionNotRedrivableException.class);
    }

    @Test
    void describeStateMachineAnswersItsDefinition() {
        String machine = machine("described", PASS);

        var described = sfn.describeStateMachine(r -> r.stateMachineArn(machine));

        assertThat(described.name()).isEqualTo("described");
        assertThat(described.definition()).isEqualTo(PASS);
        assertThat(described.typeAsString()).isEqualTo("STANDARD");
        assertThatThrownBy(() -> sfn.describeStateMachine(r -> r.stateMachineArn(machine + "-nope")))
                .isInstanceOf(StateMachineDoesNotExistException.class);
    }

    @Test
    void sendTaskSuccessFailureAndHeartbeatReachTheWaitingTask() throws Exception {
        String machine = machine("callbacks", """
                {"StartAt": "T", "States": {"T": {"Type": "Task",
                  "Resource": "arn:aws:states:::deckhand:callback.waitForTaskToken", "End": true}}}""");
        String succeeding = sfn.startExecution(r -> r.stateMachineArn(machine).name("s")).executionArn();
        String token = tokens.poll(5, TimeUnit.SECONDS);
        sfn.sendTaskHeartbeat(r -> r.taskToken(token));
        sfn.sendTaskSuccess(r -> r.taskToken(token).output("{\"done\": true}"));
        assertThat(awaitEnd(succeeding).output()).isEqualTo("{\"done\":true}");

        String failing = sfn.startExecution(r -> r.stateMachineArn(machine).name("f")).executionArn();
        String second = tokens.poll(5, TimeUnit.SECONDS);
        sfn.sendTaskFailure(r -> r.taskToken(second).error("Rollout.Failed").cause("circuit breaker"));
        DescribeExecutionResponse failed = awaitEnd(failing);
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.error()).isEqualTo("Rollout.Failed");

        assertThatThrownBy(() -> sfn.sendTaskSuccess(r -> r.taskToken(token).output("{}")))
                .isInstanceOf(TaskTimedOutException.class);
        assertThatThrownBy(() -> sfn.sendTaskSuccess(r -> r.taskToken("no-such-token").output("{}")))
                .isInstanceOfAny(TaskDoesNotExistException.class, InvalidTokenException.class);
    }

    @Test
    void statusChangesAreEventBridgeEventsAsStepFunctionsSendsThem() throws Exception {
        String machine = machine("events", PASS);
        String arn = sfn.startExecution(r -> r.stateMachineArn(machine).name("watched")).executionArn();
        awaitEnd(arn);

        List<ObjectNode> changes = cloud.events().events().stream()
                .filter(event -> event.path("detail-type").asText().equals("Step Functions Execution Status Change"))
                .toList();

        assertThat(changes).extracting(event -> event.path("detail").path("status").asText())
                .containsExactly("RUNNING", "SUCCEEDED");
        assertThat(changes).allSatisfy(event -> {
            assertThat(event.path("source").asText()).isEqualTo("aws.states");
            assertThat(event.path("resources").get(0).asText()).isEqualTo(arn);
            assertThat(event.path("detail").path("stateMachineArn").asText()).isEqualTo(machine);
        });
    }

    @Test
    void anOperationTheLocalCloudDoesNotSupportIsAnAwsErrorNotAHang() {
        assertThatThrownBy(() -> sfn.listActivities())
                .isInstanceOfSatisfying(SfnException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
    }

    @Test
    void anAlwaysThrottledOperationIsAThrottlingExceptionAfterTheSdksRetries() {
        String machine = machine("throttled", PASS);
        String arn = sfn.startExecution(r -> r.stateMachineArn(machine)).executionArn();
        cloud.faults().add(FaultRule.throttle("AWSStepFunctions", "DescribeExecution", 1.0));

        assertThatThrownBy(() -> sfn.describeExecution(r -> r.executionArn(arn)))
                .isInstanceOfSatisfying(SfnException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                    assertThat(e.numAttempts()).as("attempts, retries included").isGreaterThan(1);
                });
        cloud.faults().clear();
        assertThat(sfn.describeExecution(r -> r.executionArn(arn)).executionArn()).isEqualTo(arn);
    }
}
