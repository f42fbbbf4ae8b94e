package dev.deckhand.local.ecr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.aws.AwsErrorException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A Docker image manifest (schema 2) standing for a locally pushed image. ECR names an image by
 * the SHA-256 of its manifest, so the digest here is computed the same way: equal content (the
 * behaviour and the build label) gives an equal digest, and BatchGetImage can hand back a manifest
 * whose hash is the digest it is filed under.
 */
public record ImageManifest(String json, String digest) {

    static final String MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
    static final String CONFIG_MEDIA_TYPE = "application/vnd.docker.container.image.v1+json";

    /** The OCI manifest annotation that carries a locally pushed image's behaviour. */
    public static final String BEHAVIOUR_ANNOTATION = "dev.deckhand.behaviour";

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

    /**
     * The manifest {@code deckhand push} sends with PutImage: as {@link #of}, plus the behaviour as
     * the OCI annotation {@value #BEHAVIOUR_ANNOTATION}, since PutImage carries no image config.
     */
    public static ImageManifest forPush(ImageBehaviour behaviour, String build) {
        ObjectNode manifest = (ObjectNode) read(of(behaviour, build).json());
        manifest.putObject("annotations").put(BEHAVIOUR_ANNOTATION, behaviour.label());
        return parse(manifest.toString());
    }

    /**
     * A manifest received as text, named by the SHA-256 of exactly those bytes, as ECR does.
     *
     * @throws AwsErrorException {@code InvalidParameterException} when it is not a JSON object
     */
    static ImageManifest parse(String json) {
        if (!(read(json) instanceof ObjectNode)) {
            throw AwsErrorException.clientError("InvalidParameterException",
                    "Invalid parameter at 'imageManifest': the manifest must be a JSON object");
        }
        return new ImageManifest(json, sha256(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** The behaviour label a pushed manifest carries, if any. */
    Optional<String> behaviour() {
        JsonNode label = read(json).path("annotations").path(BEHAVIOUR_ANNOTATION);
        return label.isTextual() ? Optional.of(label.asText()) : Optional.empty();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw AwsErrorException.clientError("InvalidParameterException",
                    "Invalid parameter at 'imageManifest': not valid JSON");
        }
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
