package dev.deckhand.local.logs;

import static dev.deckhand.local.aws.RequestFields.optionalText;
import static dev.deckhand.local.aws.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.aws.JsonProtocolService;
import dev.deckhand.local.aws.Paging;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * CloudWatch Logs: CreateLogGroup, CreateLogStream, PutLogEvents, GetLogEvents and
 * DescribeLogGroups over the AWS JSON protocol ({@code X-Amz-Target: Logs_20140328.*}), with the
 * errors and batch constraints of the API reference. The simulated ECS writes its containers'
 * output here through {@link #append} when their task definition uses the awslogs driver.
 */
public final class LogStore implements JsonProtocolService {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // API_DescribeLogGroups: limit 1-50, default 50.
    private static final Paging DESCRIBE_LOG_GROUPS = new Paging("DescribeLogGroups", "nextToken", "limit", 50,
            "InvalidParameterException");
    // API_PutLogEvents: "The maximum batch size is 1,048,576 bytes. This size is calculated as the sum of
    // all event messages in UTF-8, plus 26 bytes for each log event."
    static final int MAX_BATCH_BYTES = 1_048_576;
    static final int EVENT_OVERHEAD_BYTES = 26;
    // API_GetLogEvents: "as many log events as can fit in a response size of 1 MB (up to 10,000 log events)".
    private static final int DEFAULT_EVENTS = 10_000;

    private record Event(long timestamp, String message, long ingestionTime) {
    }

    private record Group(String name, long creationTime, Map<String, List<Event>> streams) {
    }

    private final String region;
    private final String account;
    private final Clock clock;
    private final Map<String, Group> groups = new ConcurrentSkipListMap<>();

    public LogStore(String region, String account, Clock clock) {
        this.region = region;
        this.account = account;
        this.clock = clock;
    }

    @Override
    public String targetPrefix() {
        return "Logs_20140328";
    }

    @Override
    public JsonNode handle(String operation, JsonNode request) {
        return switch (operation) {
            case "CreateLogGroup" -> {
                createGroup(requiredText(request, "logGroupName"));
                yield NODES.objectNode();
            }
            case "CreateLogStream" -> {
                createStream(requiredText(request, "logGroupName"), requiredText(request, "logStreamName"));
                yield NODES.objectNode();
            }
            case "PutLogEvents" -> putLogEvents(request);
            case "GetLogEvents" -> getLogEvents(request);
            case "DescribeLogGroups" -> describeLogGroups(request);
            default -> throw AwsErrorException.unsupportedOperation("Logs_20140328." + operation);
        };
    }

    /** Creates a log group from Java (fixtures; the CDK app or awslogs-create-group on AWS). */
    public synchronized void createGroup(String name) {
        if (groups.containsKey(name)) {
            throw AwsErrorException.clientError("ResourceAlreadyExistsException",
                    "The specified log group already exists");
        }
        groups.put(name, new Group(name, clock.millis(), new ConcurrentSkipListMap<>()));
    }

    public boolean hasGroup(String name) {
        return groups.containsKey(name);
    }

    private synchronized void createStream(String groupName, String streamName) {
        Group group = group(groupName);
        if (group.streams().containsKey(streamName)) {
            throw AwsErrorException.clientError("ResourceAlreadyExistsException",
                    "The specified log stream already exists");
        }
        group.streams().put(streamName, new ArrayList<>());
    }

    /**
     * What the awslogs driver does with a container's output: one event per line into the stream,
     * which it creates. Like the driver, it needs the group to exist.
     *
     * @throws AwsErrorException ResourceNotFoundException when the group does not exist
     */
    public synchronized void append(String groupName, String streamName, List<String> lines, Instant at) {
        Group group = group(groupName);
        List<Event> stream = group.streams().computeIfAbsent(streamName, name -> new ArrayList<>());
        long now = clock.millis();
        lines.forEach(line -> stream.add(new Event(at.toEpochMilli(), line, now)));
    }

    /** The messages of a stream, oldest first (for assertions). */
    public synchronized List<String> messages(String groupName, String streamName) {
        return stream(group(groupName), streamName).stream().map(Event::message).toList();
    }

    private synchronized JsonNode putLogEvents(JsonNode request) {
        List<Event> stream = stream(group(requiredText(request, "logGroupName")),
                requiredText(request, "logStreamName"));
        JsonNode events = request.path("logEvents");
        long bytes = 0;
        long previous = Long.MIN_VALUE;
        for (JsonNode event : events) {
            long timestamp = event.path("timestamp").asLong();
            if (timestamp < previous) {
                // API_PutLogEvents: "The log events in the batch must be in chronological order by their timestamp."
                throw AwsErrorException.clientError("InvalidParameterException",
                        "Log events in a single PutLogEvents request must be in chronological order.");
            }
            previous = timestamp;
            bytes += event.path("message").asText().getBytes(StandardCharsets.UTF_8).length + EVENT_OVERHEAD_BYTES;
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw AwsErrorException.clientError("InvalidParameterException", "Upload too large: " + bytes
                    + " bytes exceeds limit of " + MAX_BATCH_BYTES);
        }
        if (events.size() > 1 && events.get(events.size() - 1).path("timestamp").asLong()
                - events.get(0).path("timestamp").asLong() > Duration.ofHours(24).toMillis()) {
            // "A batch of log events in a single request cannot span more than 24 hours."
            throw AwsErrorException.clientError("InvalidParameterException",
                    "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }
        // "Events more than 2 hours in the future are rejected" / "older than 14 days … are rejected
        // while processing remaining valid events": indexes in rejectedLogEventsInfo.
        long now = clock.millis();
        long tooNewFrom = now + Duration.ofHours(2).toMillis();
        long tooOldBefore = now - Duration.ofDays(14).toMillis();
        Integer tooNewStart = null;
        Integer tooOldEnd = null;
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            long timestamp = event.path("timestamp").asLong();
            if (timestamp > tooNewFrom) {
                tooNewStart = tooNewStart == null ? i : tooNewStart;
            } else if (timestamp < tooOldBefore) {
                tooOldEnd = i + 1;
            } else {
                stream.add(new Event(timestamp, event.path("message").asText(), now));
            }
        }
        stream.sort(java.util.Comparator.comparingLong(Event::timestamp));
        ObjectNode answer = NODES.objectNode();
        if (tooNewStart != null || tooOldEnd != null) {
            ObjectNode rejected = answer.putObject("rejectedLogEventsInfo");
            if (tooNewStart != null) {
                rejected.put("tooNewLogEventStartIndex", tooNewStart);
            }
            if (tooOldEnd != null) {
                rejected.put("tooOldLogEventEndIndex", tooOldEnd);
            }
        }
        return answer;
    }

    /**
     * GetLogEvents: events of the time range [startTime, endTime); without a token, the first
     * {@code limit} events when startFromHead is true, the last {@code limit} otherwise (the
     * default). Tokens are {@code f/<index>} and {@code b/<index>}, as the response's
     * nextForwardToken and nextBackwardToken.
     */
    private synchronized JsonNode getLogEvents(JsonNode request) {
        String groupName = optionalText(request, "logGroupName", null);
        String identifier = optionalText(request, "logGroupIdentifier", null);
        if ((groupName == null) == (identifier == null)) {
            // API_GetLogEvents: "You must include either logGroupIdentifier or logGroupName, but not both."
            throw AwsErrorException.clientError("InvalidParameterException",
                    "Either logGroupName or logGroupIdentifier must be specified, but not both.");
        }
        if (identifier != null) {
            groupName = identifier.startsWith("arn:") ? identifier.replaceFirst("^arn:[^:]*:logs:[^:]*:[^:]*:log-group:", "")
                    .replaceFirst(":\\*$", "") : identifier;
        }
        long start = request.path("startTime").asLong(Long.MIN_VALUE);
        long end = request.path("endTime").asLong(Long.MAX_VALUE);
        List<Event> events = stream(group(groupName), requiredText(request, "logStreamName")).stream()
                .filter(event -> event.timestamp() >= start && event.timestamp() < end).toList();
        int limit = request.path("limit").isNumber() ? request.path("limit").asInt() : DEFAULT_EVENTS;
        String token = optionalText(request, "nextToken", null);
        int from;
        int to;
        if (token != null) {
            int at = tokenIndex(token, events.size());
            if (token.startsWith("f/")) {
                from = at;
                to = Math.min(events.size(), at + limit);
            } else {
                to = at;
                from = Math.max(0, at - limit);
            }
        } else if (request.path("startFromHead").asBoolean(false)) {
            from = 0;
            to = Math.min(events.size(), limit);
        } else {
            to = events.size();
            from = Math.max(0, to - limit);
        }
        ObjectNode answer = NODES.objectNode();
        ArrayNode list = answer.putArray("events");
        for (Event event : events.subList(from, to)) {
            list.addObject().put("timestamp", event.timestamp()).put("message", event.message())
                    .put("ingestionTime", event.ingestionTime());
        }
        answer.put("nextForwardToken", "f/" + to);
        answer.put("nextBackwardToken", "b/" + from);
        return answer;
    }

    private static int tokenIndex(String token, int size) {
        if (token.startsWith("f/") || token.startsWith("b/")) {
            try {
                int index = Integer.parseInt(token.substring(2));
                if (index >= 0 && index <= size) {
                    return index;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw AwsErrorException.clientError("InvalidParameterException", "The specified nextToken is invalid.");
    }

    private JsonNode describeLogGroups(JsonNode request) {
        // API_DescribeLogGroups: "logGroupNamePrefix and logGroupNamePattern are mutually exclusive".
        if (request.hasNonNull("logGroupNamePrefix") && request.hasNonNull("logGroupNamePattern")) {
            throw AwsErrorException.clientError("InvalidParameterException",
                    "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }
        String prefix = optionalText(request, "logGroupNamePrefix", "");
        List<Group> matching = groups.values().stream().filter(group -> group.name().startsWith(prefix)).toList();
        Paging.Page<Group> page = DESCRIBE_LOG_GROUPS.page(matching, request);
        ObjectNode answer = NODES.objectNode();
        ArrayNode list = answer.putArray("logGroups");
        for (Group group : page.items()) {
            String arn = "arn:aws:logs:" + region + ":" + account + ":log-group:" + group.name();
            long stored = group.streams().values().stream().flatMap(List::stream)
                    .mapToLong(event -> event.message().getBytes(StandardCharsets.UTF_8).length).sum();
            list.addObject().put("logGroupName", group.name()).put("creationTime", group.creationTime())
                    .put("metricFilterCount", 0).put("arn", arn + ":*").put("logGroupArn", arn)
                    .put("storedBytes", stored).put("logGroupClass", "STANDARD");
        }
        page.nextToken().ifPresent(token -> answer.put("nextToken", token));
        return answer;
    }

    private Group group(String name) {
        Group group = groups.get(name);
        if (group == null) {
            throw AwsErrorException.clientError("ResourceNotFoundException", "The specified log group does not exist.");
        }
        return group;
    }

    private static List<Event> stream(Group group, String name) {
        List<Event> stream = group.streams().get(name);
        if (stream == null) {
            throw AwsErrorException.clientError("ResourceNotFoundException", "The specified log stream does not exist.");
        }
        return stream;
    }
}
