package dev.deckhand.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.aws.EventPublisher;
import dev.deckhand.local.aws.JsonProtocolService;
import dev.deckhand.local.aws.Paging;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionException;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.HistoryEvent;
import dev.deckhand.statemachine.StateMachineSummary;
import dev.deckhand.statemachine.StepFunctionsEngine;
import dev.deckhand.statemachine.TaskTokenException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Step Functions API (AWS JSON 1.0, {@code X-Amz-Target: AWSStepFunctions.<Operation>}) over
 * the local engine, so the AWS CLI, any SDK, the promote API and the console-rerun path reach the
 * same executions. Executions also emit "Step Functions Execution Status Change" events, as
 * Step Functions sends them to EventBridge
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html).
 */
public final class LocalStepFunctions implements JsonProtocolService {

    public static final String TARGET_PREFIX = "AWSStepFunctions";
    static final int DEFAULT_PAGE = 100;
    // maxResults: "This is only an upper limit. The actual number of results returned per call might be
    // fewer than the specified maximum." 0 means the default (100); a token Step Functions did not issue
    // is InvalidToken (API_ListExecutions, API_GetExecutionHistory: maxResults, nextToken, Errors).
    private static final Paging LIST_EXECUTIONS = new Paging("ListExecutions", "nextToken", "maxResults", DEFAULT_PAGE,
            "InvalidToken");
    private static final Paging LIST_STATE_MACHINES = new Paging("ListStateMachines", "nextToken", "maxResults",
            DEFAULT_PAGE, "InvalidToken");
    private static final Paging EXECUTION_HISTORY = new Paging("GetExecutionHistory", "nextToken", "maxResults",
            DEFAULT_PAGE, "InvalidToken");
    private static final Pattern STATE_MACHINE_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[^:]+(:[^:]+)?");
    private static final Pattern EXECUTION_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:execution:[^:]+:[^:]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StepFunctionsEngine engine;

    /** @param events where the execution status change events go (the local EventBridge) */
    public LocalStepFunctions(StepFunctionsEngine engine, EventPublisher events) {
        this.engine = engine;
        engine.onStatusChange(execution -> events.publish(statusChange(execution)));
    }

    @Override
    public String targetPrefix() {
        return TARGET_PREFIX;
    }

    @Override
    public JsonNode handle(String operation, JsonNode request) {
        try {
            return switch (operation) {
                case "StartExecution" -> start(request);
                case "DescribeExecution" -> engine.describeExecution(executionArn(request)).toJson();
                case "ListExecutions" -> list(request);
                case "GetExecutionHistory" -> history(request);
                case "StopExecution" -> stop(request);
                case "RedriveExecution" -> redrive(request);
                case "DescribeStateMachine" -> describeStateMachine(request);
                case "ListStateMachines" -> listStateMachines(request);
                case "SendTaskSuccess" -> {
                    engine.sendTaskSuccess(required(request, "taskToken"), required(request, "output"));
                    yield JSON.createObjectNode();
                }
                case "SendTaskFailure" -> {
                    engine.sendTaskFailure(required(request, "taskToken"), request.path("error").asText(null),
                            request.path("cause").asText(null));
                    yield JSON.createObjectNode();
                }
                case "SendTaskHeartbeat" -> {
                    engine.sendTaskHeartbeat(required(request, "taskToken"));
                    yield JSON.createObjectNode();
                }
                default -> throw AwsErrorException.unsupportedOperation(operation);
            };
        } catch (ExecutionException e) {
            throw AwsErrorException.clientError(e.errorCode(), e.getMessage());
        } catch (TaskTokenException e) {
            throw AwsErrorException.clientError(e.errorCode(), e.getMessage());
        }
    }

    private JsonNode start(JsonNode request) {
        String arn = engine.startExecution(stateMachineArn(request), request.path("name").asText(null),
                request.path("input").asText(null));
        ObjectNode response = JSON.createObjectNode();
        response.put("executionArn", arn);
        response.put("startDate", seconds(engine.describeExecution(arn).startDate()));
        return response;
    }

    /** ListExecutions: newest first, filtered by status, paginated with an opaque offset token. */
    private JsonNode list(JsonNode request) {
        String filter = request.path("statusFilter").asText(null);
        List<ExecutionDescription> executions = engine.listExecutions(stateMachineArn(request)).stream()
                .filter(execution -> filter == null || execution.status().name().equals(filter)).toList();
        ObjectNode response = JSON.createObjectNode();
        ArrayNode items = response.putArray("executions");
        Paging.Page<ExecutionDescription> page = LIST_EXECUTIONS.page(executions, request);
        for (ExecutionDescription execution : page.items()) {
            ObjectNode item = items.addObject();
            item.put("executionArn", execution.executionArn());
            item.put("stateMachineArn", execution.stateMachineArn());
            item.put("name", execution.name());
            item.put("status", execution.status().name());
            item.put("startDate", seconds(execution.startDate()));
            if (execution.stopDate() != null) {
                item.put("stopDate", seconds(execution.stopDate()));
            }
            item.put("redriveCount", execution.redriveCount());
            if (execution.redriveDate() != null) {
                item.put("redriveDate", seconds(execution.redriveDate()));
            }
        }
        page.nextToken().ifPresent(token -> response.put("nextToken", token));
        return response;
    }

