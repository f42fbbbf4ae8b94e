package dev.deckhand.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.freeze.FreezeSettings;
import dev.deckhand.freeze.FreezeWindow;
import dev.deckhand.gate.AlarmGate;
import dev.deckhand.testing.Targets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code deckhand plan} names the gates a deployment would meet, from the target the resolver builds. */
class PlanGatesTest {

    @Test
    void namesTheFreezeWindowsAndTheAlarmGateOrNone() {
        DeploymentTarget plain = Targets.storefrontDev("feature-x", "ab");
        DeploymentTarget gated = new DeploymentTarget(plain.deploymentId(), plain.trigger(), plain.requestedBy(),
                plain.service(), plain.environment(), plain.cluster(), plain.ecsService(), plain.container(),
                plain.image(), plain.healthCheck(), plain.migration(), plain.verification(), plain.notifications(), plain.reason(),
                plain.requestedAt(), plain.roleArn(), null,
                new FreezeSettings(List.of(FreezeWindow.of("FRI 16:00", "MON 08:00", "Europe/Berlin")),
                        FreezeSettings.WhenFrozen.REFUSE), null,
                new AlarmGate(List.of("api-5xx", "db-cpu"), AlarmGate.WhenAlarming.WAIT, 30), null);

        assertThat(PlanService.gates(plain)).containsExactly("none");
        assertThat(PlanService.gates(gated)).containsExactly(
                "freeze windows FRI 16:00 to MON 08:00 Europe/Berlin (a push is refused during a freeze)",
                "alarms api-5xx, db-cpu must not be in ALARM (waits up to 30 min)");
    }
}
