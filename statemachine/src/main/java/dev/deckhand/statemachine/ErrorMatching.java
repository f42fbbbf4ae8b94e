package dev.deckhand.statemachine;

import java.util.List;

/**
 * How ErrorEquals matches an error name
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-error-representation):
 * {@code States.ALL} matches any error; {@code States.TaskFailed} any error except
 * {@code States.Timeout}; {@code States.Timeout} also covers a heartbeat timeout;
 * {@code States.Runtime} and {@code States.DataLimitExceeded} are terminal and never matched.
 */
final class ErrorMatching {

    private ErrorMatching() {
    }

    static boolean matches(List<String> errorEquals, String error) {
        if (StatesError.RUNTIME.equals(error) || StatesError.DATA_LIMIT_EXCEEDED.equals(error)) {
            return false;
        }
        boolean timeout = StatesError.TIMEOUT.equals(error) || StatesError.HEARTBEAT_TIMEOUT.equals(error);
        for (String name : errorEquals) {
            if (name.equals(error) || name.equals(StatesError.ALL)) {
                return true;
            }
            if (name.equals(StatesError.TASK_FAILED) && !timeout) {
                return true;
            }
            if (name.equals(StatesError.TIMEOUT) && timeout) {
                return true;
            }
        }
        return false;
    }

    /** The index of the first retrier whose ErrorEquals matches, or -1 (spec: only that retrier applies). */
    static int firstMatch(List<State.Retrier> retriers, String error) {
        for (int i = 0; i < retriers.size(); i++) {
            if (matches(retriers.get(i).errorEquals(), error)) {
                return i;
            }
        }
        return -1;
    }

    static State.Catcher firstCatcher(List<State.Catcher> catchers, String error) {
        for (State.Catcher catcher : catchers) {
            if (matches(catcher.errorEquals(), error)) {
                return catcher;
            }
        }
        return null;
    }
}
