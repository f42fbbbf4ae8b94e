package dev.deckhand.local.aws;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One page of a list operation over items sorted by a unique key. The token names the last key
 * returned, so an item added or removed between calls neither repeats nor skips the others; it is
 * opaque (Base64), as every AWS list API asks callers to treat it.
 *
 * @param items     this page
 * @param nextToken the token of the next page, or {@code null} on the last one
 */
public record Page<T>(List<T> items, String nextToken) {

    /**
     * The page after {@code token} (the first page when it is {@code null}).
     *
     * @param sorted   every item, sorted by {@code key}
     * @param badToken the service's own error for a token it never issued
     */
    public static <T> Page<T> of(List<T> sorted, Function<T, String> key, String token, int size,
                                 Supplier<AwsErrorException> badToken) {
        String after = token == null ? null : decode(token, badToken);
        List<T> rest = after == null ? sorted
                : sorted.stream().filter(item -> key.apply(item).compareTo(after) > 0).toList();
        if (rest.size() <= size) {
            return new Page<>(List.copyOf(rest), null);
        }
        List<T> page = List.copyOf(rest.subList(0, size));
        return new Page<>(page, encode(key.apply(page.get(size - 1))));
    }

    /**
     * The page size a request asks for: {@code fallback} when absent, else it must lie in
     * {@code [min, max]} (a ValidationException-style refusal built by {@code outOfRange} otherwise).
     */
    public static int size(Integer requested, int fallback, int min, int max,
                           Function<String, AwsErrorException> outOfRange) {
        if (requested == null) {
            return fallback;
        }
        if (requested < min || requested > max) {
            throw outOfRange.apply("Value '" + requested + "' at 'maxResults' failed to satisfy constraint: "
                    + "Member must have value between " + min + " and " + max);
        }
        return requested;
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token, Supplier<AwsErrorException> badToken) {
        try {
            String key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (key.isEmpty()) {
                throw badToken.get();
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw badToken.get();
        }
    }
}
