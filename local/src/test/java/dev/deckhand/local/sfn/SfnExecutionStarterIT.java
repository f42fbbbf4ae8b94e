package dev.deckhand.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.aws.AwsClients;
import dev.deckhand.aws.SfnExecutionStarter;
import dev.deckhand.errors.AwsRequestRejectedException;
import dev.deckhand.local.Eventually;
import dev.deckhand.local.LocalCloud;
import dev.deckhand.statemachine.StateMachineDefinition;
import dev.deckhand.statemachine.StepFunctionsEngine;
import dev.deckhand.statemachine.TaskResources;
import dev.deckhand.statemachine.clock.RealTimeClock;
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

/**
 * The promote API's StartExecution (SfnExecutionStarter, through AwsJsonClient: AWS JSON 1.0,
 * {@code AWSStepFunctions.StartExecution}, signed for "states") against the local Step Functions,
 * which routes by the credential scope and the target and validates the request against the SDK's
 * model; the SDK's own SfnClient reads the execution back. API_StartExecution: request
 * stateMachineArn and input, response executionArn; InvalidArn for an ARN that is not one.
 */
class SfnExecutionStarterIT {

    private final StepFunctionsEngine engine = new StepFunctionsEngine(new RealTimeClock(), new TaskResources(),
            LocalCloud.DEFAULT_REGION, LocalCloud.DEFAULT_ACCOUNT);
    private LocalCloud cloud;
    private AwsClients aws;
    private SfnClient sfn;

    @BeforeEach
    void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false)
                .service(context -> new LocalStepFunctions(engine, context.events())).build().start();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        aws = AwsClients.forEndpoint(cloud.endpoint(), Region.of(cloud.region()), credentials);
        sfn = SfnClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void stop() {
        sfn.close();
        cloud.close();
    }

    @Test
    void startsAnExecutionWithTheInputAndReturnsItsArn() {
        String machine = engine.createStateMachine("promote", StateMachineDefinition.parse("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"""));

        String arn = new SfnExecutionStarter(aws.sfn(), machine).start("{\"promotion\":\"main-1\"}");

        DescribeExecutionResponse execution = Eventually.poll(() -> sfn.describeExecution(r -> r.executionArn(arn)),
                described -> described.status() != ExecutionStatus.RUNNING);
        assertThat(execution.stateMachineArn()).isEqualTo(machine);
        assertThat(execution.input()).isEqualTo("{\"promotion\":\"main-1\"}");
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    }

    @Test
    void anArnThatIsNotOneIsRejected() {
        assertThatThrownBy(() -> new SfnExecutionStarter(aws.sfn(), "deployer").start("{}"))
                .isInstanceOf(AwsRequestRejectedException.class)
                .hasMessageStartingWith("StartExecution of deployer was rejected (InvalidArn: ");
    }
}
