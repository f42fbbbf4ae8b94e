package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.deployment.Outcome;
import dev.deckhand.errors.AwsRequestRejectedException;
import dev.deckhand.errors.TransientAwsException;
import dev.deckhand.notify.DeploymentReport;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deckhand's Query calls (SNS Publish here; STS AssumeRole in {@link AssumedRolesTest}): a signed
 * form-encoded POST naming the action and version (SNS API Reference, "Publish": {@code TopicArn},
 * {@code Subject}, {@code Message}; "Common Parameters": {@code Action}, {@code Version}), errors read
 * from the Query protocol's {@code ErrorResponse/Error/Code, Message}, and the generated clients' retries.
 */
class AwsQueryClientTest {

    private static final String THROTTLED = """
            <ErrorResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
              <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
              <RequestId>r-1</RequestId>
            </ErrorResponse>""";
    private static final String PUBLISHED = """
            <PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
              <PublishResult><MessageId>m-1</MessageId></PublishResult>
            </PublishResponse>""";

    private final LoopbackAwsService service = new LoopbackAwsService();

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void publishesTheReportAsASignedFormNamingActionVersionTopicSubjectAndMessage() throws Exception {
        service.answer(200, PUBLISHED);

        assertThat(new SnsChannel(service.clients().sns(), "arn:aws:sns:us-east-1:123456789012:deckhand")
                .send(report("Deployed v1 to web/prod"), null)).isTrue();

        LoopbackAwsService.Request request = service.requests().get(0);
        Map<String, String> form = form(request.body());
        assertThat(form).containsEntry("Action", "Publish").containsEntry("Version", "2010-03-31")
                .containsEntry("TopicArn", "arn:aws:sns:us-east-1:123456789012:deckhand")
                .containsEntry("Subject", "Deckhand SUCCEEDED: Deployed v1 to web/prod");
        assertThat(form.get("Message")).contains("\"summary\":\"Deployed v1 to web/prod\"");
        assertThat(request.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(request.authorization()).startsWith("AWS4-HMAC-SHA256 ").contains("/sns/aws4_request");
    }

    @Test
    void aRefusalIsTheQueryErrorsCodeAndMessageAndIsSentOnce() {
        service.answer(400, """
                <ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code>
                <Message>Invalid parameter: Subject</Message></Error></ErrorResponse>""");

        assertThatThrownBy(() -> new SnsChannel(service.clients().sns(), "arn:aws:sns:us-east-1:123456789012:t")
                .send(report("x"), null))
                .isInstanceOf(AwsRequestRejectedException.class)
                .hasMessage("publish to arn:aws:sns:us-east-1:123456789012:t was rejected "
                        + "(InvalidParameter: Invalid parameter: Subject)");
        assertThat(service.requests()).hasSize(1);
    }

    @Test
    void aThrottledCallAndAnErrorPageThatIsNotXmlAreRetried() {
        service.answer(400, THROTTLED).answer(503, "Service Unavailable").answer(200, PUBLISHED);

        service.clients().sns().call("Publish", Map.of("TopicArn", "t", "Message", "m"), false);

        assertThat(service.requests()).hasSize(3);
    }

    @Test
    void aServerErrorIsAttemptedAsOftenAsByTheSdksOwnClient() {
        int sdkAttempts = service.attemptsOfTheGeneratedClientAtAServerError(false);
        service.answer(500, "<ErrorResponse><Error><Code>InternalFailure</Code><Message>oops</Message></Error>"
                + "</ErrorResponse>");

        assertThatThrownBy(() -> AwsCalls.call("publish", () -> service.clients().sns().call("Publish",
                Map.of("TopicArn", "t", "Message", "m"), false)))
                .isInstanceOf(TransientAwsException.class)
                .hasMessage("publish failed (InternalFailure: oops)");
        assertThat(sdkAttempts).as("the SDK retries a 500").isGreaterThan(1);
        assertThat(service.requests()).hasSize(sdkAttempts);
    }

    private static Map<String, String> form(String body) {
        return Stream.of(body.split("&")).map(pair -> pair.split("=", 2)).collect(Collectors.toMap(
                pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }

    private static DeploymentReport report(String summary) {
        return new DeploymentReport(Outcome.SUCCEEDED, summary, "web.prod.0123456789abcdef", 1, "web", "prod",
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:" + "0".repeat(64), "v1", "PUSH", null,
                null, Instant.parse("2026-12-06T10:00:00Z"), Instant.parse("2026-12-06T10:05:00Z"), null);
    }
}
