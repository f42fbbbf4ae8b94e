package dev.deckhand.aws;

import dev.deckhand.promote.ExecutionStarter;
import software.amazon.awssdk.services.sfn.SfnClient;

/** Starts deployer executions through Step Functions' StartExecution. */
public final class SfnExecutionStarter implements ExecutionStarter {

    private final SfnClient sfn;
    private final String stateMachineArn;

    public SfnExecutionStarter(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public String start(String input) {
        return AwsCalls.call("StartExecution of " + stateMachineArn, () -> sfn.startExecution(request -> request
                .stateMachineArn(stateMachineArn).input(input))).executionArn();
    }
}
