package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.deployment.ImageRef;
import dev.deckhand.errors.AwsRequestRejectedException;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ECR DescribeImages through AwsJsonClient. API_DescribeImages: request registryId,
 * repositoryName, imageIds[].imageDigest; response imageDetails[].imagePushedAt (a Timestamp,
 * epoch seconds in the AWS JSON protocols); ImageNotFoundException and RepositoryNotFoundException
 * when there is no such image. ECR's target prefix is AmazonEC2ContainerRegistry_V20150921 and
 * requests are signed for "ecr" (the name in the SigV4 credential scope).
 */
class EcrImageRegistryTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final ImageRef IMAGE = ImageRef.parsePinned(
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/storefront@" + DIGEST, "main-1").orElseThrow();

    private final LoopbackAwsService ecr = new LoopbackAwsService();

    @AfterEach
    void stop() {
        ecr.close();
    }

    @Test
    void asksForTheImageByDigestInItsRegistryAndReadsWhenItWasPushed() {
        ecr.answer(200, "{\"imageDetails\":[{\"imageDigest\":\"" + DIGEST + "\",\"imagePushedAt\":1765022400.123}]}");

        assertThat(new EcrImageRegistry(ecr.clients().ecr()).pushedAt(IMAGE))
                .contains(Instant.parse("2025-12-06T12:00:00.123Z"));

        LoopbackAwsService.Request request = ecr.requests().get(0);
        assertThat(request.target()).isEqualTo("AmazonEC2ContainerRegistry_V20150921.DescribeImages");
        assertThat(request.contentType()).isEqualTo("application/x-amz-json-1.1");
        assertThat(request.authorization()).contains("/eu-west-1/ecr/aws4_request");
        assertThat(request.json().toString()).isEqualTo("{\"registryId\":\"123456789012\","
                + "\"repositoryName\":\"acme/storefront\",\"imageIds\":[{\"imageDigest\":\"" + DIGEST + "\"}]}");
    }

    @Test
    void aMissingImageOrRepositoryHasNoPushTime() {
        ecr.answer(400, "{\"__type\":\"ImageNotFoundException\",\"message\":\"no image\"}");
        assertThat(new EcrImageRegistry(ecr.clients().ecr()).pushedAt(IMAGE)).isEmpty();

        ecr.requests().clear();
        try (LoopbackAwsService noRepository = new LoopbackAwsService()) {
            noRepository.answer(400, "{\"__type\":\"RepositoryNotFoundException\",\"message\":\"no repository\"}");
            assertThat(new EcrImageRegistry(noRepository.clients().ecr()).pushedAt(IMAGE)).isEmpty();
        }
    }

    @Test
    void anyOtherRefusalIsRejectedWithTheServicesWords() {
        ecr.answer(400, "{\"__type\":\"InvalidParameterException\",\"message\":\"bad digest\"}");

        assertThatThrownBy(() -> new EcrImageRegistry(ecr.clients().ecr()).pushedAt(IMAGE))
                .isInstanceOf(AwsRequestRejectedException.class)
                .hasMessage("DescribeImages acme/storefront@" + DIGEST + " was rejected (InvalidParameterException: bad digest)");
    }
}
