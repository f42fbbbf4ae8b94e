package dev.deckhand.local.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Checks a request's AWS Signature Version 4 the way API Gateway's IAM authorization does, by
 * signing the same request again with the caller's secret key and comparing. The local API knows
 * its callers' keys (the local cloud's credentials); an unknown key, a bad signature or another
 * account is refused, as IAM and the API's account-only resource policy refuse them on AWS.
 */
final class SigV4Check {

    static final String SERVICE = "execute-api";
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    // "A request must reach AWS within five minutes of the time stamp in the request" (IAM User Guide,
    // "AWS Signature Version 4 for API requests"), against the wall clock, never the simulated one.
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final String MISMATCH = "The request signature we calculated does not match the signature you provided.";
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    /** A caller the local API knows: its key pair and the account it belongs to. */
    record Caller(String accessKeyId, String secretAccessKey, String account) {

        String userArn() {
            return "arn:aws:iam::" + account + ":user/" + accessKeyId;
        }
    }

    /** The verdict: the caller, or the 403 message API Gateway would give. */
    record Verdict(Optional<Caller> caller, String refusal) {
    }

    private final Map<String, Caller> callers;
    private final String account;

    SigV4Check(List<Caller> callers, String account) {
        this.callers = callers.stream().collect(java.util.stream.Collectors.toMap(Caller::accessKeyId, caller -> caller));
        this.account = account;
    }

    Verdict verify(String method, URI uri, Map<String, List<String>> headers, byte[] body) {
        String authorization = first(headers, "authorization");
        String amzDate = first(headers, "x-amz-date");
        if (authorization == null || amzDate == null) {
            return refuse("Missing Authentication Token");
        }
        Matcher matcher = AUTHORIZATION.matcher(authorization);
        if (!matcher.matches() || !SERVICE.equals(matcher.group(4))) {
            return refuse("Authorization header requires a SigV4 signature for " + SERVICE);
        }
        Caller caller = callers.get(matcher.group(1));
        if (caller == null) {
            return refuse("The security token included in the request is invalid.");
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            return refuse("X-Amz-Date is not yyyyMMddTHHmmssZ");
        }
        Instant now = Instant.now();
        if (signedAt.isBefore(now.minus(SKEW))) {
            return refuse("Signature expired: " + amzDate + " is now earlier than " + AMZ_DATE.format(now.minus(SKEW))
                    + " (" + AMZ_DATE.format(now) + " - 5 min.)");
        }
        if (signedAt.isAfter(now.plus(SKEW))) {
            return refuse("Signature not yet current: " + amzDate + " is still later than " + AMZ_DATE.format(now.plus(SKEW))
                    + " (" + AMZ_DATE.format(now) + " + 5 min.)");
        }
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        for (String name : matcher.group(5).split(";")) {
            List<String> values = headers.get(name);
            if (values == null) {
                return refuse(MISMATCH);
            }
            request.putHeader(name, values);
        }
        // The SDK's own signer recomputes the signature over exactly the headers the caller signed,
        // at the caller's time stamp; only the caller's secret key makes the two agree.
        SignedRequest signed = SIGNER.sign(signing -> signing
                .identity(AwsCredentialsIdentity.create(caller.accessKeyId(), caller.secretAccessKey()))
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, matcher.group(3))
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        String expected = signed.request().firstMatchingHeader("Authorization").orElse("");
        String expectedSignature = expected.substring(expected.lastIndexOf("Signature=") + "Signature=".length());
        // The signed-header list is part of the string to sign, so equal signatures cover it too.
        if (!MessageDigest.isEqual(expectedSignature.getBytes(StandardCharsets.UTF_8),
                matcher.group(6).getBytes(StandardCharsets.UTF_8))) {
            return refuse(MISMATCH);
        }
        if (!account.equals(caller.account())) {
            // The API's resource policy allows this account only.
            return refuse("User: " + caller.userArn() + " is not authorized to access this resource");
        }
        return new Verdict(Optional.of(caller), null);
    }

    private static Verdict refuse(String message) {
        return new Verdict(Optional.empty(), message);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
