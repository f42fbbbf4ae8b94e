package dev.deckhand.local.executions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * An execution drawn as the console's graph view does: every top-level state of the definition,
 * its transitions (dashed for Catch), and the path the execution took in colour — green for states
 * passed, an orange outline where attempts failed and were retried or caught, red where the
 * execution ended in failure, grey for states never entered. Written as a standalone SVG file.
 */
public final class ExecutionGraph {

    private static final int WIDTH = 270;
    private static final int HEIGHT = 34;
    private static final int GAP_X = 30;
    private static final int GAP_Y = 36;
    private static final int MARGIN = 20;
    private static final int HEADER = 40;

    private record Edge(String from, String to, boolean caught) {
    }

    private record Visit(int entered, int failedAttempts) {
    }

    private final String title;
    private final Map<String, JsonNode> states = new LinkedHashMap<>();
    private final Set<Edge> edges = new LinkedHashSet<>();
    private final Set<List<String>> taken = new LinkedHashSet<>();
    private final Map<String, Visit> visits = new LinkedHashMap<>();
    private final Map<String, int[]> positions = new LinkedHashMap<>();
    private String endedIn;
    private int width;
    private int height;

    private ExecutionGraph(String title) {
        this.title = title;
    }

    /**
     * The graph of {@code definition} (ASL JSON) with the path {@code history} took.
     *
     * @param status the execution's status; a state it ended in is drawn red unless it SUCCEEDED
     */
    public static ExecutionGraph of(String title, String definition, List<HistoryEvent> history, ExecutionStatus status) {
        ExecutionGraph graph = new ExecutionGraph(title);
        JsonNode asl = parse(definition);
        asl.path("States").fields().forEachRemaining(state -> graph.states.put(state.getKey(), state.getValue()));
        graph.states.forEach((name, state) -> graph.addEdges(name, state));
        graph.trace(history);
        if (status != ExecutionStatus.SUCCEEDED && status != ExecutionStatus.RUNNING) {
            graph.endedIn = graph.lastEntered(history);
        }
        graph.layout(asl.path("StartAt").asText());
        return graph;
    }

    /** The graph of an execution, read through the Step Functions API (DescribeExecution, DescribeStateMachine, GetExecutionHistory). */
    public static ExecutionGraph read(SfnClient sfn, String executionArn) {
        DescribeExecutionResponse execution = sfn.describeExecution(request -> request.executionArn(executionArn));
        String definition = sfn.describeStateMachine(request -> request.stateMachineArn(execution.stateMachineArn()))
                .definition();
        List<HistoryEvent> history = sfn.getExecutionHistoryPaginator(request -> request.executionArn(executionArn))
                .events().stream().toList();
        return of(execution.name() + " — " + Outcomes.of(execution), definition, history, execution.status());
    }

    private void addEdges(String name, JsonNode state) {
        addEdge(name, state.path("Next"), false);
        addEdge(name, state.path("Default"), false);
        state.path("Choices").forEach(choice -> addEdge(name, choice.path("Next"), false));
        state.path("Catch").forEach(catcher -> addEdge(name, catcher.path("Next"), true));
    }

    private void addEdge(String from, JsonNode to, boolean caught) {
        if (to.isTextual() && states.containsKey(to.asText())) {
            edges.add(new Edge(from, to.asText(), caught));
        }
    }

    private void trace(List<HistoryEvent> history) {
        String current = null;
        for (HistoryEvent event : history) {
            String type = event.typeAsString();
            if (type.endsWith("StateEntered") && event.stateEnteredEventDetails() != null) {
                String name = event.stateEnteredEventDetails().name();
                if (!states.containsKey(name)) {
                    continue; // a state inside a Parallel or Map branch
                }
                if (current != null) {
                    taken.add(List.of(current, name));
                }
                Visit visit = visits.getOrDefault(name, new Visit(0, 0));
                visits.put(name, new Visit(visit.entered() + 1, visit.failedAttempts()));
                current = name;
            } else if ((event.type() == HistoryEventType.TASK_FAILED || event.type() == HistoryEventType.TASK_TIMED_OUT)
                    && current != null) {
                Visit visit = visits.get(current);
                visits.put(current, new Visit(visit.entered(), visit.failedAttempts() + 1));
            }
        }
    }

    private String lastEntered(List<HistoryEvent> history) {
        String last = null;
        for (HistoryEvent event : history) {
            if (event.typeAsString().endsWith("StateEntered") && event.stateEnteredEventDetails() != null
                    && states.containsKey(event.stateEnteredEventDetails().name())) {
                last = event.stateEnteredEventDetails().name();
            }
        }
        return last;
    }

