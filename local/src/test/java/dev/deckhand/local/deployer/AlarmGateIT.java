package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.local.Clients;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.statemachine.clock.EngineClock;
import dev.deckhand.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The alarm gate against the local CloudWatch, through the deploy function's own role (IAM
 * enforced: cloudwatch:DescribeAlarms on exactly the gate's alarm ARNs, list_amazoncloudwatch):
 * a push on top of an alarm in ALARM is refused or waits for it to clear (API_DescribeAlarms:
 * StateValue OK | ALARM | INSUFFICIENT_DATA; API_SetAlarmState puts it there, as an incident would).
 */
class AlarmGateIT {

    private static final String ALARM = "storefront-dev-5xx";

    @Test
    void aPushOnTopOfAnAlarmIsRefusedBeforeAnythingChanges() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(devGated("refuse")).start();
                CloudWatchClient cloudWatch = Clients.cloudWatch(deckhand.cloud())) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            putAlarm(cloudWatch, "OK");
            putAlarm(cloudWatch, "ALARM");
            String before = scenarios.servingImage("acme-dev", "storefront-dev", "web");

            EcrImage image = deckhand.push("acme/storefront", List.of("feature-incident"), ImageBehaviour.healthy());
            ExecutionDescription execution = scenarios.finishedExecutionOf(image);

            assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(before);
            // Checked right before anything changes: after the release is prepared (and any approval), before the
            // migration and the service update.
            assertThat(scenarios.enteredStates(execution)).containsSubsequence("Prepare the release", "Check the alarms",
                    "Refuse to deploy during an alarm").doesNotContain("Update the service", "Wait for the alarms to clear");
            AttemptRecord record = scenarios.record(execution, "dev");
            assertThat(record.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(record.details().path("failure").path("cause").asText()).isEqualTo(
                    "storefront/dev has gate alarms in ALARM: " + ALARM + " (whenAlarming: refuse)");
        }
    }

    @Test
    void aWaitingPushDeploysOnceTheAlarmClears() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(devGated("wait")).start();
                CloudWatchClient cloudWatch = Clients.cloudWatch(deckhand.cloud())) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            putAlarm(cloudWatch, "ALARM");
            EcrImage image;
            // Time stands still while this activity is held, so the one-minute re-check cannot run out
            // the gate's wait before the alarm is cleared: deterministic however loaded the machine is.
            try (EngineClock.Activity held = deckhand.clock().beginActivity()) {
                image = deckhand.push("acme/storefront", List.of("feature-after-incident"), ImageBehaviour.healthy());
                scenarios.awaitEntered(image, "Wait for the alarms to clear");
                cloudWatch.setAlarmState(r -> r.alarmName(ALARM).stateValue(StateValue.OK).stateReason("recovered"));
            }
            ExecutionDescription execution = scenarios.finishedExecutionOf(image);

            assertThat(execution.status()).as(execution.error() + ": " + execution.cause())
                    .isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(scenarios.servingImage("acme-dev", "storefront-dev", "web")).isEqualTo(image.uri());
            assertThat(scenarios.enteredStates(execution)).containsSubsequence("Prepare the release", "Check the alarms",
                    "Wait for the alarms to clear", "Check the alarms", "Update the service");
        }
    }

    @Test
    void anEnvironmentWithoutAGatePaysNoInvocationForIt() throws Exception {
        try (LocalDeckhand deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start()) {
            DeployerScenarios scenarios = new DeployerScenarios(deckhand);
            EcrImage image = deckhand.push("acme/storefront", List.of("feature-ungated"), ImageBehaviour.healthy());
            ExecutionDescription execution = scenarios.finishedExecutionOf(image);

            assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(scenarios.enteredStates(execution)).contains("Alarm gate configured?")
                    .doesNotContain("Check the alarms", "Wait for the freeze to end");
        }
    }

    private static void putAlarm(CloudWatchClient cloudWatch, String state) {
        cloudWatch.putMetricAlarm(r -> r.alarmName(ALARM).namespace("AWS/ApplicationELB")
                .metricName("HTTPCode_Target_5XX_Count").statistic(Statistic.SUM).period(60).evaluationPeriods(1)
                .threshold(5.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        cloudWatch.setAlarmState(r -> r.alarmName(ALARM).stateValue(state).stateReason("set by the test"));
    }

    /** The sample configuration with an alarm gate on storefront/dev. */
    private static DeckhandConfiguration devGated(String whenAlarming) {
        String line = "        deployOnPush: [\"feature-*\", \"bugfix-*\", \"main-*\"]\n";
        String yaml = Fixtures.read("deckhand.yml");
        assertThat(yaml).contains(line);
        return ConfigurationLoader.parse(yaml.replace(line, line + "        gate:\n          alarms: [" + ALARM
                + "]\n          whenAlarming: " + whenAlarming + "\n"), "deckhand.yml with an alarm gate in dev");
    }

}
