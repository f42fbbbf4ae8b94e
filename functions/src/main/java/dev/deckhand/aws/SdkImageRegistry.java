package dev.deckhand.aws;

import dev.deckhand.deployment.ImageRef;
import dev.deckhand.deployment.ImageRegistry;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * ECR's {@code DescribeImages} by digest (API_DescribeImages: "imageIds: the list of image IDs
 * for the requested repository"; ImageNotFoundException when the image does not exist). The
 * registry id is the account of the image's registry host.
 */
public final class SdkImageRegistry implements ImageRegistry {

    private final EcrClient ecr;

    public SdkImageRegistry(EcrClient ecr) {
        this.ecr = ecr;
    }

    @Override
    public Optional<Instant> pushedAt(ImageRef image) {
        String account = image.registry().substring(0, image.registry().indexOf('.'));
        return AwsCalls.call("DescribeImages " + image.repository() + "@" + image.digest().value(), () -> {
            try {
                return ecr.describeImages(request -> request.registryId(account).repositoryName(image.repository())
                        .imageIds(id -> id.imageDigest(image.digest().value()))).imageDetails().stream()
                        .map(ImageDetail::imagePushedAt).findFirst();
            } catch (ImageNotFoundException | RepositoryNotFoundException e) {
                return Optional.<Instant>empty();
            }
        });
    }
}
