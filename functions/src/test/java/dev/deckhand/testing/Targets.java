package dev.deckhand.testing;

import dev.deckhand.deployment.DeploymentTarget;
import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.resolve.DeploymentRequest.ImagePushed;
import dev.deckhand.resolve.EnvironmentResolver;
import dev.deckhand.resolve.Resolution;

/** Deployment targets as resolve-env decides them for pushes under the sample configuration. */
public final class Targets {

    private Targets() {
    }

    /** A push of {@code tag} (a feature-* tag goes to dev) to acme/storefront, digest from {@code digestByte}. */
    public static DeploymentTarget storefrontDev(String tag, String digestByte) {
        Resolution resolution = new EnvironmentResolver(Fixtures.sampleConfiguration()).resolve(new ImagePushed(
                "123456789012", "eu-west-1", "acme/storefront", new ImageDigest("sha256:" + digestByte.repeat(32)), tag));
        return ((Resolution.Deploy) resolution).target();
    }
}
