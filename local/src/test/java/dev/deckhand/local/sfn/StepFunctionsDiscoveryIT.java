package dev.deckhand.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.local.Eventually;
import dev.deckhand.local.LocalCloud;
import dev.deckhand.statemachine.StateMachineDefinition;
import dev.deckhand.statemachine.StatesError;
import dev.deckhand.statemachine.StepFunctionsEngine;
import dev.deckhand.statemachine.TaskResources;
import dev.deckhand.statemachine.clock.RealTimeClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListStateMachinesResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * What a user looking around with their own client finds: ListStateMachines with its paging,
 * InvalidArn for what is not an ARN, and a redrive's date and count (Step Functions API reference).
 */
class StepFunctionsDiscoveryIT {

    private static final String PASS = """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""";

    private final TaskResources resources = new TaskResources();
    private final StepFunctionsEngine engine = new StepFunctionsEngine(new RealTimeClock(), resources,
            LocalCloud.DEFAULT_REGION, LocalCloud.DEFAULT_ACCOUNT);
    private LocalCloud cloud;
    private SfnClient sfn;

    @BeforeEach
    void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false)
                .service(context -> new LocalStepFunctions(engine, context.events())).build().start();
        sfn = SfnClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void stop() {
        sfn.close();
        cloud.close();
    }

    @Test
    void listStateMachinesPagesEveryMachineByMaxResultsAndNextToken() {
        Instant before = Instant.now().minusSeconds(1);
        for (String name : List.of("deployer", "cleanup", "audit")) {
            engine.createStateMachine(name, StateMachineDefinition.parse(PASS));
        }

        // API_ListStateMachines: "maxResults ... The default is 100 and the maximum allowed page size
        // is 1000"; each item has stateMachineArn, name, type and creationDate.
        List<StateMachineListItem> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListStateMachinesResponse page = sfn.listStateMachines(r -> r.maxResults(2).nextToken(next));
            seen.addAll(page.stateMachines());
            pageSizes.add(page.stateMachines().size());
            token = page.nextToken();
        } while (token != null);

        assertThat(pageSizes).containsExactly(2, 1);
        assertThat(seen).extracting(StateMachineListItem::name).containsExactly("audit", "cleanup", "deployer");
        assertThat(seen).allSatisfy(machine -> {
            assertThat(machine.stateMachineArn()).isEqualTo("arn:aws:states:" + cloud.region() + ":" + cloud.account()
                    + ":stateMachine:" + machine.name());
            assertThat(machine.type()).isEqualTo(StateMachineType.STANDARD);
            assertThat(machine.creationDate()).isAfter(before);
        });
        assertThat(sfn.listStateMachinesPaginator(r -> r.maxResults(1)).stateMachines()).hasSize(3);
        assertThat(sfn.describeStateMachine(r -> r.stateMachineArn(seen.get(0).stateMachineArn())).creationDate())
                .isEqualTo(seen.get(0).creationDate());
    }

    @Test
    void aTokenThatWasNeverIssuedIsInvalidToken() {
        // API_ListStateMachines, Errors: InvalidToken, "The provided token is not valid", HTTP 400.
        assertThatThrownBy(() -> sfn.listStateMachines(r -> r.nextToken("not a token")))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void somethingThatIsNotAnExecutionArnIsInvalidArnNotAMissingExecution() {
        String machine = engine.createStateMachine("arns", StateMachineDefinition.parse(PASS));

        // API_DescribeExecution / API_StartExecution, Errors: "InvalidArn: The provided Amazon Resource
        // Name (ARN) is not valid", HTTP 400.
        assertThatThrownBy(() -> sfn.describeExecution(r -> r.executionArn("not-an-arn")))
                .isInstanceOf(InvalidArnException.class).hasMessageContaining("not-an-arn");
        assertThatThrownBy(() -> sfn.describeExecution(r -> r.executionArn(machine)))
                .isInstanceOf(InvalidArnException.class);
        assertThatThrownBy(() -> sfn.getExecutionHistory(r -> r.executionArn("arn:aws:ecs:us-east-1:1:x")))
                .isInstanceOf(InvalidArnException.class);
        assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn("deployer")))
                .isInstanceOf(InvalidArnException.class);
    }

    @Test
    void aRedrivenExecutionCarriesItsRedriveDateAndCount() {
        AtomicInteger calls = new AtomicInteger();
        resources.register("arn:aws:states:::deckhand:flaky", invocation -> {
            if (calls.incrementAndGet() == 1) {
                throw new StatesError("Flaky.Failure", "first call fails");
            }
            return invocation.arguments();
        });
        String machine = engine.createStateMachine("redriven", StateMachineDefinition.parse("""
                {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::deckhand:flaky", "End": true}}}"""));
        String arn = sfn.startExecution(r -> r.stateMachineArn(machine).input("{}")).executionArn();
        assertThat(awaitEnd(arn).status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(sfn.describeExecution(r -> r.executionArn(arn)).redriveDate()).isNull();

        Instant redriveDate = sfn.redriveExecution(r -> r.executionArn(arn)).redriveDate();

        // API_DescribeExecution: "redriveCount: The number of times you've redriven an execution";
        // "redriveDate: The date the execution was last redriven"; ExecutionListItem has both too.
        DescribeExecutionResponse redriven = awaitEnd(arn);
        assertThat(redriven.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(redriven.redriveCount()).isEqualTo(1);
        assertThat(redriven.redriveDate()).isEqualTo(redriveDate);
        assertThat(sfn.listExecutions(r -> r.stateMachineArn(machine)).executions()).singleElement()
                .satisfies(item -> {
                    assertThat(item.redriveCount()).isEqualTo(1);
                    assertThat(item.redriveDate()).isEqualTo(redriveDate);
                });
    }

    private DescribeExecutionResponse awaitEnd(String executionArn) {
        return Eventually.poll(() -> sfn.describeExecution(r -> r.executionArn(executionArn)),
                execution -> execution.status() != ExecutionStatus.RUNNING);
    }
}
