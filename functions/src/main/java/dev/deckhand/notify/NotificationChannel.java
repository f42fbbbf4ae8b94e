package dev.deckhand.notify;

/** One place outcomes are reported to. A channel that fails never changes the outcome. */
public interface NotificationChannel {

    String name();

    /**
     * Sends the report; returns false when the channel does not apply (e.g. no Slack webhook
     * configured for the environment).
     *
     * @param slackWebhookSecret the environment's secret name, or {@code null}
     */
    boolean send(DeploymentReport report, String slackWebhookSecret) throws Exception;
}
