package dev.deckhand.local.api;

import java.io.ByteArrayInputStream;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

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
        List<String> signedHeaders = List.of(matcher.group(5).split(";"));
        for (String name : signedHeaders) {
            List<String> values = headers.get(name);
            if (values == null) {
                return refuse(MISMATCH);
            }
            request.putHeader(name, values);
        }
        String expected = recompute(request.build(), signedHeaders, body, caller, matcher.group(3), signedAt);
        // The signed-header list is part of the string to sign, so equal signatures cover it too.
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                matcher.group(6).getBytes(StandardCharsets.UTF_8))) {
            return refuse(MISMATCH);
        }
        if (!account.equals(caller.account())) {
            // The API's resource policy allows this account only.
            return refuse("User: " + caller.userArn() + " is not authorized to access this resource");
        }
        return new Verdict(Optional.of(caller), null);
    }

    /**
     * The signature the SDK's own signer computes for the request, at the caller's time stamp with the
     * caller's secret key: only the same key makes it agree with the caller's. AwsV4HttpSigner always
     * signs an {@code x-amz-content-sha256} header; a caller that did not sign one (API Gateway accepts
     * that, and the SDK's older Aws4Signer and most tools do it) is recomputed by that older SDK signer.
     */
    private static String recompute(SdkHttpRequest request, List<String> signedHeaders, byte[] body, Caller caller,
            String region, Instant signedAt) {
        String authorization;
        if (signedHeaders.contains("x-amz-content-sha256")) {
            SignedRequest signed = SIGNER.sign(signing -> signing
                    .identity(AwsCredentialsIdentity.create(caller.accessKeyId(), caller.secretAccessKey()))
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
            authorization = signed.request().firstMatchingHeader("Authorization").orElse("");
        } else {
            SdkHttpFullRequest full = SdkHttpFullRequest.builder().method(request.method()).uri(request.getUri())
                    .headers(request.headers()).contentStreamProvider(() -> new ByteArrayInputStream(body)).build();
            @SuppressWarnings("deprecation")
            SdkHttpFullRequest signed = Aws4Signer.create().sign(full, Aws4SignerParams.builder()
                    .awsCredentials(AwsBasicCredentials.create(caller.accessKeyId(), caller.secretAccessKey()))
                    .signingName(SERVICE).signingRegion(Region.of(region))
                    .signingClockOverride(Clock.fixed(signedAt, ZoneOffset.UTC)).build());
            authorization = signed.firstMatchingHeader("Authorization").orElse("");
        }
        return authorization.substring(authorization.lastIndexOf("Signature=") + "Signature=".length());
    }

    private static Verdict refuse(String message) {
        return new Verdict(Optional.empty(), message);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
