package dev.deckhand.local.ecr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Docker image manifest (schema 2) standing for a locally pushed image. ECR names an image by
 * the SHA-256 of its manifest, so the digest here is computed the same way: equal content (the
 * behaviour and the build label) gives an equal digest, and BatchGetImage can hand back a manifest
 * whose hash is the digest it is filed under.
 */
record ImageManifest(String json, String digest) {

    static final String MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
    static final String CONFIG_MEDIA_TYPE = "application/vnd.docker.container.image.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    static ImageManifest of(ImageBehaviour behaviour, String build) {
        ObjectNode config = JSON.createObjectNode();
        config.putObject("config").putObject("Labels")
                .put("dev.deckhand.behaviour", behaviour.label())
                .put("dev.deckhand.build", build);
        byte[] configBytes = config.toString().getBytes(StandardCharsets.UTF_8);
        byte[] layerBytes = ("deckhand-local-layer:" + build).getBytes(StandardCharsets.UTF_8);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MEDIA_TYPE);
        manifest.putObject("config")
                .put("mediaType", CONFIG_MEDIA_TYPE)
                .put("size", configBytes.length)
                .put("digest", sha256(configBytes));
        manifest.putArray("layers").addObject()
                .put("mediaType", "application/vnd.docker.image.rootfs.diff.tar.gzip")
                .put("size", layerBytes.length)
                .put("digest", sha256(layerBytes));
        String json = manifest.toString();
        return new ImageManifest(json, sha256(json.getBytes(StandardCharsets.UTF_8)));
    }

    int sizeInBytes() {
        return json.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime must provide SHA-256", e);
        }
    }
}
