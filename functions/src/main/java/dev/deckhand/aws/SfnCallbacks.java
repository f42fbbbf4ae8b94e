package dev.deckhand.aws;

import dev.deckhand.json.DeckhandJson;
import dev.deckhand.wait.Callbacks;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Wakes waiting tasks through Step Functions' SendTaskSuccess (the light JSON client: no SFN SDK in the jar). */
public final class SfnCallbacks implements Callbacks {

    // API_SendTaskSuccess: the task ended already (woken before, timed out, execution stopped): a late
    // or duplicate event, nothing to wake.
    private static final String[] TASK_GONE = {"TaskDoesNotExist", "TaskTimedOut", "InvalidToken"};

    private final AwsJsonClient sfn;

    public SfnCallbacks(AwsJsonClient sfn) {
        this.sfn = sfn;
    }

    @Override
    public boolean wake(String token, String output) {
        return AwsCalls.call("SendTaskSuccess", () -> {
            try {
                sfn.call("SendTaskSuccess", DeckhandJson.MAPPER.createObjectNode().put("taskToken", token).put("output", output));
                return true;
            } catch (AwsServiceException e) {
                if (AwsCalls.isError(e, TASK_GONE)) {
                    return false;
                }
                throw e;
            }
        });
    }
}
