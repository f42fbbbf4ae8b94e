package dev.deckhand.local.events;

import static dev.deckhand.local.aws.RequestFields.optionalText;
import static dev.deckhand.local.aws.RequestFields.requiredText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.aws.EventPublisher;
import dev.deckhand.local.aws.JsonProtocolService;
import dev.deckhand.local.fault.FaultInjector;
import dev.deckhand.local.fault.FaultKind;
import dev.deckhand.local.fault.FaultRule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The default EventBridge event bus: PutEvents, PutRule / DescribeRule / DeleteRule / ListRules /
 * EnableRule / DisableRule, PutTargets / RemoveTargets / ListTargetsByRule over the AWS JSON
 * protocol ({@code X-Amz-Target: AWSEvents.*}), following the EventBridge API reference.
 *
 * <p>Events put through the API or {@link #publish} are matched against every enabled rule's
 * {@link EventPattern}; each target of a matching rule is handed the event (or its Input /
 * InputPath) on a delivery thread, as EventBridge delivers asynchronously. Published events and
 * deliveries are kept for tests to inspect.
 */
public final class EventBus implements JsonProtocolService, EventPublisher, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventBus.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUS = "default";
    /** 256 KiB: the PutEvents entry size limit (API_PutEvents, eb-putevent-size). */
    static final long MAX_ENTRIES_SIZE = 256 * 1024;

    private record Target(String id, String arn, Optional<String> input, Optional<String> inputPath) {
    }

    private record Rule(String name, String arn, Optional<EventPattern> pattern, Optional<String> schedule,
            boolean enabled, String description, Map<String, Target> targets) {
    }

    private final String region;
    private final String account;
    private final Map<String, Rule> rules = new ConcurrentSkipListMap<>();
    private final Map<String, EventTarget> invokers = new ConcurrentSkipListMap<>(Comparator.reverseOrder());
    private final List<ObjectNode> events = new CopyOnWriteArrayList<>();
    private final FaultInjector faults;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final ExecutorService deliveryThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "deckhand-local-eventbridge-delivery");
        thread.setDaemon(true);
        return thread;
    });

    private volatile java.util.function.Supplier<AutoCloseable> deliveryHold = () -> () -> { };

    public EventBus(String region, String account) {
        this(region, account, null);
    }

    /**
     * @param faults where per-entry PutEvents faults are drawn ({@link FaultKind#ENTRY_THROTTLED},
     *     {@link FaultKind#ENTRY_INTERNAL_FAILURE}); {@code null} for none
     */
    public EventBus(String region, String account, FaultInjector faults) {
        this.region = region;
        this.account = account;
        this.faults = faults;
    }

    @Override
    public String targetPrefix() {
        return "AWSEvents";
    }

    /**
     * Routes targets whose ARN starts with {@code arnPrefix} (e.g. {@code arn:aws:states:}) to
     * {@code target}; the longest matching prefix wins.
     */
    public void registerTarget(String arnPrefix, EventTarget target) {
        invokers.put(arnPrefix, target);
    }

    /**
     * Puts an event on the bus, as AWS services do: the full envelope (missing {@code id},
     * {@code time}, {@code account}, {@code region}, {@code version} and {@code resources} are filled in).
     */
    @Override
    public void publish(ObjectNode event) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("version", "0");
        envelope.put("id", UUID.randomUUID().toString());
        envelope.set("detail-type", event.path("detail-type"));
        envelope.set("source", event.path("source"));
        envelope.put("account", account);
        envelope.put("time", DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        envelope.put("region", region);
        envelope.set("resources", JSON.createArrayNode());
        envelope.set("detail", JSON.createObjectNode());
        envelope.setAll(event);
        route(envelope);
    }

    /** Every event put on the bus so far, oldest first. */
    public List<ObjectNode> events() {
        return List.copyOf(events);
    }

    /** Every delivery to a rule target so far, oldest first. */
    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /**
     * Opens {@code hold} when an event is routed to a target and closes it once delivered, so that a
     * simulated clock does not move on while an event is on its way (EventBridge delivers in
     * milliseconds; simulated time must not let a timeout overtake it).
     */
    public void holdWhileDelivering(java.util.function.Supplier<AutoCloseable> hold) {
        this.deliveryHold = hold;
    }

    /** Creates or replaces a rule from Java, as PutRule with an event pattern would. */
    public String putRule(String name, String eventPattern) {
        ObjectNode request = JSON.createObjectNode().put("Name", name).put("EventPattern", eventPattern);
        return putRule(request).path("RuleArn").asText();
    }

    /** Adds or replaces a target of a rule from Java, as PutTargets would. */
    public void putTarget(String ruleName, String targetId, String targetArn) {
        ObjectNode request = JSON.createObjectNode().put("Rule", ruleName);
        request.putArray("Targets").addObject().put("Id", targetId).put("Arn", targetArn);
        putTargets(request);
    }

    @Override
    public JsonNode handle(String operation, JsonNode request) {
        return switch (operation) {
            case "PutEvents" -> putEvents(request);
            case "PutRule" -> putRule(request);
            case "DescribeRule" -> describe(findRule(request, "Name"));
            case "DeleteRule" -> deleteRule(request);
            case "ListRules" -> listRules(request);
            case "EnableRule", "DisableRule" -> {
                Rule rule = findRule(request, "Name");
                rules.put(rule.name(), new Rule(rule.name(), rule.arn(), rule.pattern(), rule.schedule(),
                        operation.equals("EnableRule"), rule.description(), rule.targets()));
                yield JSON.createObjectNode();
            }
            case "PutTargets" -> putTargets(request);
            case "RemoveTargets" -> removeTargets(request);
            case "ListTargetsByRule" -> listTargets(request);
            default -> throw AwsErrorException.unsupportedOperation("AWSEvents." + operation);
        };
    }

    @Override
    public void close() {
        deliveryThread.shutdown();
        try {
            if (!deliveryThread.awaitTermination(5, TimeUnit.SECONDS)) {
                deliveryThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            deliveryThread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode putEvents(JsonNode request) {
        JsonNode entries = request.path("Entries");
        if (!entries.isArray() || entries.isEmpty() || entries.size() > 10) {
            throw AwsErrorException.clientError("ValidationException",
                    "1 validation error detected: Value at 'entries' failed to satisfy constraint: "
                            + "Member must have length less than or equal to 10 and greater than or equal to 1");
        }
        long size = 0;
        for (JsonNode entry : entries) {
            size += entrySize(entry);
        }
        if (size > MAX_ENTRIES_SIZE) {
            // "The total entry size must be less than 256KB" (eb-putevent-size); EventBridge refuses the
            // whole request with this ValidationException, as AWS users report it.
            throw AwsErrorException.clientError("ValidationException",
                    "Total size of the entries in the request is over the limit.");
        }
        ArrayNode results = JSON.createArrayNode();
        int failed = 0;
        for (JsonNode entry : entries) {
            Optional<String> error = entryError(entry);
            if (error.isPresent()) {
                failed++;
                // An invalid entry fails alone, in the result, not the whole call (PutEvents, "Entries").
                results.addObject().put("ErrorCode", error.get().startsWith("Malformed") ? "MalformedDetail"
                        : "InvalidArgument").put("ErrorMessage", error.get());
                continue;
            }
            if (entry.path("Source").asText().startsWith("aws.")) {
                // Only AWS services publish "aws.*" sources; a caller's entry fails alone with
                // NotAuthorizedForSourceException (API_PutEventsResultEntry, ErrorCode).
                failed++;
                results.addObject().put("ErrorCode", "NotAuthorizedForSourceException")
                        .put("ErrorMessage", "Not authorized for the source.");
                continue;
            }
            Optional<FaultKind> fault = faults == null ? Optional.empty() : faults.decideEntry(targetPrefix(), "PutEvents");
            if (fault.isPresent()) {
                failed++;
                // "eb-putevents", Handling failures with PutEvents: one entry can fail with a retryable
                // ErrorCode (ThrottlingException, InternalFailure) while the others are put.
                boolean throttled = fault.get() == FaultKind.ENTRY_THROTTLED;
                results.addObject().put("ErrorCode", throttled ? "ThrottlingException" : "InternalFailure")
                        .put("ErrorMessage", (throttled ? "Rate exceeded" : "Internal service error")
                                + " (fault injected by the Deckhand local cloud)");
                continue;
            }
            ObjectNode envelope = envelope(entry);
            route(envelope);
            results.addObject().put("EventId", envelope.path("id").asText());
        }
        ObjectNode answer = JSON.createObjectNode().put("FailedEntryCount", failed);
        answer.set("Entries", results);
        return answer;
    }

    /**
     * An entry's size as EventBridge counts it ("Calculating Amazon EventBridge PutEvents event entry
     * size"): 14 bytes for Time when given, and the UTF-8 bytes of Source, DetailType, Detail and each
     * of Resources.
     */
    static long entrySize(JsonNode entry) {
        long size = entry.hasNonNull("Time") ? 14 : 0;
        for (String member : List.of("Source", "DetailType", "Detail")) {
            size += entry.path(member).asText("").getBytes(StandardCharsets.UTF_8).length;
        }
        for (JsonNode resource : entry.path("Resources")) {
            size += resource.asText("").getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }

    private Optional<String> entryError(JsonNode entry) {
        for (String member : List.of("Source", "DetailType", "Detail")) {
            if (!entry.path(member).isTextual() || entry.path(member).textValue().isEmpty()) {
                return Optional.of("Parameter " + member + " is not valid. Reason: " + member + " is a required argument.");
            }
        }
        String bus = optionalText(entry, "EventBusName", BUS);
        if (!bus.equals(BUS) && !bus.endsWith(":event-bus/" + BUS)) {
            return Optional.of("Event bus " + bus + " does not exist.");
        }
        try {
            if (!JSON.readTree(entry.path("Detail").textValue()).isObject()) {
                return Optional.of("Malformed detail: Detail must be a JSON object.");
            }
        } catch (JsonProcessingException e) {
            return Optional.of("Malformed detail: " + e.getOriginalMessage());
        }
        return Optional.empty();
    }

    private ObjectNode envelope(JsonNode entry) {
        Instant time = entry.path("Time").isNumber()
                ? Instant.ofEpochMilli((long) (entry.path("Time").asDouble() * 1000))
                : Instant.now();
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("version", "0");
        envelope.put("id", UUID.randomUUID().toString());
        envelope.put("detail-type", entry.path("DetailType").asText());
        envelope.put("source", entry.path("Source").asText());
        envelope.put("account", account);
        envelope.put("time", DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS)));
        envelope.put("region", region);
        ArrayNode resources = envelope.putArray("resources");
        entry.path("Resources").forEach(resources::add);
        try {
            envelope.set("detail", JSON.readTree(entry.path("Detail").asText()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Detail was validated as JSON before", e);
        }
        return envelope;
    }

    private void route(ObjectNode envelope) {
        events.add(envelope);
        for (Rule rule : rules.values()) {
            if (rule.enabled() && rule.pattern().isPresent() && rule.pattern().get().matches(envelope)) {
                for (Target target : rule.targets().values()) {
                    AutoCloseable hold = deliveryHold.get();
                    deliveryThread.execute(() -> {
                        try {
                            deliver(rule, target, envelope);
                        } finally {
                            release(hold);
                        }
                    });
                }
            }
        }
    }

    private static void release(AutoCloseable hold) {
        try {
            hold.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "could not release a delivery hold", e);
        }
    }

    private void deliver(Rule rule, Target target, ObjectNode event) {
        JsonNode input;
        try {
            input = input(target, event);
        } catch (JsonProcessingException e) {
            deliveries.add(new Delivery(rule.name(), target.id(), target.arn(), event, MissingNode.getInstance(),
                    Delivery.Outcome.FAILED, Optional.of("Input is not valid JSON: " + e.getOriginalMessage())));
            return;
        }
        if (dropped(rule)) {
            deliveries.add(new Delivery(rule.name(), target.id(), target.arn(), event, input,
                    Delivery.Outcome.FAILED, Optional.of("dropped by fault injection")));
            return;
        }
        EventTarget invoker = invokers.entrySet().stream()
                .filter(e -> target.arn().startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst().orElse(null);
        if (invoker == null) {
            deliveries.add(new Delivery(rule.name(), target.id(), target.arn(), event, input,
                    Delivery.Outcome.NO_TARGET, Optional.empty()));
            return;
        }
        try {
            invoker.deliver(target.arn(), input);
            deliveries.add(new Delivery(rule.name(), target.id(), target.arn(), event, input,
                    Delivery.Outcome.DELIVERED, Optional.empty()));
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Rule " + rule.name() + " failed to deliver to " + target.arn(), e);
            deliveries.add(new Delivery(rule.name(), target.id(), target.arn(), event, input,
                    Delivery.Outcome.FAILED, Optional.of(e.toString())));
        }
    }

    /** Whether an injected fault ({@link FaultRule#dropDeliveries}) loses this delivery. */
    private boolean dropped(Rule rule) {
        if (faults == null || faults.rules().stream().noneMatch(fault -> fault.service().equals(FaultRule.DELIVERIES))) {
            return false;
        }
        return faults.decide(FaultRule.DELIVERIES, rule.name()).failure().filter(kind -> kind == FaultKind.DROP).isPresent();
    }

    /** Input (constant JSON) wins over InputPath (a JSONPath into the event); else the whole event. */
    private static JsonNode input(Target target, ObjectNode event) throws JsonProcessingException {
        if (target.input().isPresent()) {
            return JSON.readTree(target.input().get());
        }
        if (target.inputPath().isPresent()) {
            return select(event, target.inputPath().get());
        }
        return event;
    }

    /** The simple JSONPath subset InputPath uses in practice: {@code $}, {@code $.detail}, {@code $.detail.a.b}. */
    private static JsonNode select(JsonNode event, String path) {
        JsonNode node = event;
        String rest = path.equals("$") ? "" : path.substring(2);
        for (String step : rest.isEmpty() ? new String[0] : rest.split("\\.")) {
            node = node.path(step);
        }
        return node;
    }

    private JsonNode putRule(JsonNode request) {
        String name = requiredText(request, "Name");
        checkBus(request);
        String patternText = optionalText(request, "EventPattern", null);
        String schedule = optionalText(request, "ScheduleExpression", null);
        if (patternText == null && schedule == null) {
            throw AwsErrorException.clientError("ValidationException",
                    "Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }
        Optional<EventPattern> pattern;
        try {
            pattern = Optional.ofNullable(patternText).map(EventPattern::parse);
        } catch (InvalidEventPatternException e) {
            throw AwsErrorException.clientError("InvalidEventPatternException", e.getMessage());
        }
        String arn = "arn:aws:events:" + region + ":" + account + ":rule/" + name;
        Rule existing = rules.get(name);
        String state = optionalText(request, "State", "ENABLED");
        rules.put(name, new Rule(name, arn, pattern, Optional.ofNullable(schedule), !state.equals("DISABLED"),
                optionalText(request, "Description", ""),
                existing == null ? new ConcurrentSkipListMap<>() : existing.targets()));
        return JSON.createObjectNode().put("RuleArn", arn);
    }

    private JsonNode describe(Rule rule) {
        ObjectNode answer = JSON.createObjectNode().put("Name", rule.name()).put("Arn", rule.arn())
                .put("State", rule.enabled() ? "ENABLED" : "DISABLED").put("EventBusName", BUS);
        rule.pattern().ifPresent(p -> answer.put("EventPattern", p.json()));
        rule.schedule().ifPresent(s -> answer.put("ScheduleExpression", s));
        if (!rule.description().isEmpty()) {
            answer.put("Description", rule.description());
        }
        return answer;
    }

    private JsonNode deleteRule(JsonNode request) {
        String name = requiredText(request, "Name");
        Rule rule = rules.get(name);
        if (rule != null && !rule.targets().isEmpty()) {
            throw AwsErrorException.clientError("ValidationException", "Rule can't be deleted since it has targets.");
        }
        rules.remove(name);
        return JSON.createObjectNode();
    }

    private JsonNode listRules(JsonNode request) {
        String prefix = optionalText(request, "NamePrefix", "");
        int limit = request.path("Limit").asInt(100);
        String after = optionalText(request, "NextToken", "");
        List<Rule> matching = rules.values().stream()
                .filter(r -> r.name().startsWith(prefix) && r.name().compareTo(after) > 0)
                .limit(limit + 1L).toList();
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode page = answer.putArray("Rules");
        matching.stream().limit(limit).forEach(r -> page.add(describe(r)));
        if (matching.size() > limit) {
            answer.put("NextToken", matching.get(limit - 1).name());
        }
        return answer;
    }

    private JsonNode putTargets(JsonNode request) {
        Rule rule = findRule(request, "Rule");
        JsonNode targets = request.path("Targets");
        if (!targets.isArray() || targets.isEmpty()) {
            throw AwsErrorException.clientError("ValidationException", "Targets must not be empty.");
        }
        ArrayNode failures = JSON.createArrayNode();
        for (JsonNode target : targets) {
            String id = optionalText(target, "Id", "");
            String arn = optionalText(target, "Arn", "");
            if (id.isEmpty() || arn.isEmpty()) {
                failures.addObject().put("TargetId", id).put("ErrorCode", "ValidationException")
                        .put("ErrorMessage", "Target Id and Arn are required.");
                continue;
            }
            rule.targets().put(id, new Target(id, arn, Optional.ofNullable(optionalText(target, "Input", null)),
                    Optional.ofNullable(optionalText(target, "InputPath", null))));
        }
        ObjectNode answer = JSON.createObjectNode().put("FailedEntryCount", failures.size());
        answer.set("FailedEntries", failures);
        return answer;
    }

    private JsonNode removeTargets(JsonNode request) {
        Rule rule = findRule(request, "Rule");
        request.path("Ids").forEach(id -> rule.targets().remove(id.asText()));
        ObjectNode answer = JSON.createObjectNode().put("FailedEntryCount", 0);
        answer.putArray("FailedEntries");
        return answer;
    }

    private JsonNode listTargets(JsonNode request) {
        Rule rule = findRule(request, "Rule");
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode targets = answer.putArray("Targets");
        for (Target target : rule.targets().values()) {
            ObjectNode node = targets.addObject().put("Id", target.id()).put("Arn", target.arn());
            target.input().ifPresent(i -> node.put("Input", i));
            target.inputPath().ifPresent(p -> node.put("InputPath", p));
        }
        return answer;
    }

    private Rule findRule(JsonNode request, String member) {
        checkBus(request);
        String name = requiredText(request, member);
        Rule rule = rules.get(name);
        if (rule == null) {
            throw AwsErrorException.clientError("ResourceNotFoundException",
                    "Rule " + name + " does not exist on EventBus " + BUS + ".");
        }
        return rule;
    }

    /** Only the default bus exists locally. */
    private void checkBus(JsonNode request) {
        String bus = optionalText(request, "EventBusName", BUS);
        if (!bus.equals(BUS) && !bus.endsWith(":event-bus/" + BUS)) {
            throw AwsErrorException.clientError("ResourceNotFoundException", "Event bus " + bus + " does not exist.");
        }
    }
}
