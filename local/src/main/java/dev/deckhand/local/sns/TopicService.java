package dev.deckhand.local.sns;

import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.aws.QueryProtocolService;
import dev.deckhand.local.gateway.Xml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * SNS topics over the AWS query protocol (CreateTopic, Publish, ListTopics, ListSubscriptions,
 * ListSubscriptionsByTopic, DeleteTopic), following
 * the SNS API reference. Published messages are kept per topic for tests and the demo to read;
 * there are no subscriptions.
 */
public final class TopicService implements QueryProtocolService {

    /** "Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens". */
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}(\\.fifo)?");

    private final String region;
    private final String account;
    private final Map<String, List<PublishedMessage>> topics = new ConcurrentHashMap<>();

    public TopicService(String region, String account) {
        this.region = region;
        this.account = account;
    }

    @Override
    public String signingName() {
        return "sns";
    }

    @Override
    public String xmlNamespace() {
        return "http://sns.amazonaws.com/doc/2010-03-31/";
    }

    /** Creates a topic from Java (idempotent, like CreateTopic) and returns its ARN. */
    public String createTopic(String name) {
        if (!TOPIC_NAME.matcher(name).matches()) {
            throw new AwsErrorException(400, "InvalidParameter", "Invalid parameter: Topic Name");
        }
        String arn = "arn:aws:sns:" + region + ":" + account + ":" + name;
        topics.putIfAbsent(arn, new CopyOnWriteArrayList<>());
        return arn;
    }

    /** The messages published to a topic, oldest first; empty for an unknown topic. */
    public List<PublishedMessage> messages(String topicArn) {
        return List.copyOf(topics.getOrDefault(topicArn, List.of()));
    }

    @Override
    public String handle(String action, Map<String, String> parameters) {
        return switch (action) {
            case "CreateTopic" -> "<TopicArn>" + Xml.escape(createTopic(required(parameters, "Name"))) + "</TopicArn>";
            case "Publish" -> "<MessageId>" + publish(parameters) + "</MessageId>";
            case "ListTopics" -> {
                StringBuilder xml = new StringBuilder("<Topics>");
                topics.keySet().stream().sorted().forEach(arn ->
                        xml.append("<member><TopicArn>").append(Xml.escape(arn)).append("</TopicArn></member>"));
                yield xml.append("</Topics>").toString();
            }
            case "ListSubscriptions" -> subscriptions(parameters, null);
            case "ListSubscriptionsByTopic" -> subscriptions(parameters, required(parameters, "TopicArn"));
            case "DeleteTopic" -> {
                topics.remove(required(parameters, "TopicArn"));
                yield "";
            }
            default -> throw new AwsErrorException(400, "InvalidAction",
                    "The action " + action + " is not valid for this endpoint of the Deckhand local cloud");
        };
    }

    /**
     * ListSubscriptions and ListSubscriptionsByTopic (up to 100 a page, NextToken). The local topics
     * have no subscribers, so the lists are empty; an unknown topic is NotFound and a token never
     * issued is InvalidParameter, as SNS answers them.
     */
    private String subscriptions(Map<String, String> parameters, String topicArn) {
        if (topicArn != null && !topics.containsKey(topicArn)) {
            throw new AwsErrorException(404, "NotFound", "Topic does not exist");
        }
        if (parameters.containsKey("NextToken")) {
            throw new AwsErrorException(400, "InvalidParameter", "Invalid parameter: NextToken");
        }
        return "<Subscriptions/>";
    }

    private String publish(Map<String, String> parameters) {
        String topicArn = parameters.getOrDefault("TopicArn", parameters.get("TargetArn"));
        if (topicArn == null) {
            throw new AwsErrorException(400, "InvalidParameter",
                    "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
        }
        String message = required(parameters, "Message");
        List<PublishedMessage> messages = topics.get(topicArn);
        if (messages == null) {
            throw new AwsErrorException(404, "NotFound", "Topic does not exist");
        }
        validSubject(parameters.get("Subject"));
        String id = UUID.randomUUID().toString();
        messages.add(new PublishedMessage(id, topicArn, Optional.ofNullable(parameters.get("Subject")), message,
                attributes(parameters)));
        return id;
    }

    /**
     * API_Publish, Subject: "Subjects must be UTF-8 text with no line breaks or control characters,
     * and less than 100 characters long"; SNS answers InvalidParameter for any other.
     */
    private static void validSubject(String subject) {
        if (subject == null) {
            return;
        }
        String reason = subject.codePointCount(0, subject.length()) >= 100
                ? "Subject must be less than 100 characters long"
                : subject.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)
                        ? "Subject must not contain line breaks or control characters" : null;
        if (reason != null) {
            throw new AwsErrorException(400, "InvalidParameter", "Invalid parameter: Subject Reason: " + reason);
        }
    }

    /** MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue or .Value.BinaryValue. */
    private static Map<String, String> attributes(Map<String, String> parameters) {
        Map<String, String> attributes = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int n = 1; parameters.containsKey("MessageAttributes.entry." + n + ".Name"); n++) {
            names.add("MessageAttributes.entry." + n);
        }
        for (String entry : names) {
            String value = parameters.getOrDefault(entry + ".Value.StringValue", parameters.get(entry + ".Value.BinaryValue"));
            attributes.put(parameters.get(entry + ".Name"), value);
        }
        return attributes;
    }

    private static String required(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null || value.isEmpty()) {
            throw new AwsErrorException(400, "InvalidParameter",
                    "Invalid parameter: " + name + " Reason: no value for required parameter");
        }
        return value;
    }
}
