package dev.deckhand.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.errors.InvalidInputException;
import dev.deckhand.errors.PromotionRefusedException;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.testing.Fixtures;
import dev.deckhand.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every sample input in {@code events/} through the real handler, with the sample configuration. */
class ResolveEnvironmentHandlerTest {

    private static final Set<String> COVERED = new HashSet<>();
    private static final ResolveEnvironmentHandler HANDLER =
            new ResolveEnvironmentHandler(ConfigurationSource.of(Fixtures.sampleConfiguration()));

    @Nested
    class Pushes {

        @Test
        void featureTagDeploysToDevPinnedByDigest() {
            JsonNode decision = resolve("events/ecr/push-dev-feature.json");

            assertThat(decision.path("outcome").asText()).isEqualTo("DEPLOY");
            assertThat(decision.path("trigger").asText()).isEqualTo("push");
            assertThat(decision.path("service").asText()).isEqualTo("storefront");
            assertThat(decision.path("environment").asText()).isEqualTo("dev");
            assertThat(decision.path("cluster").asText()).isEqualTo("acme-dev");
            assertThat(decision.path("ecsService").asText()).isEqualTo("storefront-dev");
            assertThat(decision.path("container").asText()).isEqualTo("web");
            assertThat(decision.path("image").path("uri").asText()).isEqualTo(
                    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/storefront@"
                            + digestOf("events/ecr/push-dev-feature.json"));
            assertThat(decision.path("image").path("tag").asText()).isEqualTo("feature-checkout");
            assertThat(decision.path("deploymentId").asText()).isEqualTo("storefront.dev."
                    + digestOf("events/ecr/push-dev-feature.json").substring(7, 23));
            assertThat(decision.path("healthCheck").path("url").asText())
                    .isEqualTo("http://storefront.dev.acme.internal/health");
            assertThat(decision.path("healthCheck").path("consecutiveSuccesses").asInt()).isEqualTo(2);
            assertThat(decision.path("migration").path("command").toString()).isEqualTo("[\"bin/migrate\",\"up\"]");
            assertThat(decision.path("reason").asText())
                    .isEqualTo("tag 'feature-checkout' matches deployOnPush pattern 'feature-*' of environment dev");
            assertThat(decision.has("requestedBy")).isFalse();
        }

        @Test
        void anOciImageWithItsArtifactMediaTypeDeploys() {
            JsonNode decision = resolve("events/ecr/push-dev-oci-image.json");
            assertThat(decision.path("outcome").asText()).isEqualTo("DEPLOY");
            assertThat(decision.path("environment").asText()).isEqualTo("dev");
        }

        @Test
        void releaseTagDeploysToStaging() {
            JsonNode decision = resolve("events/ecr/push-staging-release.json");

            assertThat(decision.path("environment").asText()).isEqualTo("staging");
            assertThat(decision.path("healthCheck").path("bodyContains").asText()).isEqualTo("\"status\":\"healthy\"");
        }

        @Test
        void semanticVersionInADedicatedRepositoryDeploysToProd() {
            JsonNode decision = resolve("events/ecr/push-prod-dedicated-semver.json");

            assertThat(decision.path("service").asText()).isEqualTo("billing-worker");
            assertThat(decision.path("environment").asText()).isEqualTo("prod");
            assertThat(decision.path("image").path("repository").asText()).isEqualTo("acme/billing-worker-prod");
            assertThat(decision.has("container")).isFalse();
            assertThat(decision.has("healthCheck")).isFalse();
            assertThat(decision.has("migration")).isFalse();
        }

        @Test
        void anyTagInADedicatedStagingRepositoryDeploysToStaging() {
            JsonNode decision = resolve("events/ecr/push-staging-dedicated.json");

            assertThat(decision.path("service").asText()).isEqualTo("billing-worker");
            assertThat(decision.path("environment").asText()).isEqualTo("staging");
        }

