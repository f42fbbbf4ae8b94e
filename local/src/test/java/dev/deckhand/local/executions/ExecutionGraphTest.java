package dev.deckhand.local.executions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

class ExecutionGraphTest {

    private static final String DEFINITION = """
            {"StartAt": "Deploy", "States": {
              "Deploy": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Healthy?",
                         "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Roll back"}]},
              "Healthy?": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}],
                           "Default": "Roll back"},
              "Roll back": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Rolled back"},
              "Rolled back": {"Type": "Fail", "Error": "Deckhand.RolledBack"},
              "Done": {"Type": "Succeed"}}}""";

    private final List<HistoryEvent> history = new ArrayList<>();

    private void event(HistoryEventType type, String state) {
        HistoryEvent.Builder event = HistoryEvent.builder().id((long) history.size() + 1).type(type)
                .timestamp(Instant.parse("2026-11-23T10:00:00Z").plusSeconds(history.size()));
        if (state != null) {
            event.stateEnteredEventDetails(details -> details.name(state));
        }
        history.add(event.build());
    }

    @Test
    void drawsThePathTakenTheRetriedStateAndWhereTheExecutionEnded() {
        event(HistoryEventType.EXECUTION_STARTED, null);
        event(HistoryEventType.TASK_STATE_ENTERED, "Deploy");
        event(HistoryEventType.TASK_FAILED, null);
        event(HistoryEventType.TASK_STATE_ENTERED, "Roll back");
        event(HistoryEventType.FAIL_STATE_ENTERED, "Rolled back");
        event(HistoryEventType.EXECUTION_FAILED, null);

        ExecutionGraph graph = ExecutionGraph.of("run-1 — ROLLED_BACK", DEFINITION, history, ExecutionStatus.FAILED);
        String svg = graph.svg();

        assertThat(graph.enteredStates()).containsExactly("Deploy", "Roll back", "Rolled back");
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>\n")
                .contains("run-1 — ROLLED_BACK");
        // Five states, five transitions (Next, Choice, Default, Catch, Next), two of them taken.
        assertThat(svg.split("<g><title>", -1)).hasSize(6);
        assertThat(svg.split("<path class=\"(un)?taken\" d=\"M\\d+,\\d+( L\\d+,\\d+)+\"", -1)).hasSize(6);
        assertThat(svg.split("marker-end=\"url\\(#taken\\)\"", -1)).hasSize(3);
        assertThat(node(svg, "Deploy")).contains("stroke=\"#e08a00\"").contains("1 failed attempt");
        assertThat(node(svg, "Rolled back")).contains("fill=\"#f8d7da\"");
        assertThat(node(svg, "Done")).contains("not entered").contains("fill=\"#f4f4f4\"");
    }

    @Test
    void laysOutTopToBottomWithEndStatesAtTheBottomTheTakenPathOnTopAndALegend() {
        event(HistoryEventType.EXECUTION_STARTED, null);
        event(HistoryEventType.TASK_STATE_ENTERED, "Deploy");
        event(HistoryEventType.TASK_FAILED, null);
        event(HistoryEventType.TASK_STATE_ENTERED, "Roll back");
        event(HistoryEventType.FAIL_STATE_ENTERED, "Rolled back");

        String svg = ExecutionGraph.of("storefront/dev tag main-2 — ROLLED_BACK", DEFINITION, history,
                ExecutionStatus.FAILED).svg();

        // Top to bottom: every transition but a loop goes down; the end states share the last row.
        assertThat(y(svg, "Deploy")).isLessThan(y(svg, "Healthy?"));
        assertThat(y(svg, "Healthy?")).isLessThan(y(svg, "Roll back"));
        assertThat(y(svg, "Done")).isEqualTo(y(svg, "Rolled back")).isGreaterThan(y(svg, "Roll back"));
        // The taken path is drawn after every state, so no state it did not enter can hide it.
        int lastState = svg.lastIndexOf("<g><title>");
        assertThat(svg.indexOf("<path class=\"taken\"")).isGreaterThan(lastState);
        assertThat(svg.lastIndexOf("<path class=\"untaken\"")).isLessThan(svg.indexOf("<g><title>"));
        assertThat(svg).contains("storefront/dev tag main-2 — ROLLED_BACK")
                .contains("<g class=\"legend\"").contains(">entered</text>").contains(">retried (failed attempts)</text>")
                .contains(">where it ended (failed)</text>").contains(">not entered</text>").contains(">path taken</text>")
                .contains(">on error (Catch)</text>");
    }

    /** The top of a state's box. */
    private static int y(String svg, String name) {
        java.util.regex.Matcher box = java.util.regex.Pattern.compile("<rect x=\"\\d+\" y=\"(\\d+)\"")
                .matcher(node(svg, name));
        assertThat(box.find()).isTrue();
        return Integer.parseInt(box.group(1));
    }

    @Test
    void escapesNamesThatWouldBreakTheDocument() {
        String definition = """
                {"StartAt": "A <b> & \\"c\\"", "States": {"A <b> & \\"c\\"": {"Type": "Succeed"}}}""";

        String svg = ExecutionGraph.of("<script>", definition, List.of(), ExecutionStatus.SUCCEEDED).svg();

        assertThat(svg).contains("A &lt;b&gt; &amp; &quot;c&quot;").contains("&lt;script&gt;").doesNotContain("<script>");
    }

    private static String node(String svg, String name) {
        int text = svg.indexOf(">" + name + "</text>");
        assertThat(text).as("node %s", name).isPositive();
        return svg.substring(svg.lastIndexOf("<g>", text), text);
    }
}