    /** Ranks states by their distance from StartAt (loops go back up), in the definition's order within a rank. */
    private void layout(String startAt) {
        Map<String, Integer> rank = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        if (states.containsKey(startAt)) {
            rank.put(startAt, 0);
            queue.add(startAt);
        }
        while (!queue.isEmpty()) {
            String state = queue.poll();
            for (Edge edge : edges) {
                if (edge.from().equals(state) && !rank.containsKey(edge.to())) {
                    rank.put(edge.to(), rank.get(state) + 1);
                    queue.add(edge.to());
                }
            }
        }
        int unreachable = rank.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        states.keySet().forEach(state -> rank.putIfAbsent(state, unreachable));
        Map<Integer, Integer> filled = new LinkedHashMap<>();
        int columns = 0;
        int rows = 0;
        for (String state : states.keySet()) {
            int row = rank.get(state);
            int column = filled.merge(row, 1, Integer::sum) - 1;
            columns = Math.max(columns, column + 1);
            rows = Math.max(rows, row + 1);
            positions.put(state, new int[] {MARGIN + column * (WIDTH + GAP_X), HEADER + MARGIN + row * (HEIGHT + GAP_Y)});
        }
        width = 2 * MARGIN + Math.max(1, columns) * (WIDTH + GAP_X) + 60;
        height = HEADER + 2 * MARGIN + Math.max(1, rows) * (HEIGHT + GAP_Y);
    }

    /** The standalone SVG document. */
    public String svg() {
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" "
                + "markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#666\"/>"
                + "</marker><marker id=\"taken\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"5\" "
                + "markerHeight=\"5\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1d7a34\"/>"
                + "</marker></defs>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"").append(MARGIN).append("\" y=\"26\" font-size=\"15\" font-weight=\"bold\">")
                .append(escape(title)).append("</text>\n");
        for (Edge edge : edges) {
            svg.append(edge(edge, taken.contains(List.of(edge.from(), edge.to()))));
        }
        for (Map.Entry<String, int[]> entry : positions.entrySet()) {
            svg.append(node(entry.getKey(), entry.getValue()));
        }
        return svg.append("</svg>\n").toString();
    }

    private String edge(Edge edge, boolean wasTaken) {
        int[] from = positions.get(edge.from());
        int[] to = positions.get(edge.to());
        int x1 = from[0] + WIDTH / 2;
        int y1 = from[1] + HEIGHT;
        int x2 = to[0] + WIDTH / 2;
        int y2 = to[1];
        String path;
        if (y2 > y1) {
            path = "M" + x1 + "," + y1 + " C" + x1 + "," + (y1 + GAP_Y / 2) + " " + x2 + "," + (y2 - GAP_Y / 2) + " "
                    + x2 + "," + y2;
        } else {
            // A loop back up (a Wait-and-check cycle, a retry round): around the right-hand side.
            int side = Math.max(from[0], to[0]) + WIDTH + 25;
            path = "M" + (from[0] + WIDTH) + "," + (from[1] + HEIGHT / 2) + " C" + side + "," + (from[1] + HEIGHT / 2)
                    + " " + side + "," + (to[1] + HEIGHT / 2) + " " + (to[0] + WIDTH) + "," + (to[1] + HEIGHT / 2);
        }
        return "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + (wasTaken ? "#1d7a34" : "#bbb") + "\" stroke-width=\""
                + (wasTaken ? "2.5" : "1") + "\"" + (edge.caught() ? " stroke-dasharray=\"5,4\"" : "")
                + " marker-end=\"url(#" + (wasTaken ? "taken" : "arrow") + ")\"/>\n";
    }

    private String node(String name, int[] at) {
        Visit visit = visits.get(name);
        String fill = "#f4f4f4";
        String stroke = "#ccc";
        String text = "#888";
        if (visit != null) {
            fill = "#d8f0dd";
            stroke = visit.failedAttempts() > 0 ? "#e08a00" : "#1d7a34";
            text = "#111";
        }
        if (name.equals(endedIn)) {
            fill = "#f8d7da";
            stroke = "#b02a37";
        }
        String type = states.get(name).path("Type").asText();
        StringBuilder label = new StringBuilder(name);
        if (visit != null && visit.entered() > 1) {
            label.append("  ×").append(visit.entered());
        }
        String tooltip = type + (visit == null ? ", not entered" : ", entered " + visit.entered() + "×"
                + (visit.failedAttempts() > 0 ? ", " + visit.failedAttempts() + " failed attempt(s)" : ""));
        return "<g><title>" + escape(tooltip) + "</title><rect x=\"" + at[0] + "\" y=\"" + at[1] + "\" width=\"" + WIDTH
                + "\" height=\"" + HEIGHT + "\" rx=\"" + (type.equals("Choice") || type.equals("Wait") ? 17 : 6)
                + "\" fill=\"" + fill + "\" stroke=\"" + stroke + "\" stroke-width=\"" + (visit == null ? 1 : 2) + "\"/>"
                + "<text x=\"" + (at[0] + WIDTH / 2) + "\" y=\"" + (at[1] + HEIGHT / 2 + 4) + "\" text-anchor=\"middle\" "
                + "fill=\"" + text + "\">" + escape(shorten(label.toString())) + "</text></g>\n";
    }

    /** The states the execution entered, in the definition's order (for tests and summaries). */
    public List<String> enteredStates() {
        return new ArrayList<>(visits.keySet());
    }

    private static String shorten(String label) {
        return label.length() <= 42 ? label : label.substring(0, 41) + "…";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static JsonNode parse(String definition) {
        try {
            return DeckhandJson.MAPPER.readTree(definition);
        } catch (IOException e) {
            throw new UncheckedIOException("the state machine definition is not JSON", e);
        }
    }
}
