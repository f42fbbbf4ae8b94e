package dev.deckhand.hook;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The hook's answer, in the shape ECS reads (lambda-lifecycle-hooks, "hookStatus values"):
 * SUCCEEDED lets the deployment go on, FAILED makes ECS roll it back, IN_PROGRESS makes ECS invoke
 * the hook again after {@code callBackDelay} seconds with {@code hookDetails}.
 *
 * @param reason why, for the log and the tests; not part of what ECS reads
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HookAnswer(String hookStatus, Integer callBackDelay, HookDetails hookDetails,
        @JsonIgnore String reason) {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String IN_PROGRESS = "IN_PROGRESS";

    static HookAnswer succeeded(String reason) {
        return new HookAnswer(SUCCEEDED, null, null, reason);
    }

    static HookAnswer failed(String reason) {
        return new HookAnswer(FAILED, null, null, reason);
    }

    static HookAnswer inProgress(int callBackDelay, HookDetails details, String reason) {
        return new HookAnswer(IN_PROGRESS, callBackDelay, details, reason);
    }
}
