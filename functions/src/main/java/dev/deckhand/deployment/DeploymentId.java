package dev.deckhand.deployment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.deckhand.config.Names;
import java.util.regex.Pattern;

/**
 * Identifies one deployment: an image (by digest) going to one service environment. It is derived
 * from the input, never from the execution, so duplicate ECR events, the several events of a
 * multi-tag push, console reruns and redrives all carry the same id and can be recognised.
 * The form {@code <service>.<environment>.<first 16 hex digits of the digest>} stays readable in
 * the console and is a valid Step Functions execution name.
 */
public record DeploymentId(@JsonValue String value) {

    /** Service and environment names, as the configuration names them. */
    public static final Pattern NAME = Names.SERVICE_OR_ENVIRONMENT;

    private static final Pattern FORMAT = Pattern.compile(NAME + "\\." + NAME + "\\.[0-9a-f]{16}");

    /** Whether {@code text} is a deployment id ({@code <service>.<environment>.<16 hex digits>}). */
    public static boolean isValid(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    public DeploymentId {
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a deployment id: " + value);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static DeploymentId parse(String value) {
        return new DeploymentId(value);
    }

    public static DeploymentId of(String service, String environment, ImageDigest digest) {
        return new DeploymentId(service + "." + environment + "." + digest.hex().substring(0, 16));
    }

    /** The service part of the id. */
    public String service() {
        return value.split("\\.")[0];
    }

    /** The environment part of the id. */
    public String environment() {
        return value.split("\\.")[1];
    }

    @Override
    public String toString() {
        return value;
    }
}
