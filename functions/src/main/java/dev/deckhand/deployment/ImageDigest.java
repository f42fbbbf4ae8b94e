package dev.deckhand.deployment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/** A content digest of an image manifest, {@code sha256:} and 64 lowercase hex digits. */
public record ImageDigest(@JsonValue String value) {

    /** The format, also the promote API's request model (infra) and what a health answer may report. */
    public static final Pattern FORMAT = Pattern.compile("sha256:[0-9a-f]{64}");

    public ImageDigest {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not an image digest (expected sha256: and 64 hex digits)");
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ImageDigest parse(String value) {
        return new ImageDigest(value);
    }

    public static boolean isValid(String value) {
        return value != null && FORMAT.matcher(value).matches();
    }

    public String hex() {
        return value.substring("sha256:".length());
    }

    @Override
    public String toString() {
        return value;
    }
}
