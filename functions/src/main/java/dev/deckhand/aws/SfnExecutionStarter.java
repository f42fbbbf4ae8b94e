package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.promote.ExecutionStarter;

/**
 * Starts deployer executions through Step Functions' StartExecution (API_StartExecution: request
 * stateMachineArn and input; response executionArn), sent through {@link AwsJsonClient}
 * ({@code AWSStepFunctions.StartExecution}, AWS JSON 1.0).
 */
public final class SfnExecutionStarter implements ExecutionStarter {

    private final AwsJsonClient sfn;
    private final String stateMachineArn;

    public SfnExecutionStarter(AwsJsonClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public String start(String input) {
        JsonNode arn = AwsCalls.call("StartExecution of " + stateMachineArn, () -> sfn.call("StartExecution",
                DeckhandJson.MAPPER.createObjectNode().put("stateMachineArn", stateMachineArn).put("input", input)))
                .get("executionArn");
        return arn == null || arn.isNull() ? null : arn.asText();
    }
}
