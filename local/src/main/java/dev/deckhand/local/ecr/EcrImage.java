package dev.deckhand.local.ecr;

/**
 * An image held by the local ECR.
 *
 * @param repositoryName the repository, e.g. {@code api}
 * @param digest the manifest digest, {@code sha256:<64 hex>}
 * @param uri the image pinned by digest, {@code <account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:…}
 * @param behaviour how the image behaves when ECS runs it
 */
public record EcrImage(String repositoryName, String digest, String uri, ImageBehaviour behaviour) {
}
