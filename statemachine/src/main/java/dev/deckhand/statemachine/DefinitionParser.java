package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.jsonata.JsonataExpressions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates an ASL document the way CreateStateMachine does and builds the interpreter's model.
 * Field sets per state type and query language follow the state pages of the developer guide
 * (https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html) and
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html.
 */
final class DefinitionParser {

    private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");
    private static final java.util.regex.Pattern VARIABLE_NAME =
            java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> JSONPATH_ONLY = Set.of("InputPath", "OutputPath", "Parameters",
            "ResultSelector", "ResultPath", "Result", "ItemsPath", "SecondsPath", "TimestampPath", "ErrorPath",
            "CausePath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "MaxConcurrencyPath");
    private static final Set<String> JSONATA_ONLY = Set.of("Arguments", "Output", "Items");
    private static final Set<String> DISTRIBUTED_ONLY = Set.of("ItemReader", "ItemBatcher", "ResultWriter", "Label");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Pass", Set.of("Next", "End", "Assign", "InputPath", "OutputPath", "Parameters", "ResultPath", "Result",
                    "Output"),
            "Task", Set.of("Resource", "Next", "End", "Retry", "Catch", "TimeoutSeconds", "HeartbeatSeconds",
                    "Assign", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath",
                    "TimeoutSecondsPath", "HeartbeatSecondsPath", "Arguments", "Output", "Credentials"),
            "Choice", Set.of("Choices", "Default", "Assign", "InputPath", "OutputPath", "Output"),
            "Wait", Set.of("Next", "End", "Seconds", "Timestamp", "SecondsPath", "TimestampPath", "Assign",
                    "InputPath", "OutputPath", "Output"),
            "Succeed", Set.of("InputPath", "OutputPath", "Output"),
            "Fail", Set.of("Error", "Cause", "ErrorPath", "CausePath"),
            "Parallel", Set.of("Branches", "Next", "End", "Retry", "Catch", "Assign", "InputPath", "OutputPath",
                    "Parameters", "ResultSelector", "ResultPath", "Arguments", "Output"),
            "Map", Set.of("ItemProcessor", "Iterator", "Next", "End", "Retry", "Catch", "Assign", "MaxConcurrency",
                    "MaxConcurrencyPath", "ItemSelector", "ItemsPath", "Items", "Parameters", "InputPath",
                    "OutputPath", "ResultSelector", "ResultPath", "Output", "ItemReader", "ItemBatcher",
                    "ResultWriter", "ToleratedFailurePercentage", "ToleratedFailureCount",
                    "ToleratedFailurePercentagePath", "ToleratedFailureCountPath", "Label"));
    private static final Set<String> TOP_LEVEL = Set.of("States", "StartAt", "Comment", "Version", "TimeoutSeconds",
            "QueryLanguage");
    private static final Set<String> RETRIER_FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts",
            "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment");
    private static final Set<String> CATCHER_FIELDS = Set.of("ErrorEquals", "Next", "ResultPath", "Output", "Assign",
            "Comment");
    private static final Set<String> COMPARISONS = Set.of("StringEquals", "StringEqualsPath", "StringLessThan",
            "StringLessThanPath", "StringGreaterThan", "StringGreaterThanPath", "StringLessThanEquals",
            "StringLessThanEqualsPath", "StringGreaterThanEquals", "StringGreaterThanEqualsPath", "StringMatches",
            "NumericEquals", "NumericEqualsPath", "NumericLessThan", "NumericLessThanPath", "NumericGreaterThan",
            "NumericGreaterThanPath", "NumericLessThanEquals", "NumericLessThanEqualsPath", "NumericGreaterThanEquals",
            "NumericGreaterThanEqualsPath", "BooleanEquals", "BooleanEqualsPath", "TimestampEquals",
            "TimestampEqualsPath", "TimestampLessThan", "TimestampLessThanPath", "TimestampGreaterThan",
            "TimestampGreaterThanPath", "TimestampLessThanEquals", "TimestampLessThanEqualsPath",
            "TimestampGreaterThanEquals", "TimestampGreaterThanEqualsPath", "IsNull", "IsPresent", "IsNumeric",
            "IsString", "IsBoolean", "IsTimestamp");

    private DefinitionParser() {
    }

    static StateGraph parseTopLevel(JsonNode root) {
        if (!root.isObject()) {
            throw new DefinitionException("The definition must be a JSON object with StartAt and States");
        }
        rejectUnknown(root, TOP_LEVEL, "The top level of the definition");
        QueryLanguage language = root.has("QueryLanguage")
                ? QueryLanguage.fromAsl(root.get("QueryLanguage").asText(), "The top level")
                : QueryLanguage.JSONPATH;
        if (root.has("TimeoutSeconds") && !isPositiveInt(root.get("TimeoutSeconds"))) {
            throw new DefinitionException("The top-level TimeoutSeconds must be a positive integer");
        }
        return parseGraph(root, language, "the state machine", new LinkedHashSet<>());
    }

    private static StateGraph parseGraph(JsonNode node, QueryLanguage inherited, String where, Set<String> allNames) {
        JsonNode startAt = node.get("StartAt");
        JsonNode states = node.get("States");
        if (startAt == null || !startAt.isTextual()) {
            throw new DefinitionException("StartAt is missing in " + where);
        }
        if (states == null || !states.isObject() || states.isEmpty()) {
            throw new DefinitionException("States is missing or empty in " + where);
        }
        Map<String, State> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : states.properties()) {
            String name = entry.getKey();
            if (name.isEmpty() || name.length() > 80) {
                throw new DefinitionException("State name \"" + name + "\" must be 1 to 80 characters long");
            }
            if (!allNames.add(name)) {
                // States in branches and item processors share the machine's name space (ASL spec, "States").
                throw new DefinitionException("State \"" + name + "\" is defined more than once");
            }
            parsed.put(name, parseState(name, entry.getValue(), inherited, allNames));
        }
        if (!parsed.containsKey(startAt.asText())) {
            throw new DefinitionException("StartAt \"" + startAt.asText() + "\" of " + where + " is not a state");
        }
        StateGraph graph = new StateGraph(startAt.asText(), parsed);
        checkTransitions(graph);
        checkReachable(graph, where);
        return graph;
    }

    private static State parseState(String name, JsonNode node, QueryLanguage inherited, Set<String> allNames) {
        String where = "State \"" + name + "\"";
        if (!node.isObject()) {
            throw new DefinitionException(where + " must be a JSON object");
        }
        ObjectNode fields = (ObjectNode) node;
        String type = fields.path("Type").asText(null);
        if (type == null || !FIELDS.containsKey(type)) {
            throw new DefinitionException(where + " has an invalid Type \"" + fields.path("Type").asText("") + "\"");
        }
        QueryLanguage language = inherited;
        if (fields.has("QueryLanguage")) {
            language = QueryLanguage.fromAsl(fields.get("QueryLanguage").asText(), where);
            if (inherited == QueryLanguage.JSONATA && language == QueryLanguage.JSONPATH) {
                // transforming-data.html: a JSONata state machine cannot contain JSONPath states.
                throw new DefinitionException(where + " sets QueryLanguage JSONPath inside a JSONata state machine");
            }
        }
        Set<String> allowed = FIELDS.get(type);
        Iterator<String> names = fields.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (COMMON.contains(field)) {
                continue;
            }
            if (!allowed.contains(field)) {
                throw new DefinitionException(where + " (" + type + ") has an unknown field \"" + field + "\"");
            }
            if (language == QueryLanguage.JSONATA && JSONPATH_ONLY.contains(field)) {
                throw new DefinitionException(where + " uses the JSONPath field \"" + field
                        + "\" but its query language is JSONata (use Arguments/Output/Items)");
            }
            if (language == QueryLanguage.JSONPATH && JSONATA_ONLY.contains(field)) {
                throw new DefinitionException(where + " uses the JSONata field \"" + field
                        + "\" but its query language is JSONPath (set \"QueryLanguage\": \"JSONata\")");
            }
            if (DISTRIBUTED_ONLY.contains(field) && !MapSpec.isDistributed(fields)) {
                throw new DefinitionException(where + ": \"" + field + "\" belongs to Distributed Map (set "
                        + "\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\"} in the ItemProcessor)");
            }
            if (field.equals("Credentials")) {
                throw new DefinitionException(where + ": cross-account \"Credentials\" are not supported by this engine");
            }
        }
        if (language == QueryLanguage.JSONATA) {
            checkJsonata(fields, where);
        } else {
            for (String template : List.of("Parameters", "ResultSelector", "ItemSelector", "Assign")) {
                if (fields.has(template)) {
                    checkPayloadTemplate(fields.get(template), where, template);
                }
            }
            for (String path : List.of("InputPath", "OutputPath", "ResultPath", "ItemsPath", "SecondsPath",
                    "TimestampPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "MaxConcurrencyPath",
                    "ToleratedFailureCountPath", "ToleratedFailurePercentagePath")) {
                JsonNode value = fields.get(path);
                if (value != null && !value.isNull() && !(value.isTextual() && value.asText().startsWith("$"))) {
                    throw new DefinitionException(where + ": the value for the field '" + path
                            + "' must be a valid JSONPath");
                }
            }
        }
        checkNextOrEnd(type, fields, where);
        checkAssign(fields.get("Assign"), where);
        fields.path("Choices").forEach(rule -> checkAssign(rule.get("Assign"), where));
        fields.path("Catch").forEach(catcher -> checkAssign(catcher.get("Assign"), where));
        List<State.Retrier> retriers = parseRetriers(fields.get("Retry"), where);
        List<State.Catcher> catchers = parseCatchers(fields.get("Catch"), where, language);
        List<StateGraph> branches = List.of();
        StateGraph itemProcessor = null;
        MapSpec map = null;
        switch (type) {
            case "Task" -> checkTask(fields, where);
            case "Choice" -> checkChoice(fields, where, language);
            case "Wait" -> checkWait(fields, where);
            case "Fail" -> checkFail(fields, where);
            case "Parallel" -> branches = parseBranches(fields, where, language, allNames);
            case "Map" -> {
                itemProcessor = parseItemProcessor(fields, where, language, allNames);
                map = MapSpec.parse(fields, where);
            }
            default -> { }
        }
        return new State(name, type, StateFields.of(fields), fields.path("End").asBoolean(false), language,
                retriers, catchers, StateKind.of(type, fields, branches, itemProcessor, map), readsContext(type, fields));
    }

    private static final java.util.regex.Pattern WHOLE_STATES = java.util.regex.Pattern.compile(
            "\\$states(?!\\s*\\.\\s*(input|result|errorOutput)\\b)");

    /**
     * Whether the state may read the context object ({@code $$} in JSONPath, {@code $states.context}
     * or the whole {@code $states} in JSONata, or a Map's {@code $$.Map.Item}); the interpreter builds
     * it only for those. Read from the state's own fields (branches and item processors are states of
     * their own), erring on the side of building it.
     */
    private static boolean readsContext(String type, ObjectNode fields) {
        if (type.equals("Map") && (fields.has("ItemSelector") || fields.has("Parameters"))) {
            return true;
        }
        ObjectNode own = fields.deepCopy();
        own.remove(List.of("Branches", "ItemProcessor", "Iterator"));
        String text = own.toString();
        return text.contains("$$") || text.contains("context") || WHOLE_STATES.matcher(text).find();
    }

    private static void checkNextOrEnd(String type, ObjectNode fields, String where) {
        boolean terminalType = type.equals("Succeed") || type.equals("Fail") || type.equals("Choice");
        boolean hasNext = fields.has("Next");
        boolean hasEnd = fields.has("End");
        if (terminalType) {
            return;
        }
        if (hasEnd && !fields.get("End").isBoolean()) {
            throw new DefinitionException(where + ": End must be a boolean");
        }
        boolean end = fields.path("End").asBoolean(false);
        if (hasNext && end) {
            throw new DefinitionException(where + " has both Next and \"End\": true");
        }
        if (!hasNext && !end) {
            throw new DefinitionException(where + " needs either Next or \"End\": true");
        }
        if (hasNext && !fields.get("Next").isTextual()) {
            throw new DefinitionException(where + ": Next must be a state name");
        }
    }

    private static void checkTask(ObjectNode fields, String where) {
        if (!fields.path("Resource").isTextual()) {
            throw new DefinitionException(where + " (Task) needs a Resource");
        }
        for (String field : List.of("TimeoutSeconds", "HeartbeatSeconds")) {
            JsonNode value = fields.get(field);
            if (value != null && !isPositiveInt(value) && !JsonataExpressions.isExpression(value)) {
                throw new DefinitionException(where + ": " + field + " must be a positive integer");
            }
            if (fields.has(field) && fields.has(field + "Path")) {
                throw new DefinitionException(where + " cannot have both " + field + " and " + field + "Path");
            }
        }
        JsonNode timeout = fields.get("TimeoutSeconds");
        JsonNode heartbeat = fields.get("HeartbeatSeconds");
        if (timeout != null && heartbeat != null && timeout.isIntegralNumber() && heartbeat.isIntegralNumber()
                && heartbeat.asLong() >= timeout.asLong()) {
            // state-task.html: "HeartbeatSeconds must be smaller than TimeoutSeconds".
            throw new DefinitionException(where + ": HeartbeatSeconds must be smaller than TimeoutSeconds");
        }
    }

    private static void checkChoice(ObjectNode fields, String where, QueryLanguage language) {
        JsonNode choices = fields.get("Choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            throw new DefinitionException(where + " (Choice) needs a non-empty Choices array");
        }
        for (JsonNode rule : choices) {
            if (!rule.path("Next").isTextual()) {
                throw new DefinitionException(where + ": every Choice rule needs a Next");
            }
            if (language == QueryLanguage.JSONATA) {
                if (!rule.has("Condition")) {
                    throw new DefinitionException(where + ": JSONata Choice rules need a Condition");
                }
                rejectUnknown(rule, Set.of("Condition", "Next", "Assign", "Output", "Comment"), where + " Choice rule");
            } else {
                checkRule(rule, where, true);
            }
        }
        if (fields.has("Default") && !fields.get("Default").isTextual()) {
            throw new DefinitionException(where + ": Default must be a state name");
        }
    }

    private static void checkRule(JsonNode rule, String where, boolean topLevel) {
        Set<String> allowed = new LinkedHashSet<>(COMPARISONS);
        allowed.addAll(List.of("Variable", "And", "Or", "Not", "Comment"));
        if (topLevel) {
            allowed.addAll(List.of("Next", "Assign"));
        }
        rejectUnknown(rule, allowed, where + " Choice rule");
        if (rule.has("And") || rule.has("Or")) {
            JsonNode list = rule.has("And") ? rule.get("And") : rule.get("Or");
            if (!list.isArray() || list.isEmpty()) {
                throw new DefinitionException(where + ": And/Or must be a non-empty array of rules");
            }
            list.forEach(inner -> checkRule(inner, where, false));
        } else if (rule.has("Not")) {
            checkRule(rule.get("Not"), where, false);
        } else {
            long operators = 0;
            Iterator<String> names = rule.fieldNames();
            while (names.hasNext()) {
                if (COMPARISONS.contains(names.next())) {
                    operators++;
                }
            }
            if (!rule.path("Variable").isTextual() || operators != 1) {
                throw new DefinitionException(where + ": a Choice rule needs a Variable and exactly one comparison operator");
            }
        }
    }

    private static void checkWait(ObjectNode fields, String where) {
        int count = 0;
        for (String field : List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath")) {
            if (fields.has(field)) {
                count++;
            }
        }
        if (count != 1) {
            throw new DefinitionException(where + " (Wait) needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath");
        }
    }

    private static void checkFail(ObjectNode fields, String where) {
        if (fields.has("Error") && fields.has("ErrorPath") || fields.has("Cause") && fields.has("CausePath")) {
            throw new DefinitionException(where + " (Fail) cannot have both Error and ErrorPath, or Cause and CausePath");
        }
    }

    private static List<StateGraph> parseBranches(ObjectNode fields, String where, QueryLanguage language,
                                                  Set<String> allNames) {
        JsonNode branches = fields.get("Branches");
        if (branches == null || !branches.isArray() || branches.isEmpty()) {
            throw new DefinitionException(where + " (Parallel) needs a non-empty Branches array");
        }
        List<StateGraph> graphs = new ArrayList<>();
        for (JsonNode branch : branches) {
            rejectUnknown(branch, Set.of("StartAt", "States", "Comment", "QueryLanguage"), where + " branch");
            graphs.add(parseGraph(branch, branchLanguage(branch, language, where), "a branch of " + where, allNames));
        }
        return List.copyOf(graphs);
    }

    private static StateGraph parseItemProcessor(ObjectNode fields, String where, QueryLanguage language,
                                                 Set<String> allNames) {
        JsonNode processor = fields.has("ItemProcessor") ? fields.get("ItemProcessor") : fields.get("Iterator");
        if (processor == null || !processor.isObject()) {
            throw new DefinitionException(where + " (Map) needs an ItemProcessor");
        }
        rejectUnknown(processor, Set.of("StartAt", "States", "Comment", "QueryLanguage", "ProcessorConfig"),
                where + " ItemProcessor");
        if (fields.has("Parameters") && fields.has("ItemSelector")) {
            throw new DefinitionException(where + " (Map) cannot have both Parameters and ItemSelector");
        }
        JsonNode maxConcurrency = fields.get("MaxConcurrency");
        if (maxConcurrency != null && !(maxConcurrency.canConvertToInt() && maxConcurrency.asInt() >= 0)
                && !JsonataExpressions.isExpression(maxConcurrency)) {
            throw new DefinitionException(where + ": MaxConcurrency must be a non-negative integer");
        }
        return parseGraph(processor, branchLanguage(processor, language, where), "the ItemProcessor of " + where,
                allNames);
    }

    private static QueryLanguage branchLanguage(JsonNode node, QueryLanguage inherited, String where) {
        if (!node.has("QueryLanguage")) {
            return inherited;
        }
        QueryLanguage language = QueryLanguage.fromAsl(node.get("QueryLanguage").asText(), where);
        if (inherited == QueryLanguage.JSONATA && language == QueryLanguage.JSONPATH) {
            throw new DefinitionException(where + " sets QueryLanguage JSONPath inside JSONata");
        }
        return language;
    }

    private static List<State.Retrier> parseRetriers(JsonNode retry, String where) {
        if (retry == null) {
            return List.of();
        }
        if (!retry.isArray()) {
            throw new DefinitionException(where + ": Retry must be an array");
        }
        List<State.Retrier> retriers = new ArrayList<>();
        for (int i = 0; i < retry.size(); i++) {
            JsonNode retrier = retry.get(i);
            rejectUnknown(retrier, RETRIER_FIELDS, where + " Retry[" + i + "]");
            List<String> errors = errorEquals(retrier, where + " Retry[" + i + "]", i == retry.size() - 1);
            int interval = retrier.path("IntervalSeconds").asInt(1);
            int maxAttempts = retrier.path("MaxAttempts").asInt(3);
            double backoff = retrier.path("BackoffRate").asDouble(2.0);
            if (interval < 1 || maxAttempts < 0 || backoff < 1.0) {
                throw new DefinitionException(where + " Retry[" + i
                        + "]: IntervalSeconds must be >= 1, MaxAttempts >= 0 and BackoffRate >= 1.0");
            }
            Integer maxDelay = retrier.has("MaxDelaySeconds") ? retrier.get("MaxDelaySeconds").asInt() : null;
            if (maxDelay != null && maxDelay < 1) {
                throw new DefinitionException(where + " Retry[" + i + "]: MaxDelaySeconds must be a positive integer");
            }
            String jitter = retrier.path("JitterStrategy").asText("NONE");
            if (!jitter.equals("NONE") && !jitter.equals("FULL")) {
                throw new DefinitionException(where + " Retry[" + i + "]: JitterStrategy must be FULL or NONE");
            }
            retriers.add(new State.Retrier(errors, interval, maxAttempts, backoff, maxDelay, jitter.equals("FULL")));
        }
        return List.copyOf(retriers);
    }

    private static List<State.Catcher> parseCatchers(JsonNode catchNode, String where, QueryLanguage language) {
        if (catchNode == null) {
            return List.of();
        }
        if (!catchNode.isArray()) {
            throw new DefinitionException(where + ": Catch must be an array");
        }
        List<State.Catcher> catchers = new ArrayList<>();
        for (int i = 0; i < catchNode.size(); i++) {
            JsonNode catcher = catchNode.get(i);
            String catcherWhere = where + " Catch[" + i + "]";
            rejectUnknown(catcher, CATCHER_FIELDS, catcherWhere);
            if (language == QueryLanguage.JSONATA && catcher.has("ResultPath")) {
                throw new DefinitionException(catcherWhere + " uses ResultPath but its query language is JSONata (use Output)");
            }
            if (language == QueryLanguage.JSONPATH && catcher.has("Output")) {
                throw new DefinitionException(catcherWhere + " uses Output but its query language is JSONPath (use ResultPath)");
            }
            if (!catcher.path("Next").isTextual()) {
                throw new DefinitionException(catcherWhere + " needs a Next");
            }
            List<String> errors = errorEquals(catcher, catcherWhere, i == catchNode.size() - 1);
            catchers.add(new State.Catcher(errors, catcher.get("Next").asText(), catcher.get("ResultPath"),
                    catcher.get("Output"), catcher.get("Assign")));
        }
        return List.copyOf(catchers);
    }

    private static List<String> errorEquals(JsonNode node, String where, boolean last) {
        JsonNode errors = node.get("ErrorEquals");
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
            throw new DefinitionException(where + " needs a non-empty ErrorEquals array");
        }
        List<String> names = new ArrayList<>();
        errors.forEach(error -> names.add(error.asText()));
        // ASL spec, "Error names": States.ALL must appear alone and in the last retrier/catcher.
        if (names.contains("States.ALL") && (names.size() > 1 || !last)) {
            throw new DefinitionException(where + ": States.ALL must appear alone in the last ErrorEquals");
        }
        return List.copyOf(names);
    }

    private static void checkJsonata(JsonNode node, String where) {
        if (node.isTextual()) {
            String text = node.asText();
            if (text.startsWith("{%") && !JsonataExpressions.isExpression(node)) {
                throw new DefinitionException(where + ": the JSONata expression " + text + " must end with %}");
            }
            if (JsonataExpressions.isExpression(node)) {
                String error = JsonataExpressions.syntaxError(text);
                if (error != null) {
                    throw new DefinitionException(where + ": invalid JSONata expression " + text + ": " + error);
                }
            }
        } else if (node.isContainerNode()) {
            node.forEach(child -> checkJsonata(child, where));
        }
    }

    /**
     * Variable names start with a letter or underscore and hold letters, digits and underscores;
     * {@code states} is reserved (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
     */
    private static void checkAssign(JsonNode assign, String where) {
        if (assign == null) {
            return;
        }
        if (!assign.isObject()) {
            throw new DefinitionException(where + ": Assign must be a JSON object of variable names");
        }
        for (Map.Entry<String, JsonNode> entry : assign.properties()) {
            String name = entry.getKey().endsWith(".$")
                    ? entry.getKey().substring(0, entry.getKey().length() - 2) : entry.getKey();
            if (!VARIABLE_NAME.matcher(name).matches() || name.length() > 80) {
                throw new DefinitionException(where + ": \"" + name + "\" is not a valid variable name");
            }
            if (name.equals("states")) {
                throw new DefinitionException(where + ": \"states\" is a reserved variable name");
            }
        }
    }

    /** JSONPath payload templates: a key ending in .$ needs a path or an intrinsic function call. */
    private static void checkPayloadTemplate(JsonNode template, String where, String field) {
        if (template.isObject()) {
            for (Map.Entry<String, JsonNode> entry : template.properties()) {
                String key = entry.getKey();
                JsonNode value = entry.getValue();
                if (key.endsWith(".$")) {
                    String text = value.isTextual() ? value.asText() : "";
                    if (!text.startsWith("$") && !text.startsWith("States.")) {
                        throw new DefinitionException(where + ": the value for the field '" + key + "' in " + field
                                + " must be a valid JSONPath or a valid intrinsic function call");
                    }
                } else {
                    checkPayloadTemplate(value, where, field);
                }
            }
        } else if (template.isArray()) {
            template.forEach(item -> checkPayloadTemplate(item, where, field));
        }
    }

    private static void checkTransitions(StateGraph graph) {
        for (State state : graph.states().values()) {
            for (String target : targets(state)) {
                if (graph.state(target) == null) {
                    throw new DefinitionException("State \"" + state.name() + "\" moves to \"" + target
                            + "\", which is not a state of the same scope");
                }
            }
        }
    }

    private static void checkReachable(StateGraph graph, String where) {
        Set<String> reached = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(graph.startAt()));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (reached.add(name)) {
                todo.addAll(targets(graph.state(name)));
            }
        }
        for (String name : graph.states().keySet()) {
            if (!reached.contains(name)) {
                throw new DefinitionException("State \"" + name + "\" in " + where + " is not reachable from StartAt");
            }
        }
    }

    private static List<String> targets(State state) {
        List<String> targets = new ArrayList<>();
        if (state.f().next() != null) {
            targets.add(StateFields.text(state.f().next()));
        }
        if (state.kind() instanceof StateKind.Choice choice) {
            if (choice.defaultState() != null) {
                targets.add(choice.defaultState());
            }
            choice.rules().forEach(rule -> targets.add(rule.next()));
        }
        state.catchers().forEach(catcher -> targets.add(catcher.next()));
        return targets;
    }

    private static void rejectUnknown(JsonNode node, Set<String> allowed, String where) {
        if (!node.isObject()) {
            throw new DefinitionException(where + " must be a JSON object");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new DefinitionException(where + " has an unknown field \"" + name + "\"");
            }
        }
    }

    private static boolean isPositiveInt(JsonNode value) {
        return value.isIntegralNumber() && value.asLong() > 0;
    }
}
