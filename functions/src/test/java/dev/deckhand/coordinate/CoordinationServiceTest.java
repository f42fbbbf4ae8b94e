package dev.deckhand.coordinate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.deployment.ImageRef;
import dev.deckhand.deployment.Trigger;
import dev.deckhand.errors.ClaimContendedException;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.resolve.Resolution.DeploymentTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoordinationServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final ImageDigest DIGEST = ImageDigest.parse("sha256:" + "a".repeat(64));
    private static final DeploymentTarget TARGET = new DeploymentTarget(DeploymentId.of("web", "prod", DIGEST),
            Trigger.PUSH, null, "web", "prod", "acme-prod", "web-prod", null,
            new ImageRef("123456789012.dkr.ecr.us-east-1.amazonaws.com", "web", DIGEST, "v1"), null, null, null,
            "tag v1", NOW);

    @Test
    void aClaimLostFiveTimesFailsWithTheErrorTheDefinitionRetries() {
        LosingHistory history = new LosingHistory();
        CoordinationService service = new CoordinationService(history, new NoLocks(), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThatThrownBy(() -> service.claim(TARGET, "arn:aws:states:us-east-1:123456789012:execution:deployer:a", NOW))
                .isInstanceOf(ClaimContendedException.class).hasMessageContaining("5 tries lost");
        assertThat(history.claims).hasValue(5);
    }

    /** A history in which every claim loses the race (another execution wrote first). */
    private static final class LosingHistory implements DeploymentHistory {

        final AtomicInteger claims = new AtomicInteger();

        @Override
        public Optional<ClaimRecord> latestAttempt(String deploymentId) {
            return Optional.empty();
        }

        @Override
        public boolean claim(String deploymentId, Optional<ClaimRecord> expected, ClaimRecord next, AttemptRecord attempt) {
            claims.incrementAndGet();
            return false;
        }

        @Override
        public void finish(AttemptRecord attempt) {
        }

        @Override
        public Optional<String> abortClaimOf(String executionArn, Instant at) {
            return Optional.empty();
        }

        @Override
        public Optional<VerifiedRevision> lastVerified(String service, String environment) {
            return Optional.empty();
        }

        @Override
        public void markVerified(String service, String environment, VerifiedRevision revision) {
        }

        @Override
        public Optional<AttemptRecord> attempt(String deploymentId, int attempt) {
            return Optional.empty();
        }

        @Override
        public List<AttemptRecord> recent(String service, String environment, int limit) {
            return List.of();
        }

        @Override
        public Page page(String service, String environment, int limit, String nextToken) {
            return new Page(List.of(), null);
        }
    }

    private static final class NoLocks implements DeploymentLocks {

        @Override
        public LockDecision acquire(String target, LockRequest request, Instant now, Duration lease) {
            return LockDecision.HOLD;
        }

        @Override
        public void release(String target, String executionArn) {
        }

        @Override
        public Optional<String> targetHeldBy(String executionArn) {
            return Optional.empty();
        }
    }
}
