package dev.deckhand.local.sns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.aws.SnsChannel;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.aws.AwsClients;
import dev.deckhand.aws.AwsQueryClient;
import dev.deckhand.local.LocalCloud;
import dev.deckhand.notify.DeploymentReport;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Deckhand's SNS channel (its Query call, signed with the SDK's signer) against a local SNS that refuses what SNS refuses
 * (API_Publish, Subject: UTF-8 text, no line breaks or control characters, under 100 characters):
 * every report is published, however hostile the service name or tag in its summary.
 */
class SnsChannelIT {

    private static LocalCloud cloud;
    private static AwsQueryClient sns;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start();
        sns = AwsClients.forEndpoint(cloud.endpoint(), Region.of(cloud.region()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).sns();
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void publishesEveryReportWithAValidSubjectWhateverTheServiceNameOrTag() throws Exception {
        String topic = cloud.topics().createTopic("deckhand-outcomes");
        SnsChannel channel = new SnsChannel(sns, topic);
        List<String> hostile = List.of(
                "web\r\nBcc: everyone@example.com",
                "tab\there bell\u0007 escape\u001b[31m nul\u0000 del\u007f c1\u0085",
                "line\u2028separator",
                "caf\u00e9-\u0441\u0435\u0440\u0432\u0438\u0441-\uD83D\uDE80",
                "v".repeat(300),
                "\uD83D\uDE80".repeat(100));

        for (String name : hostile) {
            assertThat(channel.send(report("Failed to deploy " + name + " to " + name + "/prod: boom"), null)).isTrue();
        }

        assertThat(cloud.topics().messages(topic)).hasSize(hostile.size()).allSatisfy(message ->
                assertThat(message.subject()).hasValueSatisfying(subject -> assertThat(subject)
                        .startsWith("Deckhand FAILED: Failed to deploy ").hasSizeLessThan(100)
                        .matches("[\\x20-\\x7e]+")));
    }

    private static DeploymentReport report(String summary) {
        return new DeploymentReport(Outcome.FAILED, summary, "web.prod.0123456789abcdef", 1, "web", "prod",
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:" + "0".repeat(64), "v1", "PUSH", null,
                null, Instant.parse("2026-12-06T10:00:00Z"), Instant.parse("2026-12-06T10:05:00Z"), null);
    }
}
