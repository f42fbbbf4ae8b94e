package dev.deckhand.config;

import java.util.regex.Pattern;

/**
 * An IAM principal ARN that may promote to an environment, with {@code *} matching any characters
 * (e.g. {@code arn:aws:sts::123456789012:assumed-role/release-team/*}). Matched against the
 * caller's ARN as API Gateway reports it ({@code requestContext.identity.userArn}).
 */
public record PrincipalPattern(String source) {

    /** An ARN-shaped pattern: {@code arn:<partition>:<iam or sts>::<account>:<resource>}. */
    static final Pattern FORMAT = Pattern.compile("arn:aws[a-z-]*:(iam|sts)::(\\d{12}|\\*):[\\w+=,.@/*-]{1,1000}");

    public static PrincipalPattern parse(String source) {
        if (source == null || !FORMAT.matcher(source).matches()) {
            throw new IllegalArgumentException("'" + source + "' is not an IAM or STS principal ARN pattern, e.g. "
                    + "arn:aws:sts::123456789012:assumed-role/release-team/*");
        }
        return new PrincipalPattern(source);
    }

    public boolean matches(String principalArn) {
        if (principalArn == null) {
            return false;
        }
        StringBuilder regex = new StringBuilder();
        String[] parts = source.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            regex.append(i > 0 ? ".*" : "").append(Pattern.quote(parts[i]));
        }
        return Pattern.matches(regex.toString(), principalArn);
    }

    @Override
    public String toString() {
        return source;
    }
}
