package dev.deckhand.aws;

import dev.deckhand.wait.Callbacks;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/** Wakes waiting tasks through Step Functions' SendTaskSuccess. */
public final class SfnCallbacks implements Callbacks {

    private final SfnClient sfn;

    public SfnCallbacks(SfnClient sfn) {
        this.sfn = sfn;
    }

    @Override
    public boolean wake(String token, String output) {
        return AwsCalls.call("SendTaskSuccess", () -> {
            try {
                sfn.sendTaskSuccess(request -> request.taskToken(token).output(output));
                return true;
            } catch (TaskDoesNotExistException | TaskTimedOutException | InvalidTokenException e) {
                // API_SendTaskSuccess: the task ended already (woken before, timed out, execution
                // stopped): a late or duplicate event, nothing to wake.
                return false;
            }
        });
    }
}
