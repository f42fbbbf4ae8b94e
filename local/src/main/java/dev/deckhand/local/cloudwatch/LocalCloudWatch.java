package dev.deckhand.local.cloudwatch;

import static dev.deckhand.local.aws.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.aws.JsonProtocolService;
import dev.deckhand.local.aws.Paging;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * CloudWatch metric alarms, as much as a deploy gate needs: PutMetricAlarm, DescribeAlarms,
 * SetAlarmState and DeleteAlarms, in the shapes and with the errors of the CloudWatch API reference.
 * Real clients reach it over Smithy RPC v2 CBOR (the AWS SDK for Java v2 and botocore) or AWS JSON
 * 1.0 ({@code X-Amz-Target: GraniteServiceVersion20100801.*}); the gateway turns both into the same
 * JSON. Alarms are never evaluated against metrics here: an alarm keeps the state it was created
 * with (INSUFFICIENT_DATA, API_PutMetricAlarm) until {@link #setState} or SetAlarmState changes it —
 * the way tests and demos put one into ALARM.
 */
public final class LocalCloudWatch implements JsonProtocolService {

    /** The service's name in the RPC v2 path and its AWS JSON target prefix. */
    public static final String TARGET_PREFIX = "GraniteServiceVersion20100801";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    // API_DescribeAlarms, MaxRecords: "Valid Range: Minimum value of 1. Maximum value of 100." Default 50.
    private static final Paging DESCRIBE_ALARMS = new Paging("DescribeAlarms", "NextToken", "MaxRecords", 50,
            "InvalidNextToken");
    private static final List<String> STATES = List.of("OK", "ALARM", "INSUFFICIENT_DATA");
    /**
     * CloudWatch is awsQueryCompatible: over JSON and CBOR an error names its shape, and
     * {@code x-amzn-query-error} the query code (the model's error shapes and their codes).
     */
    private static final Map<String, String> QUERY_ERROR_CODES = Map.of(
            "ResourceNotFound", "ResourceNotFound",
            "InvalidFormatFault", "InvalidFormat",
            "InvalidParameterValueException", "InvalidParameterValue",
            "InvalidParameterCombinationException", "InvalidParameterCombination",
            "MissingRequiredParameterException", "MissingParameter",
            "InvalidNextToken", "InvalidNextToken",
            "LimitExceededFault", "LimitExceeded");

    private record Alarm(ObjectNode configuration, String state, String reason, String reasonData, Instant updated) {
    }

    private final String region;
    private final String account;
    private final Clock clock;
    private final Map<String, Alarm> alarms = new ConcurrentSkipListMap<>();

    public LocalCloudWatch(String region, String account, Clock clock) {
        this.region = region;
        this.account = account;
        this.clock = clock;
    }

    @Override
    public String targetPrefix() {
        return TARGET_PREFIX;
    }

    @Override
    public String queryErrorCode(String errorCode) {
        return QUERY_ERROR_CODES.get(errorCode);
    }

    @Override
    public JsonNode handle(String operation, JsonNode request) {
        return switch (operation) {
            case "PutMetricAlarm" -> {
                putMetricAlarm(request);
                yield NODES.objectNode();
            }
            case "DescribeAlarms" -> describeAlarms(request);
            case "SetAlarmState" -> {
                setState(requiredText(request, "AlarmName"), requiredText(request, "StateValue"),
                        requiredText(request, "StateReason"), request.path("StateReasonData").asText(null));
                yield NODES.objectNode();
            }
            case "DeleteAlarms" -> {
                deleteAlarms(request);
                yield NODES.objectNode();
            }
            default -> throw AwsErrorException.unsupportedOperation(TARGET_PREFIX + "." + operation);
        };
    }

    /** The ARN of an alarm of this account (Service Authorization Reference: {@code alarm:${AlarmName}}). */
    public String alarmArn(String name) {
        return "arn:aws:cloudwatch:" + region + ":" + account + ":alarm:" + name;
    }

    /**
     * Sets an alarm's state, as SetAlarmState does.
     *
     * @throws AwsErrorException ResourceNotFound (404) for an unknown alarm; InvalidFormatFault when
     *     {@code reasonData} is not JSON (API_SetAlarmState, Errors)
     */
    public synchronized void setState(String name, String state, String reason, String reasonData) {
        Alarm alarm = alarms.get(name);
        if (alarm == null) {
            throw new AwsErrorException(404, "ResourceNotFound", "Alarm " + name + " not found");
        }
        if (!STATES.contains(state)) {
            throw AwsErrorException.clientError("InvalidParameterValueException",
                    "StateValue must be one of " + String.join(", ", STATES) + ", not " + state);
        }
        if (reasonData != null) {
            try {
                JSON.readTree(reasonData);
            } catch (IOException e) {
                throw AwsErrorException.clientError("InvalidFormatFault", "StateReasonData is not valid JSON");
            }
        }
        alarms.put(name, new Alarm(alarm.configuration(), state, reason, reasonData, clock.instant()));
    }

    /** An alarm's state, for assertions; empty when there is no such alarm. */
    public java.util.Optional<String> state(String name) {
        return java.util.Optional.ofNullable(alarms.get(name)).map(Alarm::state);
    }

    private synchronized void putMetricAlarm(JsonNode request) {
        String name = requiredText(request, "AlarmName");
        // API_PutMetricAlarm: "When this operation creates an alarm, the alarm state is immediately set to
        // INSUFFICIENT_DATA ... When you update an existing alarm, its state is left unchanged, but the update
        // completely overwrites the previous configuration of the alarm."
        ObjectNode configuration = ((ObjectNode) request).deepCopy();
        configuration.remove("Tags");
        Alarm existing = alarms.get(name);
        Instant now = clock.instant();
        alarms.put(name, existing == null
                ? new Alarm(configuration, "INSUFFICIENT_DATA", "Unchecked: Initial alarm creation", null, now)
                : new Alarm(configuration, existing.state(), existing.reason(), existing.reasonData(), existing.updated()));
    }

    private JsonNode describeAlarms(JsonNode request) {
        // API_DescribeAlarms, AlarmNamePrefix: "If this parameter is specified, you cannot specify AlarmNames."
        if (request.has("AlarmNames") && request.has("AlarmNamePrefix")) {
            throw AwsErrorException.clientError("InvalidParameterCombinationException",
                    "AlarmNames and AlarmNamePrefix cannot be specified together");
        }
        List<String> names = new ArrayList<>();
        request.path("AlarmNames").forEach(each -> names.add(each.asText()));
        String prefix = request.path("AlarmNamePrefix").asText("");
        String state = request.path("StateValue").asText(null);
        boolean metricAlarms = !request.has("AlarmTypes") || contains(request.path("AlarmTypes"), "MetricAlarm");
        List<ObjectNode> matching = new ArrayList<>();
        if (metricAlarms) {
            alarms.forEach((name, alarm) -> {
                if ((names.isEmpty() || names.contains(name)) && name.startsWith(prefix)
                        && (state == null || state.equals(alarm.state()))) {
                    matching.add(describe(name, alarm));
                }
            });
        }
        Paging.Page<ObjectNode> page = DESCRIBE_ALARMS.page(matching, request);
        ObjectNode answer = NODES.objectNode();
        ArrayNode metric = answer.putArray("MetricAlarms");
        page.items().forEach(metric::add);
        answer.putArray("CompositeAlarms");
        page.nextToken().ifPresent(token -> answer.put("NextToken", token));
        return answer;
    }

    private synchronized void deleteAlarms(JsonNode request) {
        List<String> missing = new ArrayList<>();
        request.path("AlarmNames").forEach(each -> {
            if (!alarms.containsKey(each.asText())) {
                missing.add(each.asText());
            }
        });
        // API_DeleteAlarms: "If you specify any alarms that do not exist, the operation fails and no alarms are deleted"
        // (ResourceNotFound).
        if (!missing.isEmpty()) {
            throw new AwsErrorException(404, "ResourceNotFound", "Alarms not found: " + String.join(", ", missing));
        }
        request.path("AlarmNames").forEach(each -> alarms.remove(each.asText()));
    }

    private ObjectNode describe(String name, Alarm alarm) {
        ObjectNode described = alarm.configuration().deepCopy();
        described.put("AlarmArn", alarmArn(name));
        described.put("StateValue", alarm.state());
        described.put("StateReason", alarm.reason());
        if (alarm.reasonData() != null) {
            described.put("StateReasonData", alarm.reasonData());
        }
        // Timestamps in epoch seconds, as AWS's JSON and CBOR protocols write them.
        double updated = alarm.updated().toEpochMilli() / 1000.0;
        described.put("StateUpdatedTimestamp", updated);
        described.put("StateTransitionedTimestamp", updated);
        if (!described.has("ActionsEnabled")) {
            described.put("ActionsEnabled", true);
        }
        return described;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode each : array) {
            if (value.equals(each.asText())) {
                return true;
            }
        }
        return false;
    }
}
