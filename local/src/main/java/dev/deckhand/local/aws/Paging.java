package dev.deckhand.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code maxResults}/{@code nextToken} paging of a list operation, as AWS pages: at most the asked
 * number of items (the operation's default when absent), and an opaque token for the rest that is
 * valid for that operation only. A token the service never issued is refused with the service's
 * error, never read as "start again". Ranges of {@code maxResults} are checked at the gateway
 * ({@code ServiceRules}).
 */
public final class Paging {

    /** One page and the token of the next one, absent on the last page. */
    public record Page<T>(List<T> items, Optional<String> nextToken) {
    }

    private final String operation;
    private final String tokenMember;
    private final String sizeMember;
    private final int defaultSize;
    private final String invalidTokenCode;

    /**
     * @param operation the list operation, bound into its tokens so one operation's token fails another
     * @param tokenMember and {@code sizeMember}: the request's members, e.g. {@code nextToken} and {@code maxResults}
     * @param defaultSize the page size when {@code sizeMember} is absent (or 0, where AWS reads 0 as the default)
     * @param invalidTokenCode the error code the service answers for a token it did not issue
     */
    public Paging(String operation, String tokenMember, String sizeMember, int defaultSize, String invalidTokenCode) {
        this.operation = operation;
        this.tokenMember = tokenMember;
        this.sizeMember = sizeMember;
        this.defaultSize = defaultSize;
        this.invalidTokenCode = invalidTokenCode;
    }

    /** The page of {@code all} the request asks for. */
    public <T> Page<T> page(List<T> all, JsonNode request) {
        int size = request.path(sizeMember).asInt(0);
        return page(all, request.path(tokenMember).asText(null), size <= 0 ? defaultSize : size);
    }

    /** The page of {@code size} items of {@code all} after {@code token} (the first page without one). */
    public <T> Page<T> page(List<T> all, String token, int size) {
        int from = offset(token, all.size());
        int to = (int) Math.min(all.size(), (long) from + size);
        return new Page<>(List.copyOf(all.subList(from, to)),
                to < all.size() ? Optional.of(token(to)) : Optional.empty());
    }

    /**
     * The page size a request asks for: {@code fallback} when absent, else it must lie in
     * {@code [min, max]} (a ValidationException-style refusal built by {@code outOfRange} otherwise),
     * for operations whose range the gateway's {@code ServiceRules} do not check.
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

    /** The page size member of {@code request}, {@code null} when absent. */
    public static Integer requestedSize(JsonNode request, String member) {
        return request.path(member).isNumber() ? request.path(member).asInt() : null;
    }

    private String token(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("deckhand-local/" + operation + "/" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private int offset(String token, int size) {
        if (token == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String prefix = "deckhand-local/" + operation + "/";
            if (decoded.startsWith(prefix)) {
                int offset = Integer.parseInt(decoded.substring(prefix.length()));
                if (offset >= 0 && offset <= size) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // Not base64 or not a number: refused below like any token the service did not issue.
        }
        throw AwsErrorException.clientError(invalidTokenCode, "Invalid token: the " + tokenMember + " '"
                + (token.length() > 64 ? token.substring(0, 64) + "…" : token) + "' was not issued by " + operation);
    }
}
