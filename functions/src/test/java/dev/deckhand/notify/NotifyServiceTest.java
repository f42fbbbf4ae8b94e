package dev.deckhand.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.testing.Targets;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NotifyService with in-memory channels: every channel is told, and none can change the outcome. */
class NotifyServiceTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);

    private final List<DeploymentReport> sent = new ArrayList<>();

    private NotificationChannel channel(String name, boolean applies) {
        return new NotificationChannel() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean send(DeploymentReport report, dev.deckhand.config.NotificationSettings settings) {
                if (applies) {
                    sent.add(report);
                }
                return applies;
            }
        };
    }

    private static NotificationChannel broken(String name) {
        return new NotificationChannel() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean send(DeploymentReport report, dev.deckhand.config.NotificationSettings settings) throws IOException {
                throw new IOException("the topic did not answer");
            }
        };
    }

    private static OutcomeInput success() {
        ObjectNode event = DeckhandJson.MAPPER.createObjectNode().put("outcome", "SUCCEEDED")
                .put("executionArn", "arn:aws:states:eu-west-1:123456789012:execution:deployer:x");
        event.set("target", DeckhandJson.MAPPER.valueToTree(Targets.storefrontDev("feature-x", "ab")));
        event.putObject("claim").put("decision", "PROCEED").put("attempt", 1);
        return OutcomeInput.parse(event);
    }

    @Test
    void everyChannelIsToldAndSaysWhatItDid() {
        List<List<OutcomeMetric>> metrics = new ArrayList<>();
        NotifyService service = new NotifyService(List.of(channel("sns", true), channel("slack", false)),
                metrics::add, CLOCK);

        NotifyService.Delivery delivery = service.report(success());

        assertThat(delivery.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(delivery.summary()).isEqualTo("Deployed feature-x to storefront/dev");
        assertThat(delivery.channels()).containsExactly(
                java.util.Map.entry("sns", "sent"), java.util.Map.entry("slack", "not configured"));
        assertThat(sent).singleElement().extracting(DeploymentReport::service).isEqualTo("storefront");
        assertThat(metrics).hasSize(1);
    }

    @Test
    void aFailingChannelOrMetricsSinkNeverChangesTheOutcome() {
        NotifyService service = new NotifyService(List.of(broken("sns"), channel("events", true)),
                ignored -> {
                    throw new IllegalStateException("metrics are down");
                }, CLOCK);

        NotifyService.Delivery delivery = service.report(success());

        assertThat(delivery.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(delivery.channels()).containsEntry("sns", "failed: IOException").containsEntry("events", "sent");
        assertThat(sent).hasSize(1);
    }
}
