package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;

/**
 * Assuming a cross-account environment's deployment role: the AWS Query request STS expects and
 * its XML answer (STS API Reference, "AssumeRole": Action, Version 2011-06-15, RoleArn,
 * RoleSessionName, DurationSeconds; AssumeRoleResult/Credentials; errors as
 * ErrorResponse/Error/Code), against a loopback HTTP server; and the per-container cache, which
 * reuses a session until shortly before its Expiration.
 */
class AssumedRolesTest {

    private static final String ROLE = "arn:aws:iam::222233334444:role/deckhand-deploy";
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private HttpServer server;
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> answer = new AtomicReference<>();
    private final AtomicReference<Integer> status = new AtomicReference<>(200);

    @BeforeEach
    void startSts() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> form = new LinkedHashMap<>();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (String pair : body.split("&")) {
                String[] parts = pair.split("=", 2);
                form.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            }
            form.put("authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            form.put("contentType", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
            requests.add(form);
            byte[] bytes = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(status.get(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopSts() {
        server.stop(0);
    }

    private StsAssumeRole sts() {
        return AwsClients.forEndpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Region.EU_WEST_1, StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDDECKHAND", "secret")))
                .sts();
    }

    private static String granted(String keyId, Instant expiration) {
        return """
                <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleResult>
                    <Credentials>
                      <AccessKeyId>%s</AccessKeyId>
                      <SecretAccessKey>secret-of-%s</SecretAccessKey>
                      <SessionToken>token-of-%s</SessionToken>
                      <Expiration>%s</Expiration>
                    </Credentials>
                  </AssumeRoleResult>
                </AssumeRoleResponse>
                """.formatted(keyId, keyId, keyId, expiration);
    }

    @Test
    void assumesTheRoleWithASignedQueryRequestAndReadsTheTemporaryCredentials() {
        answer.set(granted("ASIAPROD", NOW.plusSeconds(3600)));

        AssumedRoles.TemporaryCredentials credentials =
                sts().assumeRole(ROLE, "deckhand-deploy-api.prod.0123456789abcdef", 3600);

        assertThat(credentials).isEqualTo(new AssumedRoles.TemporaryCredentials("ASIAPROD", "secret-of-ASIAPROD",
                "token-of-ASIAPROD", NOW.plusSeconds(3600)));
        assertThat(credentials.toString()).doesNotContain("secret-of").doesNotContain("token-of");
        Map<String, String> sent = requests.get(0);
        assertThat(sent).containsEntry("Action", "AssumeRole").containsEntry("Version", "2011-06-15")
                .containsEntry("RoleArn", ROLE).containsEntry("RoleSessionName", "deckhand-deploy-api.prod.0123456789abcdef")
                .containsEntry("DurationSeconds", "3600");
        assertThat(sent.get("contentType")).startsWith("application/x-www-form-urlencoded");
        assertThat(sent.get("authorization")).contains("Credential=AKIDDECKHAND/").contains("/eu-west-1/sts/aws4_request");
    }

    @Test
    void surfacesARefusalAsStsNamesIt() {
        status.set(403);
        answer.set("""
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error>
                    <Type>Sender</Type>
                    <Code>AccessDenied</Code>
                    <Message>User: arn:aws:sts::111122223333:assumed-role/other/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222233334444:role/deckhand-deploy</Message>
                  </Error>
                  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
                </ErrorResponse>
                """);

        assertThatThrownBy(() -> sts().assumeRole(ROLE, "deckhand-deploy-x", 3600))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("not authorized to perform: sts:AssumeRole");
                });
    }

    @Test
    void reusesASessionUntilFiveMinutesBeforeItExpiresThenAssumesAgain() {
        MutableClock clock = new MutableClock(NOW);
        List<String> calls = new ArrayList<>();
        AssumedRoles roles = new AssumedRoles((role, session, seconds) -> {
            calls.add(role + " " + session);
            String key = "ASIA" + calls.size();
            return new AssumedRoles.TemporaryCredentials(key, "s" + calls.size(), "t" + calls.size(),
                    clock.instant().plusSeconds(seconds));
        }, clock);
        var provider = roles.credentials(ROLE, "deploy", "api.prod.0123456789abcdef");

        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIA1");
        clock.advance(Duration.ofMinutes(54));
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("ASIA1");
        assertThat(calls).hasSize(1);

        clock.advance(Duration.ofMinutes(1)); // 55 minutes in: 5 minutes before the hour's expiry
        AwsSessionCredentials renewed = (AwsSessionCredentials) provider.resolveCredentials();
        assertThat(renewed.accessKeyId()).isEqualTo("ASIA2");
        assertThat(renewed.sessionToken()).isEqualTo("t2");
        assertThat(calls).containsExactly(ROLE + " deckhand-deploy-api.prod.0123456789abcdef",
                ROLE + " deckhand-deploy-api.prod.0123456789abcdef");
    }

    @Test
    void keepsOneSessionPerDeploymentAndRole() {
        List<String> calls = new ArrayList<>();
        AssumedRoles roles = new AssumedRoles((role, session, seconds) -> {
            calls.add(session);
            return new AssumedRoles.TemporaryCredentials("ASIA" + calls.size(), "s", "t", NOW.plusSeconds(seconds));
        }, Clock.fixed(NOW, ZoneOffset.UTC));

        roles.credentials(ROLE, "deploy", "api.prod.0000000000000001").resolveCredentials();
        roles.credentials(ROLE, "deploy", "api.prod.0000000000000001").resolveCredentials();
        roles.credentials(ROLE, "migrate", "api.prod.0000000000000001").resolveCredentials();

        assertThat(calls).containsExactly("deckhand-deploy-api.prod.0000000000000001",
                "deckhand-migrate-api.prod.0000000000000001");
    }

    @Test
    void namesTheSessionWithinStsLimits() {
        // STS API Reference, AssumeRole: RoleSessionName, 2-64 characters matching [\w+=,.@-]*.
        String name = AssumedRoles.sessionName("rollback", "a-very-long-service-name-of-forty-chars.production.0123456789abcdef");
        assertThat(name).hasSize(64).startsWith("deckhand-rollback-a-very-long").matches("[\\w+=,.@-]{2,64}");
        assertThat(AssumedRoles.sessionName("deploy", "api/prod x")).isEqualTo("deckhand-deploy-api-prod-x");
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
