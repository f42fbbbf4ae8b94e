package dev.deckhand.config;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A pattern an image tag is matched against, as written in the configuration: either a glob
 * ({@code *} any run of characters, {@code ?} one character, everything else literal) or, with
 * the prefix {@code regex:}, a Java regular expression. Both must match the whole tag, and
 * matching is case-sensitive, like tags themselves.
 */
public record TagPattern(String source, Pattern regex) {

    static final String REGEX_PREFIX = "regex:";
    private static final Pattern GLOB_CHARACTERS = Pattern.compile("[A-Za-z0-9_.*?-]+");

    /**
     * Parses a pattern as written in the configuration.
     *
     * @throws IllegalArgumentException with a message that says what is wrong with the pattern
     */
    public static TagPattern parse(String source) {
        if (source.startsWith(REGEX_PREFIX)) {
            String expression = source.substring(REGEX_PREFIX.length());
            if (expression.isEmpty()) {
                throw new IllegalArgumentException("'regex:' needs an expression after it");
            }
            try {
                return new TagPattern(source, Pattern.compile(expression));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression '" + expression + "': "
                        + e.getDescription());
            }
        }
        if (!GLOB_CHARACTERS.matcher(source).matches()) {
            throw new IllegalArgumentException("'" + source + "' is not a tag glob: use letters, digits, "
                    + "'_', '.', '-', and the wildcards '*' and '?' (or prefix a regular expression with 'regex:')");
        }
        return new TagPattern(source, globToRegex(source));
    }

    public boolean matches(String tag) {
        return regex.matcher(tag).matches();
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    @Override
    public String toString() {
        return source;
    }
}