        @Test
        void theThreeEventsOfAThreeTagPushShareOneDeploymentId() {
            JsonNode first = resolve("events/ecr/push-three-tags-1.json");
            JsonNode second = resolve("events/ecr/push-three-tags-2.json");
            JsonNode third = resolve("events/ecr/push-three-tags-3.json");

            assertThat(Stream.of(first, second, third).map(decision -> decision.path("environment").asText()))
                    .containsOnly("staging");
            assertThat(Stream.of(first, second, third).map(decision -> decision.path("deploymentId").asText())
                    .collect(Collectors.toSet())).hasSize(1);
        }
    }

    /**
     * A push is as new as ECR's imagePushedAt (API_ImageDetail) when that is this push; the
     * event's time (whole seconds, events/ecr/push-dev-feature.json) otherwise.
     */
    @Nested
    class RequestTimes {

        private JsonNode resolveWithPushedAt(Optional<Instant> pushedAt) {
            return DeckhandJson.MAPPER.valueToTree(new ResolveEnvironmentHandler(
                    ConfigurationSource.of(Fixtures.sampleConfiguration()), image -> pushedAt)
                    .resolve(json("events/ecr/push-dev-feature.json")));
        }

        @Test
        void aPushIsAsNewAsItsImageWhenEcrReceivedItWithinTheEventsSecond() {
            assertThat(resolveWithPushedAt(Optional.of(Instant.parse("2026-11-20T09:14:02.481Z")))
                    .path("requestedAt").asText()).isEqualTo("2026-11-20T09:14:02.481Z");
        }

        @Test
        void aRetagOfAnOlderImageOrAnImageGoneIsAsNewAsItsEvent() {
            assertThat(resolveWithPushedAt(Optional.of(Instant.parse("2026-11-01T08:00:00.100Z")))
                    .path("requestedAt").asText()).isEqualTo("2026-11-20T09:14:02Z");
            assertThat(resolveWithPushedAt(Optional.empty()).path("requestedAt").asText())
                    .isEqualTo("2026-11-20T09:14:02Z");
        }

        @Test
        void aPromotionCarriesNoTimeOfItsOwnAndAsksNoRegistry() {
            ResolveEnvironmentHandler handler = new ResolveEnvironmentHandler(
                    ConfigurationSource.of(Fixtures.sampleConfiguration()), image -> {
                        throw new AssertionError("a promotion needs no push time");
                    });
            JsonNode decision = DeckhandJson.MAPPER.valueToTree(handler.resolve(json("events/promote/dev-to-staging.json")));

            assertThat(decision.path("outcome").asText()).isEqualTo("DEPLOY");
            assertThat(decision.has("requestedAt")).isFalse();
        }
    }

    @Nested
    class Ignored {

        @Test
        void aTagNoEnvironmentTakesIsIgnoredWithThePatterns() {
            assertIgnored("events/ecr/push-no-matching-tag.json",
                    "tag 'latest' matches no deployOnPush pattern of service storefront (dev: feature-*, bugfix-*, "
                            + "main-*; staging: release-*; prod: promotion only)");
        }

        @Test
        void anUnknownRepositoryIsIgnored() {
            assertIgnored("events/ecr/push-unknown-repository.json",
                    "repository 'acme/not-deckhand' is not configured for any service");
        }

        @Test
        void anUntaggedPushIsIgnored() {
            assertIgnored("events/ecr/push-untagged.json",
                    "the image was pushed without a tag; deployOnPush rules match tags");
        }

        @Test
        void aFailedPushIsIgnored() {
            assertIgnored("events/ecr/push-failed.json",
                    "ECR action PUSH with result FAILURE does not deploy; only a successful PUSH does");
        }

        @Test
        void aDeleteIsIgnored() {
            assertIgnored("events/ecr/delete.json",
                    "ECR action DELETE with result SUCCESS does not deploy; only a successful PUSH does");
        }

