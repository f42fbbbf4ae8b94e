package dev.deckhand.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deckhand.config.Names;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image in a private ECR registry, pinned by digest. The tag is kept for people to read; the
 * digest is what deploys, because a tag can be moved after CI tested it.
 *
 * @param registry e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}
 * @param tag the tag that was pushed or promoted, or {@code null}
 */
public record ImageRef(String registry, String repository, ImageDigest digest, String tag) {

    /** ECR repository names, as the configuration names them. */
    public static final Pattern REPOSITORY_NAME = Names.ECR_REPOSITORY;

    private static final Pattern PINNED_URI = Pattern.compile(
            "(\\d{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(?:\\.cn)?)/([a-z0-9._/-]+)@(sha256:[0-9a-f]{64})");

    /** The registry host of an account's private ECR in a region (China regions use {@code .com.cn}). */
    public static String registryOf(String account, String region) {
        String suffix = region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
        return account + ".dkr.ecr." + region + suffix;
    }

    /** Parses {@code <registry>/<repository>@sha256:<hex>}, the form task definitions name. */
    public static Optional<ImageRef> parsePinned(String uri, String tag) {
        Matcher matcher = PINNED_URI.matcher(uri);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ImageRef(matcher.group(1), matcher.group(2), new ImageDigest(matcher.group(3)), tag));
    }

    /** What a task definition names: {@code <registry>/<repository>@sha256:…}. */
    @JsonProperty("uri")
    public String uri() {
        return registry + "/" + repository + "@" + digest.value();
    }
}
