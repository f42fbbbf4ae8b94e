package dev.deckhand.aws;

import dev.deckhand.config.NotificationSettings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.notify.DeploymentReport;
import dev.deckhand.notify.NotificationChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Posts a one-line summary to the environment's Slack incoming webhook. The webhook URL is a
 * secret: it is read from Secrets Manager here, at the moment of sending, and never appears in the
 * state machine's data, environment variables, logs or exception messages.
 */
public final class SlackChannel implements NotificationChannel {

    private final AwsJsonClient secrets;

    public SlackChannel(AwsJsonClient secrets) {
        this.secrets = secrets;
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public boolean send(DeploymentReport report, NotificationSettings settings) throws Exception {
        String slackWebhookSecret = settings == null ? null : settings.slackWebhookSecret();
        if (slackWebhookSecret == null || slackWebhookSecret.isBlank()) {
            return false;
        }
        String url = AwsCalls.call("read Slack webhook secret " + slackWebhookSecret,
                // API_GetSecretValue: the text of the AWSCURRENT version is SecretString.
                () -> secrets.call("GetSecretValue", DeckhandJson.MAPPER.createObjectNode()
                        .put("SecretId", slackWebhookSecret)).path("SecretString").asText());
        ObjectNode message = DeckhandJson.MAPPER.createObjectNode();
        message.put("text", icon(report) + " " + report.summary()
                + (report.executionArn() == null ? "" : "\nExecution: " + report.executionArn()));
        HttpResponse<Void> response;
        try {
            response = WebhookHttp.client().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(message.toString())).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | IllegalArgumentException e) {
            // Say what failed without the URL: exception messages of the HTTP client may contain it.
            throw new IOException("the Slack webhook did not answer (" + e.getClass().getSimpleName() + ")");
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("the Slack webhook answered HTTP " + response.statusCode());
        }
        return true;
    }

    private static String icon(DeploymentReport report) {
        return switch (report.outcome()) {
            case SUCCEEDED -> ":white_check_mark:";
            case ROLLED_BACK -> ":leftwards_arrow_with_hook:";
            case ROLLBACK_FAILED -> ":rotating_light:";
            case FAILED -> ":x:";
            default -> ":information_source:";
        };
    }
}
