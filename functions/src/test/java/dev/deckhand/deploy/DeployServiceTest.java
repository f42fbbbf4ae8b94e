package dev.deckhand.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.errors.DeploymentTargetNotFoundException;
import dev.deckhand.errors.RolloutFailedException;
import dev.deckhand.history.VerifiedRevision;
import dev.deckhand.readiness.RollbackReadiness;
import dev.deckhand.testing.InMemoryDeploymentHistory;
import dev.deckhand.testing.Targets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** DeployService over an in-memory ECS: what each of its three steps asks of ECS and answers. */
class DeployServiceTest {

    private static final String SERVICE_DEPLOYMENT =
            "arn:aws:ecs:eu-west-1:123456789012:service-deployment/acme-dev/storefront-dev/ejGvqq2ilnbKT9qj0vLJe";

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final String CURRENT = "arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:7";
    private static final String PINNED = "arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:8";

    private final FakeEcs ecs = new FakeEcs();
    private final DeploymentTarget target = Targets.storefrontDev("feature-x", "ab");

    private DeployService service(Instant now) {
        return new DeployService(ecs, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void prepareRegistersTheImageOnTopOfTheTaskDefinitionThePrimaryDeploymentRuns() {
        ecs.snapshot = snapshot(new EcsDeployment("ecs-svc/1", CURRENT, "PRIMARY", "COMPLETED", null, 2, 2, 0));

        Release release = service(NOW).prepare(target);

        assertThat(release).isEqualTo(new Release(CURRENT, PINNED, "web", false));
        assertThat(ecs.registered).containsExactly(CURRENT + " " + target.image().uri() + " " + target.deploymentId());
    }

    @Test
    void prepareSaysBeforeTheServiceChangesWhetherARollbackWouldHaveSomewhereToGo() {
        ecs.snapshot = snapshot(new EcsDeployment("ecs-svc/1", CURRENT, "PRIMARY", "COMPLETED", null, 2, 2, 0));
        InMemoryDeploymentHistory history = new InMemoryDeploymentHistory();
        String verifiedImage = target.image().registry() + "/" + target.image().repository() + "@sha256:" + "c".repeat(64);
        history.markVerified("storefront", "dev", new VerifiedRevision("d-0", CURRENT, verifiedImage,
                NOW.minusSeconds(3600), "acme-dev/storefront-dev"));
        Set<String> inEcr = new HashSet<>(Set.of(verifiedImage));
        DeployService service = new DeployService(ecs, Clock.fixed(NOW, ZoneOffset.UTC),
                new RollbackReadiness(history, image -> inEcr.contains(image.uri()) ? Optional.of(NOW) : Optional.empty()));

        assertThat(service.prepare(target).rollbackReadiness()).isEqualTo("ready: a rollback would return to "
                + verifiedImage + " (" + CURRENT + ", verified 2026-12-06T11:00:00Z)");
        inEcr.clear(); // an ECR lifecycle rule expired it
        assertThat(service.prepare(target).rollbackReadiness()).isEqualTo("not ready: cannot roll back storefront/dev: "
                + "the last verified image " + verifiedImage + " is no longer in ECR repository "
                + target.image().repository() + " (deleted, or expired by a lifecycle rule)");
        assertThat(ecs.updates).as("prepare never changes the service").isEmpty();
    }

    @Test
    void prepareWithoutAPrimaryDeploymentSaysWhatIsMissing() {
        ecs.snapshot = snapshot();

        assertThatThrownBy(() -> service(NOW).prepare(target)).isInstanceOf(DeploymentTargetNotFoundException.class)
                .hasMessage("ECS service storefront-dev in cluster acme-dev has no PRIMARY deployment to take the "
                        + "task definition from");
    }

    @Test
    void updateStartsARolloutStampedWithTheClockAndNamesEcsServiceDeployment() {
        Rollout rollout = service(NOW).update(target, PINNED, target.image().uri());

        assertThat(rollout).isEqualTo(new Rollout("ecs-svc/2", PINNED, target.image().uri(), NOW, SERVICE_DEPLOYMENT));
        assertThat(ecs.updates).containsExactly("acme-dev/storefront-dev → " + PINNED);
        // A retried update finds the service deployment its first try started.
        assertThat(ecs.serviceDeploymentLookups).containsExactly(NOW.minus(DeployService.SERVICE_DEPLOYMENT_LOOKBACK));
    }

    @Test
    void aRolloutInProgressIsReportedUntilItsDeadlineThenFails() {
        ecs.snapshot = snapshot(new EcsDeployment("ecs-svc/2", PINNED, "PRIMARY", "IN_PROGRESS", null, 2, 1, 0));
        Rollout rollout = new Rollout("ecs-svc/2", PINNED, target.image().uri(), NOW, null);

        assertThat(service(NOW.plusSeconds(60)).check(target, rollout))
                .isEqualTo(new RolloutProgress("IN_PROGRESS", "1 of 2 tasks running"));
        assertThatThrownBy(() -> service(NOW.plus(DeployService.ROLLOUT_DEADLINE)).check(target, rollout))
                .isInstanceOf(RolloutFailedException.class)
                .hasMessageStartingWith("the rollout did not finish within 30 minutes (1 of 2 tasks running)");
    }

    @Test
    void aFailedRolloutNamesTheStoppedTasks() {
        ecs.snapshot = snapshot(new EcsDeployment("ecs-svc/2", PINNED, "PRIMARY", "FAILED", "tasks failed to start",
                2, 0, 3));
        ecs.stopped = List.of("app exited 1");

        assertThatThrownBy(() -> service(NOW).check(target, new Rollout("ecs-svc/2", PINNED, "img", NOW, null)))
                .isInstanceOf(RolloutFailedException.class)
                .hasMessage("rollout FAILED: tasks failed to start; stopped tasks: app exited 1");
    }

    @Test
    void aCompletedRolloutIsCompleted() {
        ecs.snapshot = snapshot(new EcsDeployment("ecs-svc/2", PINNED, "PRIMARY", "COMPLETED", null, 2, 2, 0));

        assertThat(service(NOW).check(target, new Rollout("ecs-svc/2", PINNED, "img", NOW, null)).status())
                .isEqualTo("COMPLETED");
    }

    private static final HookFunction HOOK = new HookFunction(
            "arn:aws:lambda:eu-west-1:123456789012:function:Deckhand-LifecycleHook:live",
            "arn:aws:iam::123456789012:role/Deckhand-LifecycleHookInvokeRole");
    private static final dev.deckhand.config.LoadBalancerSettings BALANCER = new dev.deckhand.config.LoadBalancerSettings(
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/sf-blue/0123456789abcdef",
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/sf-green/fedcba9876543210",
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/sf/1/2/3", 
            "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/sf/1/4/5",
            "arn:aws:iam::123456789012:role/sf-elb", null, 8080, "http://storefront.dev:8443/health");

    private static DeploymentTarget withStrategy(DeploymentTarget target, dev.deckhand.config.DeploymentStrategy strategy) {
        return new DeploymentTarget(target.deploymentId(), target.trigger(), target.requestedBy(), target.service(),
                target.environment(), target.cluster(), target.ecsService(), target.container(), target.image(),
                target.healthCheck(), target.migration(), target.verification(), target.notifications(), target.reason(), target.requestedAt(),
                target.roleArn(), null, null, null, null, strategy);
    }

    private static dev.deckhand.config.DeploymentStrategy canary() {
        return new dev.deckhand.config.DeploymentStrategy(dev.deckhand.config.DeploymentStrategy.Kind.CANARY, false,
                List.of("sf-5xx"), 5, 10.0, 2, null, null, BALANCER);
    }

    @Test
    void anEnvironmentWithoutAStrategyLeavesTheServicesDeploymentConfigurationAlone() {
        new DeployService(ecs, Clock.fixed(NOW, ZoneOffset.UTC), null, names -> java.util.Map.of(), HOOK, null).update(target,
                new Release(CURRENT, PINNED, "web", false));

        assertThat(ecs.strategies).containsExactly((StrategyRequest) null);
    }

    /**
     * API_DeploymentLifecycleHook: hookTargetArn, roleArn, lifecycleStages, hookDetails passed to
     * each invocation; the stages after test traffic, at each production step and after production.
     */
    @Test
    void aCanaryAsksEcsToInvokeDeckhandsHookWithTheHealthCheckAndTheImageItJudges() {
        DeploymentTarget canary = withStrategy(target, canary());

        new DeployService(ecs, Clock.fixed(NOW, ZoneOffset.UTC), null, names -> java.util.Map.of(), HOOK, null).update(canary,
                new Release(CURRENT, PINNED, "web", false));

        StrategyRequest asked = ecs.strategies.get(0);
        assertThat(asked.strategy()).isEqualTo(canary());
        assertThat(asked.container()).isEqualTo("web");
        assertThat(asked.hook().functionArn()).isEqualTo(HOOK.functionArn());
        assertThat(asked.hook().roleArn()).isEqualTo(HOOK.roleArn());
        assertThat(asked.hook().stages())
                .containsExactly("POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT");
        assertThat(asked.hook().details()).isEqualTo(new dev.deckhand.hook.HookDetails(canary.deploymentId().value(),
                canary.image().uri(), canary.healthCheck(), "http://storefront.dev:8443/health", null, null));
    }

    @Test
    void aRollbackThroughTheStrategyHasTheHookJudgeTheImageItReturnsTo() {
        String previous = target.image().registry() + "/" + target.image().repository() + "@sha256:" + "c".repeat(64);

        new DeployService(ecs, Clock.fixed(NOW, ZoneOffset.UTC), null, names -> java.util.Map.of(), HOOK, null)
                .update(withStrategy(target, canary()), CURRENT, previous);

        assertThat(ecs.strategies.get(0).hook().details().image()).isEqualTo(previous);
    }

    @Test
    void aBlueGreenWithoutATestListenerIsJudgedOnlyOnceProductionShifted() {
        dev.deckhand.config.LoadBalancerSettings noTest = new dev.deckhand.config.LoadBalancerSettings(
                BALANCER.targetGroupArn(), BALANCER.alternateTargetGroupArn(), BALANCER.productionListenerRule(), null,
                BALANCER.roleArn(), "web", 8080, null);
        dev.deckhand.config.DeploymentStrategy blueGreen = new dev.deckhand.config.DeploymentStrategy(
                dev.deckhand.config.DeploymentStrategy.Kind.BLUE_GREEN, false, List.of(), null, null, null, null, null, noTest);

        assertThat(StrategyRequest.hookStages(blueGreen)).containsExactly("POST_PRODUCTION_TRAFFIC_SHIFT");
    }

    @Test
    void aTrafficShiftingStrategyWithoutTheHookFunctionIsRefusedBeforeTheServiceChanges() {
        assertThatThrownBy(() -> service(NOW).update(withStrategy(target, canary()),
                new Release(CURRENT, PINNED, "web", false)))
                .isInstanceOf(dev.deckhand.errors.InvalidInputException.class)
                .hasMessageContaining("this installation has no hook function");
        assertThat(ecs.updates).isEmpty();
    }

    /** service-deployment: the terminal statuses SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED. */
    @Test
    void aCanaryIsJudgedByEcsServiceDeploymentsTerminalStatus() {
        DeploymentTarget canary = withStrategy(target, canary());
        Rollout rollout = new Rollout("ecs-svc/2", PINNED, canary.image().uri(), NOW, SERVICE_DEPLOYMENT);

        ecs.serviceDeployments.put(SERVICE_DEPLOYMENT,
                new ServiceDeploymentState("IN_PROGRESS", null, "PRODUCTION_TRAFFIC_SHIFT", null, null));
        assertThat(service(NOW.plusSeconds(60)).check(canary, rollout))
                .isEqualTo(new RolloutProgress("IN_PROGRESS", "service deployment IN_PROGRESS at PRODUCTION_TRAFFIC_SHIFT"));

        ecs.serviceDeployments.put(SERVICE_DEPLOYMENT, new ServiceDeploymentState("SUCCESSFUL", null, "CLEAN_UP", null, null));
        assertThat(service(NOW.plusSeconds(60)).check(canary, rollout).status()).isEqualTo("COMPLETED");
    }

    @Test
    void aRollbackByEcsIsReportedWithEcsReasonAndAFailedOneSaysSo() {
        DeploymentTarget canary = withStrategy(target, canary());
        Rollout rollout = new Rollout("ecs-svc/2", PINNED, canary.image().uri(), NOW, SERVICE_DEPLOYMENT);

        ecs.serviceDeployments.put(SERVICE_DEPLOYMENT, new ServiceDeploymentState("ROLLBACK_SUCCESSFUL",
                "Service deployment rolled back", "PRODUCTION_TRAFFIC_SHIFT", "Lifecycle hook returned FAILED", null));
        assertThatThrownBy(() -> service(NOW).check(canary, rollout))
                .isInstanceOf(dev.deckhand.errors.RolledBackByEcsException.class)
                .hasMessage("ECS rolled canary deployment " + SERVICE_DEPLOYMENT + " back to the previous revision "
                        + "(service deployment ROLLBACK_SUCCESSFUL at PRODUCTION_TRAFFIC_SHIFT: Service deployment rolled "
                        + "back; ECS rolled back because: Lifecycle hook returned FAILED)");

        ecs.serviceDeployments.put(SERVICE_DEPLOYMENT, new ServiceDeploymentState("ROLLBACK_FAILED", "tasks failed",
                null, null, null));
        assertThatThrownBy(() -> service(NOW).check(canary, rollout))
                .isInstanceOf(dev.deckhand.errors.EcsRollbackFailedException.class)
                .hasMessageContaining("ROLLBACK_FAILED: tasks failed");
    }

    /**
     * ECS records only the hook's status (API_DeploymentLifecycleHookDetail) and its own statusReason
     * (API_ServiceDeployment), so the reason carries what the hook kept for the target service revision
     * (API_ServiceDeployment targetServiceRevision.arn).
     */
    @Test
    void aRollbackByEcsCarriesTheHooksLastAnswerOnTheRolledBackRevision() {
        DeploymentTarget canary = withStrategy(target, canary());
        Rollout rollout = new Rollout("ecs-svc/2", PINNED, canary.image().uri(), NOW, SERVICE_DEPLOYMENT);
        String revision = "arn:aws:ecs:eu-west-1:123456789012:service-revision/prod/web/2";
        java.util.Map<String, String> kept = new java.util.HashMap<>(java.util.Map.of(revision,
                "the hook answered FAILED at PRODUCTION_TRAFFIC_SHIFT (10.0 % production, 0.0 % test): unhealthy"));
        dev.deckhand.hook.HookAnswers answers = new dev.deckhand.hook.HookAnswers() {
            @Override
            public void record(String arn, String answer) {
                kept.put(arn, answer);
            }

            @Override
            public java.util.Optional<String> last(String arn) {
                if (arn.endsWith("/3")) {
                    throw new IllegalStateException("GetItem: throttled");
                }
                return java.util.Optional.ofNullable(kept.get(arn));
            }
        };
        DeployService service = new DeployService(ecs, Clock.fixed(NOW, ZoneOffset.UTC), null,
                names -> java.util.Map.of(), HOOK, answers);

        ecs.serviceDeployments.put(SERVICE_DEPLOYMENT, new ServiceDeploymentState("ROLLBACK_SUCCESSFUL", null,
                "PRODUCTION_TRAFFIC_SHIFT", "Lifecycle hook returned FAILED", revision));
        assertThatThrownBy(() -> service.check(canary, rollout))
                .isInstanceOf(dev.deckhand.errors.RolledBackByEcsException.class)
                .hasMessageEndingWith("ECS rolled back because: Lifecycle hook returned FAILED): the hook answered "
                        + "FAILED at PRODUCTION_TRAFFIC_SHIFT (10.0 % production, 0.0 % test): unhealthy");

        // Nothing kept (an alarm or the breaker rolled back): ECS's reason alone.
        ecs.serviceDeployments.put(SERVICE_DEPLOYMENT, new ServiceDeploymentState("ROLLBACK_SUCCESSFUL", null,
                "BAKE_TIME", "alarm in ALARM", revision.replace("/2", "/4")));
        assertThatThrownBy(() -> service.check(canary, rollout))
                .isInstanceOf(dev.deckhand.errors.RolledBackByEcsException.class)
                .hasMessageEndingWith("ECS rolled back because: alarm in ALARM)");

        // An unreadable answer never hides the rollback.
        ecs.serviceDeployments.put(SERVICE_DEPLOYMENT, new ServiceDeploymentState("ROLLBACK_SUCCESSFUL", null,
                "BAKE_TIME", "alarm in ALARM", revision.replace("/2", "/3")));
        assertThatThrownBy(() -> service.check(canary, rollout))
                .isInstanceOf(dev.deckhand.errors.RolledBackByEcsException.class)
                .hasMessageEndingWith("(the hook's answers could not be read: GetItem: throttled)");
    }

    @Test
    void aCanaryMayRunForItsBakeTimesOnTopOfTheRolloutDeadline() {
        DeploymentTarget canary = withStrategy(target, canary());
        Rollout rollout = new Rollout("ecs-svc/2", PINNED, canary.image().uri(), NOW, SERVICE_DEPLOYMENT);
        ecs.serviceDeployments.put(SERVICE_DEPLOYMENT, new ServiceDeploymentState("IN_PROGRESS", null, "BAKE_TIME", null, null));
        // 30 minutes, plus the 5 minutes' bake and the canary step's 2.
        assertThat(DeployService.bakeTime(canary()).toMinutes()).isEqualTo(7);

        assertThat(service(NOW.plusSeconds(36 * 60)).check(canary, rollout).status()).isEqualTo("IN_PROGRESS");
        assertThatThrownBy(() -> service(NOW.plusSeconds(37 * 60)).check(canary, rollout))
                .isInstanceOf(RolloutFailedException.class)
                .hasMessage("the canary deployment did not finish within 37 minutes (service deployment IN_PROGRESS at "
                        + "BAKE_TIME)");
    }

    private static ServiceSnapshot snapshot(EcsDeployment... deployments) {
        return new ServiceSnapshot("arn:aws:ecs:eu-west-1:123456789012:service/acme-dev/storefront-dev", "ACTIVE",
                List.of(deployments), List.of());
    }

    /** One service; records what was registered and updated. */
    private static final class FakeEcs implements EcsDeployments {
        ServiceSnapshot snapshot;
        List<String> stopped = List.of();
        final List<String> registered = new ArrayList<>();
        final List<String> updates = new ArrayList<>();
        final List<StrategyRequest> strategies = new ArrayList<>();
        final java.util.Map<String, ServiceDeploymentState> serviceDeployments = new java.util.HashMap<>();
        final List<Instant> serviceDeploymentLookups = new ArrayList<>();

        @Override
        public ServiceSnapshot describeService(String cluster, String service) {
            return snapshot;
        }

        @Override
        public TaskDefinitionRevision registerRevision(String baseTaskDefinitionArn, String container, String imageUri,
                DeploymentId deploymentId) {
            registered.add(baseTaskDefinitionArn + " " + imageUri + " " + deploymentId);
            return new TaskDefinitionRevision(PINNED, container == null ? "web" : container, false);
        }

        @Override
        public java.util.Optional<dev.deckhand.deploy.ServiceDeploymentState> serviceDeployment(String serviceDeploymentArn) {
            return java.util.Optional.ofNullable(serviceDeployments.get(serviceDeploymentArn));
        }

        @Override
        public String updateService(String cluster, String service, String taskDefinitionArn,
                dev.deckhand.deploy.StrategyRequest strategy) {
            updates.add(cluster + "/" + service + " → " + taskDefinitionArn);
            strategies.add(strategy);
            return "ecs-svc/2";
        }

        @Override
        public java.util.Optional<String> newestServiceDeployment(String cluster, String service, Instant notBefore) {
            serviceDeploymentLookups.add(notBefore);
            return java.util.Optional.of(SERVICE_DEPLOYMENT);
        }

        @Override
        public List<String> stoppedTasks(String cluster, String service, String ecsDeploymentId, int limit) {
            return stopped;
        }

        @Override
        public TaskDefinitionRevision usableRevision(String taskDefinitionArn, DeploymentId deploymentId) {
            throw new AssertionError("a deployment never looks for a rollback revision");
        }
    }
}
