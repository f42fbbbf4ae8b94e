package dev.deckhand.testing;

import dev.deckhand.deployment.Outcome;
import dev.deckhand.history.AttemptRecord;
import dev.deckhand.history.ClaimRecord;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link DeploymentHistory} in memory, for unit tests of the services that read and write it. */
public final class InMemoryDeploymentHistory implements DeploymentHistory {

    private final Map<String, ClaimRecord> latest = new HashMap<>();
    private final Map<String, AttemptRecord> attempts = new HashMap<>();
    private final Map<String, VerifiedRevision> verified = new HashMap<>();
    /** Every attempt {@link #finish}ed, in order. */
    public final List<AttemptRecord> finished = new ArrayList<>();

    @Override
    public synchronized Optional<ClaimRecord> latestAttempt(String deploymentId) {
        return Optional.ofNullable(latest.get(deploymentId));
    }

    @Override
    public synchronized boolean claim(String deploymentId, Optional<ClaimRecord> expected, ClaimRecord next,
            AttemptRecord attempt) {
        if (!Optional.ofNullable(latest.get(deploymentId)).equals(expected)) {
            return false; // as the conditional write refuses it
        }
        latest.put(deploymentId, next);
        attempts.put(deploymentId + "#" + next.attempt(), attempt);
        return true;
    }

    @Override
    public synchronized void finish(AttemptRecord attempt) {
        attempts.put(attempt.deploymentId() + "#" + attempt.attempt(), attempt);
        ClaimRecord claim = latest.get(attempt.deploymentId());
        if (claim != null && claim.attempt() == attempt.attempt()) {
            latest.put(attempt.deploymentId(), new ClaimRecord(claim.attempt(), attempt.outcome(),
                    claim.executionArn(), claim.startedAt()));
        }
        finished.add(attempt);
    }

    @Override
    public synchronized Optional<String> abortClaimOf(String executionArn, Instant at) {
        for (Map.Entry<String, ClaimRecord> entry : latest.entrySet()) {
            ClaimRecord claim = entry.getValue();
            if (claim.executionArn().equals(executionArn) && claim.outcome() == Outcome.RUNNING) {
                entry.setValue(new ClaimRecord(claim.attempt(), Outcome.ABORTED, executionArn, claim.startedAt()));
                return Optional.of(entry.getKey());
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<VerifiedRevision> lastVerified(String service, String environment) {
        return Optional.ofNullable(verified.get(service + "#" + environment));
    }

    @Override
    public synchronized void markVerified(String service, String environment, VerifiedRevision revision) {
        verified.put(service + "#" + environment, revision);
    }

    @Override
    public synchronized Optional<AttemptRecord> attempt(String deploymentId, int attempt) {
        return Optional.ofNullable(attempts.get(deploymentId + "#" + attempt));
    }

    @Override
    public synchronized List<AttemptRecord> recent(String service, String environment, int limit) {
        return attempts.values().stream()
                .filter(attempt -> attempt.service().equals(service) && attempt.environment().equals(environment))
                .sorted(Comparator.comparing(AttemptRecord::startedAt).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized Page page(String service, String environment, int limit, String nextToken) {
        return new Page(recent(service, environment, limit), null);
    }
}