    private JsonNode history(JsonNode request) {
        List<HistoryEvent> events = new ArrayList<>(engine.getExecutionHistory(executionArn(request)));
        if (request.path("reverseOrder").asBoolean(false)) {
            Collections.reverse(events);
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode items = response.putArray("events");
        Paging.Page<HistoryEvent> page = EXECUTION_HISTORY.page(events, request);
        page.items().forEach(event -> items.add(event.toJson()));
        page.nextToken().ifPresent(token -> response.put("nextToken", token));
        return response;
    }

    private JsonNode stop(JsonNode request) {
        ExecutionDescription stopped = engine.stopExecution(executionArn(request),
                request.path("error").asText(null), request.path("cause").asText(null));
        ObjectNode response = JSON.createObjectNode();
        response.put("stopDate", seconds(stopped.stopDate() == null ? Instant.now() : stopped.stopDate()));
        return response;
    }

    private JsonNode redrive(JsonNode request) {
        String arn = executionArn(request);
        engine.redriveExecution(arn);
        ObjectNode response = JSON.createObjectNode();
        response.put("redriveDate", seconds(engine.describeExecution(arn).redriveDate()));
        return response;
    }

    private JsonNode describeStateMachine(JsonNode request) {
        String arn = stateMachineArn(request);
        StateMachineSummary machine = engine.describeStateMachine(arn);
        ObjectNode response = JSON.createObjectNode();
        response.put("stateMachineArn", arn);
        response.put("name", arn.substring(arn.lastIndexOf(':') + 1));
        response.put("status", "ACTIVE");
        response.put("definition", engine.definition(arn).json());
        response.put("type", "STANDARD");
        response.put("roleArn", arn.replaceFirst(":states:[^:]*:", ":iam::").replaceFirst("stateMachine:.*", "role/deckhand-local"));
        response.put("creationDate", seconds(machine.creationDate()));
        return response;
    }

    /**
     * ListStateMachines (API_ListStateMachines): {@code stateMachines} of {@code stateMachineArn},
     * {@code name}, {@code type}, {@code creationDate}; maxResults 0–1000, 0 or absent meaning 100;
     * a token it never issued is an HTTP 400 InvalidToken.
     */
    private JsonNode listStateMachines(JsonNode request) {
        int size = Paging.size(Paging.requestedSize(request, "maxResults"), DEFAULT_PAGE, 0, 1000,
                LocalStepFunctions::validation);
        Paging.Page<StateMachineSummary> page = LIST_STATE_MACHINES.page(engine.listStateMachines(),
                request.path("nextToken").asText(null), size == 0 ? DEFAULT_PAGE : size);
        ObjectNode response = JSON.createObjectNode();
        ArrayNode items = response.putArray("stateMachines");
        for (StateMachineSummary machine : page.items()) {
            items.addObject().put("stateMachineArn", machine.stateMachineArn()).put("name", machine.name())
                    .put("type", "STANDARD").put("creationDate", seconds(machine.creationDate()));
        }
        page.nextToken().ifPresent(token -> response.put("nextToken", token));
        return response;
    }

    private static AwsErrorException validation(String message) {
        return AwsErrorException.clientError("ValidationException", "1 validation error detected: " + message);
    }

    /**
     * An ARN that is not a Step Functions ARN of the expected resource type is InvalidArn, not "does
     * not exist" (API_DescribeExecution, Errors: "InvalidArn: The provided Amazon Resource Name (ARN)
     * is not valid", HTTP 400).
     */
    private static String executionArn(JsonNode request) {
        return checkedArn(required(request, "executionArn"), EXECUTION_ARN, "execution");
    }

    private static String stateMachineArn(JsonNode request) {
        return checkedArn(required(request, "stateMachineArn"), STATE_MACHINE_ARN, "stateMachine");
    }

    private static String checkedArn(String arn, Pattern format, String type) {
        if (!arn.startsWith("arn:")) {
            throw AwsErrorException.clientError("InvalidArn", "Invalid Arn: 'Invalid ARN prefix: " + arn + "'");
        }
        if (!format.matcher(arn).matches()) {
            throw AwsErrorException.clientError("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: "
                    + arn + "' (expected a Step Functions " + type + " ARN)");
        }
        return arn;
    }

    /** The EventBridge event of a status change, shaped as Step Functions emits it. */
    static ObjectNode statusChange(ExecutionDescription execution) {
        ObjectNode event = JSON.createObjectNode();
        event.put("source", "aws.states");
        event.put("detail-type", "Step Functions Execution Status Change");
        event.putArray("resources").add(execution.executionArn());
        ObjectNode detail = event.putObject("detail");
        detail.put("executionArn", execution.executionArn());
        detail.put("stateMachineArn", execution.stateMachineArn());
        detail.put("name", execution.name());
        detail.put("status", execution.status().name());
        detail.put("startDate", execution.startDate().toEpochMilli());
        if (execution.stopDate() != null && execution.status() != ExecutionStatus.RUNNING) {
            detail.put("stopDate", execution.stopDate().toEpochMilli());
        } else {
            detail.putNull("stopDate");
        }
        detail.put("input", execution.input());
        detail.putObject("inputDetails").put("included", true);
        if (execution.output() != null) {
            detail.put("output", execution.output());
            detail.putObject("outputDetails").put("included", true);
        } else {
            detail.putNull("output");
            detail.putNull("outputDetails");
        }
        detail.put("error", execution.error());
        detail.put("cause", execution.cause());
        detail.put("redriveCount", execution.redriveCount());
        return event;
    }

    private static String required(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull() || !value.isTextual() || value.asText().isEmpty()) {
            throw AwsErrorException.clientError("ValidationException", "1 validation error detected: Value null at '"
                    + field + "' failed to satisfy constraint: Member must not be null");
        }
        return value.asText();
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }
}