        // Only container images deploy. ECR's "ECR Image Action" event names the pushed manifest's
        // config type in detail.artifact-media-type (EventBridge schema aws.ecr@ECRImageAction); an
        // image's is application/vnd.oci.image.config.v1+json or the Docker one (OCI image spec,
        // "config"); OCI artifacts carry their own (Helm: application/vnd.cncf.helm.config.v1+json)
        // or the empty descriptor application/vnd.oci.empty.v1+json (OCI image spec, "Guidelines for
        // Artifact Usage"). Each tag below matches dev's main-* and would deploy if it were an image.

        @Test
        void aHelmChartPushedToAServiceRepositoryIsIgnoredAsNotAnImage() {
            assertIgnored("events/ecr/push-helm-chart.json", "the push is a Helm chart (artifact-media-type "
                    + "'application/vnd.cncf.helm.config.v1+json'), not a container image; only container images deploy");
        }

        @Test
        void anArtifactWithTheEmptyConfigSuchAsANotationSignatureIsIgnored() {
            assertIgnored("events/ecr/push-notation-signature.json", "the push is an OCI artifact (artifact-media-type "
                    + "'application/vnd.oci.empty.v1+json'), not a container image; only container images deploy");
        }

        @Test
        void anSbomIsIgnored() {
            assertIgnored("events/ecr/push-sbom-spdx.json", "the push is an SBOM (artifact-media-type "
                    + "'application/spdx+json'), not a container image; only container images deploy");
        }

        @Test
        void aCosignSignatureTagIsIgnoredThoughItsConfigLooksLikeAnImages() {
            // cosign attaches signatures as tags sha256-<digest of the signed image>.sig (cosign docs,
            // "Signature specification"), with an image config media type.
            assertIgnored("events/ecr/push-cosign-signature-tag.json", "the push is a signature (cosign) "
                    + "(artifact-media-type 'application/vnd.oci.image.config.v1+json'), not a container image; "
                    + "only container images deploy");
        }

        private void assertIgnored(String event, String reason) {
            JsonNode decision = resolve(event);
            assertThat(decision.path("outcome").asText()).isEqualTo("IGNORED");
            assertThat(decision.path("reason").asText()).isEqualTo(reason);
            assertThat(decision.has("deploymentId")).isFalse();
        }
    }

    @Nested
    class Promotions {

        @Test
        void stagingToProdDeploysTheExactImageAndRecordsWhoAsked() {
            JsonNode decision = resolve("events/promote/staging-to-prod.json");
            JsonNode request = json("events/promote/staging-to-prod.json").path("promotion");

            assertThat(decision.path("outcome").asText()).isEqualTo("DEPLOY");
            assertThat(decision.path("trigger").asText()).isEqualTo("promote");
            assertThat(decision.path("environment").asText()).isEqualTo("prod");
            assertThat(decision.path("image").path("uri").asText()).isEqualTo(request.path("image").asText());
            assertThat(decision.path("requestedBy").asText()).isEqualTo("arn:aws:iam::123456789012:user/alice");
            assertThat(decision.path("notifications").path("slackWebhookSecret").asText())
                    .isEqualTo("deckhand/slack/storefront-prod");
        }

        @Test
        void aPromotionAndAPushOfTheSameDigestToOneTargetShareTheDeploymentId() {
            JsonNode pushed = resolve("events/ecr/push-staging-release.json");
            JsonNode promoted = resolve("events/promote/staging-to-prod.json");

            assertThat(promoted.path("image").path("digest").asText()).isEqualTo(pushed.path("image").path("digest").asText());
            assertThat(promoted.path("deploymentId").asText())
                    .isEqualTo(pushed.path("deploymentId").asText().replace(".staging.", ".prod."));
        }

        @Test
        void devToStagingIsAllowed() {
            assertThat(resolve("events/promote/dev-to-staging.json").path("environment").asText()).isEqualTo("staging");
        }

        @Test
        void devToProdIsRefused() {
            assertRefused("events/promote/refused-dev-to-prod.json",
                    "environment 'prod' of service storefront is promoted from 'staging', not from 'dev'");
        }

        @Test
        void anUnknownServiceIsRefused() {
            assertRefused("events/promote/refused-unknown-service.json",
                    "unknown service 'checkout' (configured: storefront, billing-worker)");
        }

