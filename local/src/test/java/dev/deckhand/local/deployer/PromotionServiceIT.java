package dev.deckhand.local.deployer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.local.Eventually;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.promote.PromoteRequest;
import dev.deckhand.promote.Promotion;
import dev.deckhand.promote.PromotionRefused;
import dev.deckhand.promote.PromotionService;
import dev.deckhand.statemachine.ExecutionDescription;
import dev.deckhand.statemachine.ExecutionStatus;
import dev.deckhand.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Promotions decided against the real history (DynamoDB Local) and started as real executions. */
class PromotionServiceIT {

    private static final String ALICE = "arn:aws:iam::000000000000:user/alice";

    private static LocalDeckhand deckhand;
    private static PromotionService promotions;
    private static EcrImage deployedToDev;
    private static EcrImage failedInDev;

    @BeforeAll
    static void deployToDev() throws Exception {
        deckhand = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start();
        promotions = new PromotionService(ConfigurationSource.of(Fixtures.sampleConfiguration()), deckhand.history(),
                deckhand::startExecution);
        DeployerScenarios scenarios = new DeployerScenarios(deckhand);
        deployedToDev = deckhand.push("acme/storefront", List.of("main-1"), ImageBehaviour.healthy());
        assertThat(scenarios.finishedExecutionOf(deployedToDev).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        failedInDev = deckhand.push("acme/storefront", List.of("main-2"), new ImageBehaviour.MigrationExit(1));
        assertThat(scenarios.finishedExecutionOf(failedInDev).status()).isEqualTo(ExecutionStatus.FAILED);
    }

    @AfterAll
    static void stop() {
        deckhand.close();
    }

    @Test
    void promotesWhatTheSourceEnvironmentLastVerifiedAndRecordsWhoAsked() throws Exception {
        Promotion promotion = promotions.promote(new PromoteRequest("storefront", "dev", "staging", null), ALICE);

        assertThat(promotion.image()).isEqualTo(deployedToDev.uri());
        assertThat(promotion.deploymentId()).isEqualTo("storefront.staging." + deployedToDev.digest().substring(7, 23));
        ExecutionDescription execution = deckhand.awaitCompletion(promotion.executionArn(), DeployerScenarios.TIMEOUT);
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(deckhand.history().attempt(promotion.deploymentId(), 1).orElseThrow())
                .satisfies(record -> {
                    assertThat(record.trigger()).isEqualTo("promote");
                    assertThat(record.requestedBy()).isEqualTo(ALICE);
                });
    }

    @Test
    void refusesADigestThatNeverSucceededInTheSourceEnvironment() {
        assertRefused(new PromoteRequest("storefront", "dev", "staging", failedInDev.digest()), 409,
                failedInDev.digest() + " never deployed successfully to storefront/dev");
    }

    @Test
    void refusesAnEnvironmentNotPromotableFromTheSource() {
        assertRefused(new PromoteRequest("storefront", "dev", "prod", null), 409,
                "storefront/prod is promoted from staging, not from dev");
    }

    @Test
    void refusesAnEnvironmentReachedOnlyByPush() {
        assertRefused(new PromoteRequest("billing-worker", "staging", "prod", null), 409,
                "billing-worker/prod is not reached by promotion");
    }

    @Test
    void refusesUnknownServicesAndEnvironments() {
        assertRefused(new PromoteRequest("checkout", "dev", "staging", null), 404,
                "unknown service 'checkout' (configured: storefront, billing-worker)");
        assertRefused(new PromoteRequest("storefront", "qa", "staging", null), 404,
                "service storefront has no environment 'qa' (environments: dev, staging, prod)");
        assertRefused(new PromoteRequest("storefrnt", "dev", "staging", null), 404,
                "unknown service 'storefrnt'; did you mean 'storefront'? (configured: storefront, billing-worker)");
        assertRefused(new PromoteRequest("storefront", "dev", "stagign", null), 404,
                "service storefront has no environment 'stagign'; did you mean 'staging'? (environments: dev, staging, prod)");
    }

    @Test
    void refusesAMalformedDigest() {
        assertRefused(new PromoteRequest("storefront", "dev", "staging", "sha256:abc"), 400,
                "digest 'sha256:abc' is not sha256: and 64 hex digits");
    }

    @Test
    void refusesBeforeTheSourceSucceededAndWhileTheSameDigestRunsThere() throws Exception {
        try (LocalDeckhand other = LocalDeckhand.builder(Fixtures.sampleConfiguration()).start()) {
            PromotionService service = new PromotionService(ConfigurationSource.of(Fixtures.sampleConfiguration()),
                    other.history(), other::startExecution);
            DeployerScenarios scenarios = new DeployerScenarios(other);
            assertThatThrownBy(() -> service.promote(new PromoteRequest("storefront", "dev", "staging", null), ALICE))
                    .isInstanceOfSatisfying(PromotionRefused.class, refused -> assertThat(refused.getMessage())
                            .isEqualTo("nothing has deployed successfully to storefront/dev yet"));
            EcrImage image = other.push("acme/storefront", List.of("main-9"), ImageBehaviour.healthy());
            assertThat(scenarios.finishedExecutionOf(image).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            Promotion first = service.promote(new PromoteRequest("storefront", "dev", "staging", null), ALICE);
            awaitClaimed(other, first.deploymentId());

            assertThatThrownBy(() -> service.promote(new PromoteRequest("storefront", "dev", "staging", null), ALICE))
                    .isInstanceOfSatisfying(PromotionRefused.class, refused -> {
                        assertThat(refused.status()).isEqualTo(409);
                        assertThat(refused.getMessage()).contains("is already running (" + first.executionArn() + ")");
                    });
        }
    }

    private static void awaitClaimed(LocalDeckhand deckhand, String deploymentId) throws InterruptedException {
        Eventually.until(DeployerScenarios.TIMEOUT, () -> "a claim of " + deploymentId,
                () -> deckhand.history().latestAttempt(deploymentId).isPresent());
    }

    private static void assertRefused(PromoteRequest request, int status, String message) {
        assertThatThrownBy(() -> promotions.promote(request, ALICE))
                .isInstanceOfSatisfying(PromotionRefused.class, refused -> {
                    assertThat(refused.status()).isEqualTo(status);
                    assertThat(refused.getMessage()).isEqualTo(message);
                });
    }
}
