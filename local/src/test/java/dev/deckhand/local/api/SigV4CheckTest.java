package dev.deckhand.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The check recomputes the signature with the SDK's own signer ({@code AwsV4HttpSigner}), so a
 * request the SDK signs is accepted and any change to what was signed is refused — the body, a
 * signed header, the time stamp or the key ("Signature Version 4 signing process", IAM User Guide:
 * the signature covers the canonical request — method, path, query, signed headers, payload hash —
 * the time stamp and the scope, keyed by the secret access key).
 */
class SigV4CheckTest {

    private static final String ACCOUNT = "000000000000";
    private static final String KEY = "AKIDLOCAL";
    private static final String SECRET = "local-secret";
    private static final URI URI_PROMOTIONS = URI.create("http://127.0.0.1:8080/promotions?dryRun=1");
    private static final String BODY = "{\"service\":\"storefront\",\"from\":\"dev\",\"to\":\"staging\"}";

    private final SigV4Check check = new SigV4Check(List.of(new SigV4Check.Caller(KEY, SECRET, ACCOUNT),
            new SigV4Check.Caller("AKIDOTHER", "other-secret", "999999999999")), ACCOUNT);

    @Test
    void aRequestSignedByTheSdkSignerIsAccepted() {
        Map<String, List<String>> headers = signed(KEY, SECRET, Instant.now(), BODY);

        SigV4Check.Verdict verdict = check.verify("POST", URI_PROMOTIONS, headers, bytes(BODY));

        assertThat(verdict.refusal()).isNull();
        assertThat(verdict.caller()).hasValueSatisfying(caller -> assertThat(caller.accessKeyId()).isEqualTo(KEY));
    }

    @Test
    void aRequestSignedWithoutAPayloadHashHeaderIsCheckedToo() {
        // Clients that do not sign x-amz-content-sha256 (the SDK's older Aws4Signer, awscurl): API Gateway
        // accepts them; the hash of the payload is still in the canonical request, so a changed body fails.
        Instant now = Instant.now();
        Map<String, List<String>> headers = signedByLegacySigner(now, BODY);
        assertThat(headers).doesNotContainKey("x-amz-content-sha256");

        assertThat(check.verify("POST", URI_PROMOTIONS, headers, bytes(BODY)).refusal()).isNull();
        assertRefusedAsMismatch(check.verify("POST", URI_PROMOTIONS, headers, bytes(BODY.replace("staging", "prod"))));
    }

    @Test
    void aTamperedBodyIsRefused() {
        Map<String, List<String>> headers = signed(KEY, SECRET, Instant.now(), BODY);

        assertRefusedAsMismatch(check.verify("POST", URI_PROMOTIONS, headers,
                bytes(BODY.replace("staging", "prod"))));
    }

    @Test
    void aTamperedSignedHeaderIsRefused() {
        Map<String, List<String>> headers = signed(KEY, SECRET, Instant.now(), BODY);
        headers.put("x-deckhand-note", List.of("changed after signing"));

        assertRefusedAsMismatch(check.verify("POST", URI_PROMOTIONS, headers, bytes(BODY)));
    }

    @Test
    void aTamperedQueryOrMethodIsRefused() {
        Map<String, List<String>> headers = signed(KEY, SECRET, Instant.now(), BODY);

        assertRefusedAsMismatch(check.verify("POST", URI.create("http://127.0.0.1:8080/promotions?dryRun=0"),
                headers, bytes(BODY)));
        assertRefusedAsMismatch(check.verify("PUT", URI_PROMOTIONS, headers, bytes(BODY)));
    }

    @Test
    void aTamperedDateIsRefused() {
        Instant signedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, List<String>> headers = signed(KEY, SECRET, signedAt, BODY);
        headers.put("x-amz-date", List.of(amzDate(signedAt.plusSeconds(1))));

        assertRefusedAsMismatch(check.verify("POST", URI_PROMOTIONS, headers, bytes(BODY)));
    }

    @Test
    void aSignatureMadeWithAnotherSecretIsRefused() {
        Map<String, List<String>> headers = signed(KEY, "not-the-secret", Instant.now(), BODY);

        assertRefusedAsMismatch(check.verify("POST", URI_PROMOTIONS, headers, bytes(BODY)));
    }

    @Test
    void anUnknownKeyAndAnotherAccountAreRefused() {
        assertThat(check.verify("POST", URI_PROMOTIONS, signed("AKIDUNKNOWN", SECRET, Instant.now(), BODY), bytes(BODY))
                .refusal()).isEqualTo("The security token included in the request is invalid.");
        // Correctly signed by a caller of another account: the account-only resource policy refuses it.
        assertThat(check.verify("POST", URI_PROMOTIONS, signed("AKIDOTHER", "other-secret", Instant.now(), BODY),
                bytes(BODY)).refusal()).isEqualTo("User: arn:aws:iam::999999999999:user/AKIDOTHER is not authorized "
                + "to access this resource");
    }

    @Test
    void aSignatureOutsideTheFiveMinuteWindowIsRefused() {
        Instant old = Instant.now().minus(Duration.ofMinutes(6));

        assertThat(check.verify("POST", URI_PROMOTIONS, signed(KEY, SECRET, old, BODY), bytes(BODY)).refusal())
                .startsWith("Signature expired: ");
    }

    private static void assertRefusedAsMismatch(SigV4Check.Verdict verdict) {
        assertThat(verdict.caller()).isEmpty();
        assertThat(verdict.refusal())
                .isEqualTo("The request signature we calculated does not match the signature you provided.");
    }

    /** The headers an SDK client sends after AwsV4HttpSigner signed the request, names lower-cased as served. */
    private static Map<String, List<String>> signed(String key, String secret, Instant at, String body) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI_PROMOTIONS)
                .putHeader("Content-Type", "application/json").putHeader("X-Deckhand-Note", "signed").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(signing -> signing
                .identity(AwsCredentialsIdentity.create(key, secret))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
        Map<String, List<String>> headers = new HashMap<>();
        signed.request().headers().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        return headers;
    }

    @SuppressWarnings("deprecation")
    private static Map<String, List<String>> signedByLegacySigner(Instant at, String body) {
        software.amazon.awssdk.http.SdkHttpFullRequest request = software.amazon.awssdk.http.SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST).uri(URI_PROMOTIONS).putHeader("Host", "127.0.0.1:8080")
                .putHeader("Content-Type", "application/json")
                .contentStreamProvider(() -> new java.io.ByteArrayInputStream(bytes(body))).build();
        software.amazon.awssdk.http.SdkHttpFullRequest signed = software.amazon.awssdk.auth.signer.Aws4Signer.create()
                .sign(request, software.amazon.awssdk.auth.signer.params.Aws4SignerParams.builder()
                        .awsCredentials(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(KEY, SECRET))
                        .signingName("execute-api").signingRegion(software.amazon.awssdk.regions.Region.US_EAST_1)
                        .signingClockOverride(Clock.fixed(at, ZoneOffset.UTC)).build());
        Map<String, List<String>> headers = new HashMap<>();
        signed.headers().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        return headers;
    }

    private static String amzDate(Instant at) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(at);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
