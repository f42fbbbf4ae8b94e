package dev.deckhand.aws;

import dev.deckhand.config.NotificationSettings;

import dev.deckhand.json.DeckhandJson;
import dev.deckhand.notify.DeploymentReport;
import dev.deckhand.notify.NotificationChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes every report to Deckhand's SNS topic, as JSON, with the summary as subject: SNS's
 * {@code Publish} (SNS API Reference, "Publish": {@code TopicArn}, {@code Subject}, {@code Message}),
 * a Query call, whose answer (the message ID) Deckhand does not need.
 */
public final class SnsChannel implements NotificationChannel {

    private final AwsQueryClient sns;
    private final String topicArn;

    public SnsChannel(AwsQueryClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public String name() {
        return "sns";
    }

    @Override
    public boolean send(DeploymentReport report, NotificationSettings settings) throws Exception {
        String subject = SnsSubject.of("Deckhand " + report.outcome() + ": " + report.summary());
        String message = DeckhandJson.MAPPER.writeValueAsString(report);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("TopicArn", topicArn);
        parameters.put("Subject", subject);
        parameters.put("Message", message);
        AwsCalls.call("publish to " + topicArn, () -> sns.call("Publish", parameters, false));
        return true;
    }
}
