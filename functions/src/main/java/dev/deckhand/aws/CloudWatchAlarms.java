package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.gate.AlarmStates;
import dev.deckhand.json.DeckhandJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch's {@code DescribeAlarms} by name (API_DescribeAlarms: AlarmNames, at most 100;
 * AlarmTypes, "If you omit this parameter, only metric alarms are returned", so both types are
 * asked for; MaxRecords 1 to 100, with NextToken followed). Sent through {@link AwsJsonClient}
 * (AWS JSON 1.0, {@code GraniteServiceVersion20100801.DescribeAlarms}), which CloudWatch speaks
 * besides the query protocol, instead of adding the CloudWatch SDK module to the Lambda jar.
 */
public final class CloudWatchAlarms implements AlarmStates {

    private final AwsJsonClient cloudWatch;

    public CloudWatchAlarms(AwsJsonClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    @Override
    public Map<String, String> statesOf(List<String> names) {
        Map<String, String> states = new LinkedHashMap<>();
        String next = null;
        do {
            ObjectNode request = DeckhandJson.MAPPER.createObjectNode();
            ArrayNode alarmNames = request.putArray("AlarmNames");
            names.forEach(alarmNames::add);
            request.putArray("AlarmTypes").add("MetricAlarm").add("CompositeAlarm");
            request.put("MaxRecords", 100);
            if (next != null) {
                request.put("NextToken", next);
            }
            JsonNode answer = AwsCalls.call("DescribeAlarms " + String.join(", ", names),
                    () -> cloudWatch.call("DescribeAlarms", request));
            for (String type : List.of("MetricAlarms", "CompositeAlarms")) {
                answer.path(type).forEach(alarm -> states.put(alarm.path("AlarmName").asText(),
                        alarm.path("StateValue").asText()));
            }
            next = answer.hasNonNull("NextToken") ? answer.get("NextToken").asText() : null;
        } while (next != null);
        return states;
    }
}
