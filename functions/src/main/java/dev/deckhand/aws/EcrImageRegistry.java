package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.deployment.ImageRef;
import dev.deckhand.deployment.ImageRegistry;
import dev.deckhand.json.DeckhandJson;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * ECR's {@code DescribeImages} by digest (API_DescribeImages: "imageIds: the list of image IDs
 * for the requested repository"; ImageNotFoundException when the image does not exist). The
 * registry id is the account of the image's registry host. Sent through {@link AwsJsonClient}
 * (AWS JSON 1.1, {@code AmazonEC2ContainerRegistry_V20150921.DescribeImages}).
 */
public final class EcrImageRegistry implements ImageRegistry {

    /** The image or its repository is gone: nothing was pushed there that a rollback could use. */
    private static final String[] ABSENT = {"ImageNotFoundException", "RepositoryNotFoundException"};

    private final AwsJsonClient ecr;

    public EcrImageRegistry(AwsJsonClient ecr) {
        this.ecr = ecr;
    }

    @Override
    public Optional<Instant> pushedAt(ImageRef image) {
        String account = image.registry().substring(0, image.registry().indexOf('.'));
        ObjectNode request = DeckhandJson.MAPPER.createObjectNode().put("registryId", account)
                .put("repositoryName", image.repository());
        request.putArray("imageIds").addObject().put("imageDigest", image.digest().value());
        return AwsCalls.call("DescribeImages " + image.repository() + "@" + image.digest().value(), () -> {
            JsonNode answer;
            try {
                answer = ecr.call("DescribeImages", request);
            } catch (AwsServiceException e) {
                if (AwsCalls.isError(e, ABSENT)) {
                    return Optional.<Instant>empty();
                }
                throw e;
            }
            JsonNode first = answer.path("imageDetails").path(0);
            return first.hasNonNull("imagePushedAt") ? Optional.of(epochSeconds(first.get("imagePushedAt")))
                    : Optional.<Instant>empty();
        });
    }

    /** ImageDetail.imagePushedAt is a Timestamp: epoch seconds with a fraction (e.g. 1733488200.123). */
    static Instant epochSeconds(JsonNode timestamp) {
        return EpochSeconds.instant(timestamp);
    }
}
