package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.errors.AwsRequestRejectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Step Functions StartExecution through AwsJsonClient: AWS JSON 1.0 (the version the SDK's
 * SfnClient sends), target {@code AWSStepFunctions.StartExecution}, signed for "states".
 * API_StartExecution: request stateMachineArn and input, response executionArn and startDate;
 * ExecutionAlreadyExists (400) for a name in use with other input.
 */
class SfnExecutionStarterTest {

    private static final String MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:deckhand-deployer";

    private final LoopbackAwsService sfn = new LoopbackAwsService();

    @AfterEach
    void stop() {
        sfn.close();
    }

    @Test
    void startsTheDeployerWithTheInputAndReturnsTheExecutionArn() {
        sfn.answer(200, "{\"executionArn\":\"" + MACHINE.replace("stateMachine", "execution") + ":e1\","
                + "\"startDate\":1765022400.5}");

        String arn = new SfnExecutionStarter(sfn.clients().sfn(), MACHINE).start("{\"tag\":\"main-1\"}");

        assertThat(arn).isEqualTo("arn:aws:states:eu-west-1:123456789012:execution:deckhand-deployer:e1");
        LoopbackAwsService.Request request = sfn.requests().get(0);
        assertThat(request.target()).isEqualTo("AWSStepFunctions.StartExecution");
        assertThat(request.contentType()).isEqualTo("application/x-amz-json-1.0");
        assertThat(request.authorization()).contains("/eu-west-1/states/aws4_request");
        assertThat(request.json().toString())
                .isEqualTo("{\"stateMachineArn\":\"" + MACHINE + "\",\"input\":\"{\\\"tag\\\":\\\"main-1\\\"}\"}");
    }

    @Test
    void aRefusalIsRejectedWithTheServicesWords() {
        sfn.answer(400, "{\"__type\":\"com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists\","
                + "\"message\":\"Execution Already Exists\"}");

        assertThatThrownBy(() -> new SfnExecutionStarter(sfn.clients().sfn(), MACHINE).start("{}"))
                .isInstanceOf(AwsRequestRejectedException.class)
                .hasMessage("StartExecution of " + MACHINE + " was rejected (ExecutionAlreadyExists: Execution Already Exists)");
        assertThat(sfn.requests()).hasSize(1);
    }
}
