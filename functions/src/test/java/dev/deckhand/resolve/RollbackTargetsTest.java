package dev.deckhand.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.deployment.ImageRef;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.deployment.Trigger;
import dev.deckhand.errors.RollbackRefusedException;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.ClaimRecord;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.testing.Fixtures;
import dev.deckhand.testing.InMemoryDeploymentHistory;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where a deliberate rollback of storefront/dev goes, over an in-memory history and registry. */
class RollbackTargetsTest {

    private static final String REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    private final InMemoryDeploymentHistory history = new InMemoryDeploymentHistory();
    private final Set<String> inEcr = new HashSet<>();
    private final RollbackTargets targets = new RollbackTargets(history,
            image -> inEcr.contains(image.uri()) ? Optional.of(T0) : Optional.empty());

    @Test
    void returnsByDefaultToTheNewestVerifiedImageOtherThanTheLastVerifiedSkippingItsMigration() {
        String a = attempt("a", 1, Outcome.SUCCEEDED);
        attempt("b", 2, Outcome.ROLLED_BACK);
        String c = attempt("c", 3, Outcome.SUCCEEDED);
        verified(c);

        DeploymentTarget target = resolve(null);

        assertThat(target.image().uri()).isEqualTo(a);
        assertThat(target.trigger()).isEqualTo(Trigger.ROLLBACK);
        assertThat(target.deploymentId()).isEqualTo(DeploymentId.of("storefront", "dev", digest("a")));
        assertThat(target.migration()).as("the migration is skipped").isNull();
        assertThat(target.healthCheck()).as("health is verified as for any deployment").isNotNull();
        assertThat(target.requestedBy()).isEqualTo("arn:aws:iam::123456789012:user/ops");
        assertThat(target.reason()).startsWith("rollback of storefront/dev to " + a + " (deployment storefront.dev.");
    }

    @Test
    void returnsToANamedDigestOrDeploymentVerifiedThere() {
        String a = attempt("a", 1, Outcome.SUCCEEDED);
        String b = attempt("b", 2, Outcome.SUCCEEDED);
        verified(b);

        assertThat(resolve(digest("a").value()).image().uri()).isEqualTo(a);
        assertThat(resolve(DeploymentId.of("storefront", "dev", digest("b")).value()).image().uri()).isEqualTo(b);
    }

    @Test
    void refusesWhatWasNeverVerifiedThereWithOneLine() {
        attempt("a", 1, Outcome.SUCCEEDED);
        attempt("b", 2, Outcome.ROLLED_BACK);
        verified(image("a"));

        assertThatThrownBy(() -> resolve(digest("b").value())).isInstanceOf(RollbackRefusedException.class)
                .hasMessage(digest("b").value() + " was never verified in storefront/dev; a rollback returns only to a "
                        + "deployment that succeeded there");
        assertThatThrownBy(() -> resolve("billing-worker.staging.0123456789abcdef"))
                .hasMessage("deployment billing-worker.staging.0123456789abcdef is not of storefront/dev");
        assertThatThrownBy(() -> resolve(null)).hasMessage("nothing to roll back to: storefront/dev verified no image "
                + "other than " + image("a") + " in its last 2 attempts");
    }

    @Test
    void refusesAnImageNoLongerInEcrAndAnEnvironmentThatNeverVerifiedAnything() {
        String a = attempt("a", 1, Outcome.SUCCEEDED);
        verified(attempt("b", 2, Outcome.SUCCEEDED));
        inEcr.remove(a);

        assertThatThrownBy(() -> resolve(null)).hasMessage("cannot roll back storefront/dev to " + a + ": it is no "
                + "longer in ECR repository acme/storefront (deleted, or expired by a lifecycle rule)");
        assertThatThrownBy(() -> targets.resolve(Fixtures.sampleConfiguration(),
                new DeploymentRequest.RollbackRequested("storefront", "staging", null, null)))
                .hasMessage("nothing to roll back to: Deckhand never verified a revision of storefront/staging");
        assertThatThrownBy(() -> targets.resolve(Fixtures.sampleConfiguration(),
                new DeploymentRequest.RollbackRequested("storefront", "qa", null, null)))
                .hasMessage("service storefront has no environment 'qa' (environments: dev, staging, prod)");
    }

    private DeploymentTarget resolve(String to) {
        return targets.resolve(Fixtures.sampleConfiguration(), new DeploymentRequest.RollbackRequested("storefront",
                "dev", to, "arn:aws:iam::123456789012:user/ops")).target();
    }

    /** An attempt of storefront/dev with the image of tag {@code name}, {@code minute} minutes after T0; returns its image. */
    private String attempt(String name, int minute, Outcome outcome) {
        String image = image(name);
        String id = DeploymentId.of("storefront", "dev", digest(name)).value();
        Instant at = T0.plusSeconds(60L * minute);
        String execution = "arn:aws:states:eu-west-1:123456789012:execution:deployer:" + name;
        history.claim(id, Optional.empty(), new ClaimRecord(1, Outcome.RUNNING, execution, at),
                new AttemptRecord(id, 1, Outcome.RUNNING, "storefront", "dev", image, name, "push", null, execution, at,
                        null, "", null));
        history.finish(new AttemptRecord(id, 1, outcome, "storefront", "dev", image, name, "push", null, execution, at,
                at.plusSeconds(30), "", null));
        inEcr.add(image);
        return image;
    }

    private void verified(String image) {
        history.markVerified("storefront", "dev", new VerifiedRevision("x", "arn:td:1", image, T0, "acme-dev/storefront-dev"));
    }

    private static ImageDigest digest(String name) {
        return new ImageDigest("sha256:" + Integer.toHexString(name.charAt(0)).repeat(32));
    }

    private static String image(String name) {
        return new ImageRef(REGISTRY, "acme/storefront", digest(name), name).uri();
    }
}
