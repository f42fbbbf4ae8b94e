package dev.deckhand.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.MigrationSettings;
import dev.deckhand.freeze.FreezeSettings;
import dev.deckhand.freeze.FreezeWindow;
import dev.deckhand.gate.AlarmGate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A target's derived copies keep everything they are not about, above all where it lives. */
class DeploymentTargetTest {

    private static final ImageDigest DIGEST = ImageDigest.parse("sha256:" + "a".repeat(64));
    private static final DeploymentTarget PROD_ELSEWHERE = new DeploymentTarget(
            DeploymentId.of("api", "prod", DIGEST), Trigger.ROLLBACK, "arn:aws:iam::111122223333:user/ops", "api", "prod",
            "acme-prod", "api-prod", "app", new ImageRef("111122223333.dkr.ecr.eu-west-1.amazonaws.com", "acme/api",
                    DIGEST, "v1"), null, new MigrationSettings(List.of("migrate"), "app", 600),
            new MigrationSettings(List.of("e2e"), "app", 300), null, "rollback",
            Instant.parse("2026-12-07T00:00:00Z"), "arn:aws:iam::444455556666:role/deckhand-deploy", null,
            new FreezeSettings(List.of(FreezeWindow.of("FRI 16:00", "MON 08:00", "Europe/Berlin")),
                    FreezeSettings.WhenFrozen.WAIT), "by arn:aws:iam::111122223333:user/ops: incident 42",
            new AlarmGate(List.of("api-5xx"), AlarmGate.WhenAlarming.WAIT, 30), null);

    @Test
    void aRollbackWithoutItsMigrationStillActsThroughTheEnvironmentsDeploymentRole() {
        DeploymentTarget rollback = PROD_ELSEWHERE.withoutMigration();

        assertThat(rollback.migration()).isNull();
        assertThat(rollback.verification()).isNull();
        // Dropping the role would send a cross-account rollback to a service of Deckhand's own account.
        assertThat(rollback.roleArn()).isEqualTo("arn:aws:iam::444455556666:role/deckhand-deploy");
        assertThat(rollback).usingRecursiveComparison().ignoringFields("migration", "verification").isEqualTo(PROD_ELSEWHERE);
    }

    @Test
    void aNewRequestTimeKeepsTheRestOfTheTarget() {
        Instant later = Instant.parse("2026-12-07T01:00:00Z");

        assertThat(PROD_ELSEWHERE.withRequestedAt(later)).usingRecursiveComparison().ignoringFields("requestedAt")
                .isEqualTo(PROD_ELSEWHERE);
        assertThat(PROD_ELSEWHERE.withRequestedAt(later).requestedAt()).isEqualTo(later);
    }
}
