package dev.deckhand.local.executions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.elk.alg.layered.options.LayerConstraint;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;
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
    private static final int HEADER = 52;
    private static final int LEGEND_HEIGHT = 50;
    private static final int LEGEND_WIDTH = 560;

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
    private final Map<Edge, List<int[]>> routes = new LinkedHashMap<>();
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
        // Titled with the deployment it served (service/environment, tag), the execution name after it.
        String serves = DeploymentContext.of(history).describe();
        return of((serves.isEmpty() ? "" : serves + " — ") + Outcomes.of(execution) + "  (execution " + execution.name()
                + ")", definition, history, execution.status());
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

    /**
     * Lays the states out with the Eclipse Layout Kernel's layered algorithm, top to bottom, with
     * the end states (Succeed, Fail) in the last layer and orthogonal edges routed around the boxes.
     * Deckhand keeps only the styling.
     */
    private void layout(String startAt) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.DOWN);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
        root.setProperty(CoreOptions.SPACING_NODE_NODE, (double) GAP_X);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, (double) GAP_Y);
        root.setProperty(LayeredOptions.SPACING_EDGE_NODE_BETWEEN_LAYERS, 12.0);
        root.setProperty(CoreOptions.PADDING, new ElkPadding(0));
        Map<String, ElkNode> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> state : states.entrySet()) {
            ElkNode node = ElkGraphUtil.createNode(root);
            node.setIdentifier(state.getKey());
            node.setDimensions(WIDTH, HEIGHT);
            String type = state.getValue().path("Type").asText();
            if (type.equals("Succeed") || type.equals("Fail")) {
                node.setProperty(LayeredOptions.LAYERING_LAYER_CONSTRAINT, LayerConstraint.LAST);
            } else if (state.getKey().equals(startAt)) {
                node.setProperty(LayeredOptions.LAYERING_LAYER_CONSTRAINT, LayerConstraint.FIRST);
            }
            nodes.put(state.getKey(), node);
        }
        Map<Edge, ElkEdge> laid = new LinkedHashMap<>();
        edges.forEach(edge -> laid.put(edge, ElkGraphUtil.createSimpleEdge(nodes.get(edge.from()), nodes.get(edge.to()))));
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        int top = HEADER + MARGIN;
        nodes.forEach((name, node) -> positions.put(name,
                new int[] {MARGIN + (int) Math.round(node.getX()), top + (int) Math.round(node.getY())}));
        laid.forEach((edge, elk) -> {
            List<int[]> points = new ArrayList<>();
            for (ElkEdgeSection section : elk.getSections()) {
                points.add(new int[] {MARGIN + (int) Math.round(section.getStartX()), top + (int) Math.round(section.getStartY())});
                section.getBendPoints().forEach(bend -> points.add(new int[] {MARGIN + (int) Math.round(bend.getX()),
                        top + (int) Math.round(bend.getY())}));
                points.add(new int[] {MARGIN + (int) Math.round(section.getEndX()), top + (int) Math.round(section.getEndY())});
            }
            routes.put(edge, points);
        });
        width = Math.max(2 * MARGIN + (int) Math.ceil(root.getWidth()), LEGEND_WIDTH);
        height = top + (int) Math.ceil(root.getHeight()) + MARGIN + LEGEND_HEIGHT;
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
        // Untaken edges first, then the states, then the path taken on top: a taken edge is never
        // hidden behind a state it did not enter.
        for (Edge edge : edges) {
            if (!wasTaken(edge)) {
                svg.append(edge(edge, false));
            }
        }
        for (Map.Entry<String, int[]> entry : positions.entrySet()) {
            svg.append(node(entry.getKey(), entry.getValue()));
        }
        for (Edge edge : edges) {
            if (wasTaken(edge)) {
                svg.append(edge(edge, true));
            }
        }
        svg.append(legend());
        return svg.append("</svg>\n").toString();
    }

    /**
     * Whether the execution went along this edge. When a state both continues and catches to the
     * same next state, the history cannot tell which one it was: the normal transition is shown.
     */
    private boolean wasTaken(Edge edge) {
        return taken.contains(List.of(edge.from(), edge.to()))
                && !(edge.caught() && edges.contains(new Edge(edge.from(), edge.to(), false)));
    }

    private String edge(Edge edge, boolean wasTaken) {
        StringBuilder path = new StringBuilder();
        for (int[] point : routes.get(edge)) {
            path.append(path.length() == 0 ? "M" : " L").append(point[0]).append(',').append(point[1]);
        }
        return "<path class=\"" + (wasTaken ? "taken" : "untaken") + "\" d=\"" + path + "\" fill=\"none\" stroke=\""
                + (wasTaken ? "#1d7a34" : "#bbb") + "\" stroke-width=\"" + (wasTaken ? "2.5" : "1") + "\""
                + (edge.caught() ? " stroke-dasharray=\"5,4\"" : "")
                + " marker-end=\"url(#" + (wasTaken ? "taken" : "arrow") + ")\"/>\n";
    }

    /** What the colours and lines mean, along the bottom. */
    private String legend() {
        int y = height - LEGEND_HEIGHT + 6;
        StringBuilder legend = new StringBuilder("<g class=\"legend\" font-size=\"11\" fill=\"#333\">");
        int x = MARGIN;
        x = legendBox(legend, x, y, "#d8f0dd", "#1d7a34", "entered");
        x = legendBox(legend, x, y, "#d8f0dd", "#e08a00", "retried (failed attempts)");
        x = legendBox(legend, x, y, "#f8d7da", "#b02a37", "where it ended (failed)");
        legendBox(legend, x, y, "#f4f4f4", "#ccc", "not entered");
        int y2 = y + 22;
        legend.append("<path d=\"M").append(MARGIN).append(',').append(y2 + 6).append(" L").append(MARGIN + 30).append(',')
                .append(y2 + 6).append("\" stroke=\"#1d7a34\" stroke-width=\"2.5\"/><text x=\"").append(MARGIN + 36)
                .append("\" y=\"").append(y2 + 10).append("\">path taken</text>");
        legend.append("<path d=\"M").append(MARGIN + 130).append(',').append(y2 + 6).append(" L").append(MARGIN + 160)
                .append(',').append(y2 + 6).append("\" stroke=\"#bbb\"/><text x=\"").append(MARGIN + 166).append("\" y=\"")
                .append(y2 + 10).append("\">not taken</text>");
        legend.append("<path d=\"M").append(MARGIN + 250).append(',').append(y2 + 6).append(" L").append(MARGIN + 280)
                .append(',').append(y2 + 6).append("\" stroke=\"#888\" stroke-dasharray=\"5,4\"/><text x=\"")
                .append(MARGIN + 286).append("\" y=\"").append(y2 + 10).append("\">on error (Catch)</text>");
        return legend.append("</g>\n").toString();
    }

    private static int legendBox(StringBuilder legend, int x, int y, String fill, String stroke, String label) {
        legend.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"18\" height=\"12\" rx=\"3\" fill=\"")
                .append(fill).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"2\"/><text x=\"")
                .append(x + 24).append("\" y=\"").append(y + 10).append("\">").append(escape(label)).append("</text>");
        return x + 36 + label.length() * 6;
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
