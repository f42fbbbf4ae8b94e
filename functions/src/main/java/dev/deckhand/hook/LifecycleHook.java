package dev.deckhand.hook;

import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.deployment.ImageRef;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.health.HealthCheck;
import dev.deckhand.health.HealthVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deckhand's health judge as the ECS lifecycle hook. Each invocation makes one probe round (the
 * same {@link HealthCheck} and {@link HealthVerdict} as "Verify health") against where the new
 * revision alone answers: the production URL once it has all production traffic, the test
 * listener's URL before that. A round short of the verdict answers IN_PROGRESS with the backoff
 * as {@code callBackDelay}; the verdict answers SUCCEEDED or FAILED, and FAILED makes ECS shift
 * traffic back. Each FAILED answer is also kept in {@link HookAnswers}, as ECS keeps only its status.
 */
public final class LifecycleHook {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleHook.class);
    private static final double ALL = 100.0;

    private final HealthCheck check;
    private final HookAnswers kept;

    public LifecycleHook(HealthCheck check, HookAnswers kept) {
        this.check = check;
        this.kept = kept;
    }

    public HookAnswer answer(HookInvocation invocation) throws InterruptedException {
        HookAnswer answer = judge(invocation);
        if (HookAnswer.FAILED.equals(answer.hookStatus())) {
            keep(invocation, answer);
        }
        return answer;
    }

    /**
     * "the hook answered FAILED at PRODUCTION_TRAFFIC_SHIFT (10.0 % production, 100.0 % test): …".
     * A write that fails never changes the answer ECS gets: the rollback matters more than its reason.
     */
    private void keep(HookInvocation invocation, HookAnswer answer) {
        String why = "the hook answered FAILED" + (invocation.lifecycleStage() == null ? ""
                : " at " + invocation.lifecycleStage()) + " (" + invocation.productionShare() + " % production, "
                + invocation.testShare() + " % test): " + answer.reason();
        try {
            kept.record(invocation.targetServiceRevisionArn(), why);
        } catch (RuntimeException e) {
            LOG.warn("could not keep the hook's answer for {}: {}", invocation.targetServiceRevisionArn(),
                    e.getMessage());
        }
    }

    private HookAnswer judge(HookInvocation invocation) throws InterruptedException {
        HookDetails details = invocation.hookDetails();
        if (details == null || details.healthCheck() == null || details.image() == null) {
            throw new InvalidInputException("hookDetails: Deckhand's UpdateService sets the health check and the "
                    + "image; this invocation has none, so the service's hook was not configured by Deckhand");
        }
        ImageDigest digest = ImageRef.parsePinned(details.image(), null).map(ImageRef::digest).orElseThrow(() ->
                new InvalidInputException("hookDetails.image: '" + details.image() + "' is not pinned by digest"));
        if (invocation.productionShare() == 0 && invocation.testShare() == 0) {
            // ECS runs the TEST_ and PRODUCTION_TRAFFIC_SHIFT hooks again when it rolls back, traffic already
            // back on the previous revision ("When a rollback happens, Amazon ECS runs lifecycle hooks for ...",
            // deployment-lifecycle-hooks). At every stage Deckhand hooks going forward the new revision has all
            // test or all production traffic, so no traffic at all means a rollback: never stand in its way.
            return HookAnswer.succeeded("ECS is rolling " + invocation.targetServiceRevisionArn() + " back ("
                    + invocation.lifecycleStage() + "): nothing to judge");
        }
        String url = whereTheNewRevisionAloneAnswers(invocation, details);
        if (url == null) {
            // Fail closed: a probe that might reach the old revision could pass a broken one.
            return HookAnswer.failed("no listener sends all its traffic to " + invocation.targetServiceRevisionArn()
                    + " (production " + invocation.productionShare() + " %, test " + invocation.testShare()
                    + " %" + (details.testUrl() == null ? ", no test URL configured" : "") + ")");
        }
        String step = stepOf(invocation);
        int round = details.roundAt(step);
        HealthVerdict verdict = HealthVerdict.of(details.healthCheck(), url,
                check.round(details.healthCheck(), url, digest), round);
        if (verdict instanceof HealthVerdict.Healthy healthy) {
            return HookAnswer.succeeded(url + " healthy in round " + round + " (" + healthy.report().answers().size()
                    + " answers in a row)");
        }
        if (verdict instanceof HealthVerdict.Pending pending) {
            return HookAnswer.inProgress((int) pending.retryIn().toSeconds(), details.next(step, round),
                    pending.detail());
        }
        return HookAnswer.failed(((HealthVerdict.Unhealthy) verdict).detail());
    }

    private static String whereTheNewRevisionAloneAnswers(HookInvocation invocation, HookDetails details) {
        if (invocation.productionShare() >= ALL) {
            return details.healthCheck().url();
        }
        if (invocation.testShare() >= ALL && details.testUrl() != null) {
            return details.testUrl();
        }
        return null;
    }

    /**
     * Which rounds count together: ECS gives every invocation of a hook at one stage the same
     * executionId; each linear or canary step also has its own production share, so each step
     * is judged from round 1.
     */
    private static String stepOf(HookInvocation invocation) {
        return (invocation.executionId() == null ? "" : invocation.executionId() + " ")
                + (invocation.lifecycleStage() == null ? "" : invocation.lifecycleStage() + " ")
                + "production " + invocation.productionShare() + " %";
    }
}
