package dev.deckhand.aws;

import dev.deckhand.config.NotificationSettings;

import dev.deckhand.json.DeckhandJson;
import dev.deckhand.notify.DeploymentReport;
import dev.deckhand.notify.NotificationChannel;
import software.amazon.awssdk.services.sns.SnsClient;

/** Publishes every report to Deckhand's SNS topic, as JSON, with the summary as subject. */
public final class SnsChannel implements NotificationChannel {

    private final SnsClient sns;
    private final String topicArn;

    public SnsChannel(SnsClient sns, String topicArn) {
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
        AwsCalls.call("publish to " + topicArn, () -> sns.publish(request -> request.topicArn(topicArn)
                .subject(subject)
                .message(message)));
        return true;
    }
}
