package dev.deckhand.notify;

import dev.deckhand.config.NotificationSettings;

/** One place outcomes are reported to. A channel that fails never changes the outcome. */
public interface NotificationChannel {

    String name();

    /**
     * Sends the report; returns false when the channel does not apply (e.g. no Slack webhook
     * configured for the environment).
     *
     * @param settings the environment's notification targets, or {@code null} (none)
     */
    boolean send(DeploymentReport report, NotificationSettings settings) throws Exception;
}