        @Test
        void anImageFromAnotherRepositoryIsRefused() {
            assertRefused("events/promote/refused-wrong-repository.json",
                    "image repository 'acme/billing-worker-prod' is not the repository of storefront/staging "
                            + "('acme/storefront')");
        }

        private void assertRefused(String event, String message) {
            assertThatThrownBy(() -> resolve(event))
                    .isInstanceOf(PromotionRefusedException.class)
                    .hasMessage(message);
        }
    }

    @Nested
    class InvalidInputs {

        @Test
        void malformedJson() {
            assertInvalid("events/invalid/malformed.json", "input is not valid JSON");
        }

        @Test
        void missingDigest() {
            assertInvalid("events/invalid/missing-digest.json", "detail.image-digest: required");
        }

        @Test
        void tagOfTheWrongType() {
            assertInvalid("events/invalid/tag-not-a-string.json", "detail.image-tag: must be a string, found number");
        }

        @Test
        void absurdlyLongTagIsRefusedWithoutEchoingIt() {
            assertThatThrownBy(() -> resolve("events/invalid/absurdly-long-tag.json"))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("detail.image-tag: 4008 characters long; an image tag has at most 128");
        }

        @Test
        void badDigest() {
            assertInvalid("events/invalid/bad-digest.json",
                    "detail.image-digest: 'sha256:not-a-digest' is not an image digest (sha256: and 64 hex digits)");
        }

        @Test
        void anEventOfAnotherKind() {
            assertInvalid("events/invalid/not-an-ecr-event.json",
                    "input is neither an ECR image event (source 'aws.ecr', detail-type 'ECR Image Action') nor a "
                            + "promotion request {\"promotion\": {...}}; found source 'aws.ec2' and detail-type "
                            + "'EC2 Instance State-change Notification'");
        }

        @Test
        void promotionWithoutAnImage() {
            assertInvalid("events/invalid/promotion-missing-image.json", "promotion.image: required");
        }

        @Test
        void promotionOfAnImageNamedByTag() {
            assertInvalid("events/invalid/promotion-tag-pinned-image.json",
                    "promotion.image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/storefront:release-2.4.0' "
                            + "is not an ECR image pinned by digest");
        }

        @Test
        void promotionWithAnUnknownField() {
            assertInvalid("events/invalid/promotion-unknown-field.json",
                    "promotion.force: unknown field; a promotion has service, from, to, image, tag, requestedBy and breakGlass");
        }

        @Test
        void anArrayInsteadOfAnObject() {
            assertInvalid("events/invalid/array-input.json", "input must be a JSON object");
        }

        private void assertInvalid(String event, String messageStart) {
            assertThatThrownBy(() -> resolve(event))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith(messageStart);
        }
    }

    /** A new file in events/ must come with a test that states its decision. */
    @AfterAll
    static void everySampleEventHasADecisionTest() throws IOException {
        try (Stream<Path> files = Files.walk(Fixtures.path("events"))) {
            Set<String> all = files.filter(Files::isRegularFile)
                    .map(file -> Fixtures.root().relativize(file).toString().replace('\\', '/'))
                    .filter(name -> name.startsWith("events/ecr/") || name.startsWith("events/promote/")
                            || name.startsWith("events/invalid/"))
                    .collect(Collectors.toSet());
            assertThat(COVERED).as("sample events with a decision test").containsExactlyInAnyOrderElementsOf(all);
        }
    }

    /** Runs the real handler over a file's bytes, as the Lambda runtime does. */
    private static JsonNode resolve(String event) {
        COVERED.add(event);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        HANDLER.handleRequest(new ByteArrayInputStream(Fixtures.read(event).getBytes(StandardCharsets.UTF_8)), output,
                new TestContext("deckhand-resolve-env"));
        return readTree(output.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(String file) {
        return readTree(Fixtures.read(file));
    }

    private static String digestOf(String event) {
        return json(event).path("detail").path("image-digest").asText();
    }

    private static JsonNode readTree(String text) {
        try {
            return DeckhandJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
