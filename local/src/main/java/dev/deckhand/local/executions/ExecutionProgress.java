package dev.deckhand.local.executions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Prints an execution's progress as it happens, state by state, from its history (the way the
 * console's event view reads), with the execution's own timings and every failed attempt before a
 * retry. It reads through the Step Functions API, so it follows a local execution and one on AWS
 * alike.
 */
public final class ExecutionProgress {

    private final SfnClient sfn;
    private final PrintWriter out;
    private final Duration poll;

    /**
     * @param poll how often to read the history: a few milliseconds locally; on AWS no more than
     *     a few times a second (GetExecutionHistory is throttled per account)
     */
    public ExecutionProgress(SfnClient sfn, PrintWriter out, Duration poll) {
        this.sfn = sfn;
        this.out = out;
        this.poll = poll;
    }

    /**
     * Follows the execution until it ends, printing each state as it is entered and each failed
     * attempt, and returns its end; after {@code timeout} of real time it stops following (the
     * execution goes on) and returns it still running.
     */
    public DescribeExecutionResponse follow(String executionArn, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        int printed = 0;
        Lines lines = new Lines();
        while (true) {
            DescribeExecutionResponse now = sfn.describeExecution(request -> request.executionArn(executionArn));
            List<HistoryEvent> history = history(executionArn);
            for (; printed < history.size(); printed++) {
                lines.print(history.get(printed), history.get(0).timestamp());
            }
            if (now.status() != ExecutionStatus.RUNNING || Instant.now().isAfter(deadline)) {
                lines.endLoop();
                return now;
            }
            Thread.sleep(poll.toMillis());
        }
    }

    private List<HistoryEvent> history(String executionArn) {
        return sfn.getExecutionHistoryPaginator(request -> request.executionArn(executionArn)).events().stream()
                .toList();
    }

    /**
     * The lines of one execution. A polling loop (a Wait state entered again, with the states
     * between its entries) prints its first round, then one line saying how often it went round
     * and for how long, instead of a line per state per round.
     */
    private final class Lines {
        private final List<String> entered = new ArrayList<>();
        private List<String> loop = List.of();
        private int position;
        private int rounds;
        private String loopStarted;
        private String lastAt;

        void print(HistoryEvent event, Instant start) {
            String at = clock(Duration.between(start, event.timestamp()));
            HistoryEventType type = event.type();
            if (type == HistoryEventType.TASK_STATE_ENTERED || type == HistoryEventType.WAIT_STATE_ENTERED
                    || type == HistoryEventType.SUCCEED_STATE_ENTERED || type == HistoryEventType.FAIL_STATE_ENTERED) {
                entered(event.stateEnteredEventDetails().name(), type == HistoryEventType.WAIT_STATE_ENTERED, at);
            } else if (type == HistoryEventType.TASK_FAILED) {
                endLoop();
                out.printf("      %s    x %s%n", at, failure(event.taskFailedEventDetails().error(),
                        event.taskFailedEventDetails().cause()));
            } else if (type == HistoryEventType.EXECUTION_REDRIVEN) {
                endLoop();
                out.printf("      %s  (redriven)%n", at);
            }
            out.flush();
        }

        private void entered(String state, boolean wait, String at) {
            if (!loop.isEmpty()) {
                if (state.equals(loop.get(position % loop.size()))) {
                    position++;
                    if (position % loop.size() == 0) {
                        rounds++;
                    }
                    lastAt = at;
                    return;
                }
                endLoop();
            }
            lastAt = at;
            int previous = entered.lastIndexOf(state);
            if (wait && previous >= 0) {
                // The same Wait again: the states since its last entry are a polling loop.
                loop = List.copyOf(entered.subList(previous, entered.size()));
                position = 1;
                rounds = 0;
                loopStarted = at;
                return;
            }
            entered.add(state);
            out.printf("      %s  %s%n", at, state);
        }

        /** Closes a polling loop with one line: its states, how many more rounds, from when to when. */
        void endLoop() {
            if (loop.isEmpty()) {
                return;
            }
            int more = rounds + (position % loop.size() == 0 ? 0 : 1);
            out.printf("      %s  ... %s again, %d more round%s (%s to %s)%n", lastAt, String.join(" / ", loop), more,
                    more == 1 ? "" : "s", loopStarted, lastAt);
            loop = List.of();
            out.flush();
        }
    }

    /** AWS's AccessDenied message for an assumed role: its session (the function), the action, the resource. */
    private static final java.util.regex.Pattern DENIED = java.util.regex.Pattern.compile(
            "assumed-role/[^/\\s]+/(\\S+) is not authorized to perform: (\\S+) on resource: (\\S+)");

    /** "HealthCheckPendingException: round 1 of 8: … answered status 503" from a task failure. */
    public static String failure(String error, String cause) {
        String text = cause == null ? "" : cause;
        // A Lambda error is JSON (errorMessage, errorType, stackTrace), on its own or after "<error>: ".
        int json = text.indexOf("{\"errorMessage\"");
        try {
            JsonNode parsed = DeckhandJson.MAPPER.readTree(json < 0 ? text : text.substring(json));
            if (parsed != null && parsed.has("errorMessage")) {
                text = parsed.path("errorMessage").asText();
            }
        } catch (IOException e) {
            // a plain-text cause: shown as it is
        }
        // "dev.deckhand.errors.MigrationFailedException: …" reads as "MigrationFailedException: …".
        text = text.replaceFirst("^(?:[a-z][a-z0-9_]*\\.)+([A-Z]\\w*: )", "$1");
        String name = error == null ? "" : error;
        java.util.regex.Matcher denied = DENIED.matcher(text);
        if (denied.find()) {
            // An IAM denial names function, action and resource in full, however long the cause around it.
            return name.substring(name.lastIndexOf('.') + 1) + ": IAM denied " + denied.group(1) + " "
                    + denied.group(2) + " on " + denied.group(3).replaceAll("[.,;)]+$", "");
        }
        String line = name.substring(name.lastIndexOf('.') + 1) + ": " + text.replaceAll("\\s+", " ");
        return line.length() <= 150 ? line : line.substring(0, 149) + "…";
    }

    /** mm:ss of an elapsed (simulated or real) duration. */
    public static String clock(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        return String.format("%02d:%02d", seconds / 60, seconds % 60);
    }
}
