package dev.deckhand.config;

/**
 * Where an environment's outcomes are reported beyond Deckhand's own SNS topic and EventBridge
 * events.
 *
 * @param slackWebhookSecret name or ARN of the Secrets Manager secret that holds a Slack incoming
 *     webhook URL, or {@code null}. The URL itself never appears in configuration, state or logs.
 * @param github the GitHub repository that shows the deployments, or {@code null}
 */
public record NotificationSettings(String slackWebhookSecret, GitHubTarget github) {

    public static final NotificationSettings NONE = new NotificationSettings(null, null);
}
