package dev.deckhand.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * STS {@code AssumeRole} as one signed AWS Query call (form-encoded POST, XML answer), so the
 * Lambda jar does not carry the SDK's sts module for one operation. Shapes from the STS API
 * Reference, "AssumeRole": parameters {@code RoleArn}, {@code RoleSessionName},
 * {@code DurationSeconds} (900 s up to the role's maximum, 3600 by default), answer
 * {@code AssumeRoleResponse/AssumeRoleResult/Credentials} with {@code AccessKeyId},
 * {@code SecretAccessKey}, {@code SessionToken}, {@code Expiration}; errors in the Query
 * protocol's {@code ErrorResponse/Error/Code, Message}.
 */
public final class StsAssumeRole implements AssumedRoles.Sts {

    static final String VERSION = "2011-06-15";

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final URI endpoint;

    StsAssumeRole(SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpointOverride) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        // The regional endpoint, as the SDK for Java 2.x uses by default.
        this.endpoint = endpointOverride != null ? endpointOverride
                : URI.create("https://sts." + region.id() + "." + PartitionMetadata.of(region).dnsSuffix());
    }

    @Override
    public AssumedRoles.TemporaryCredentials assumeRole(String roleArn, String sessionName, int durationSeconds) {
        byte[] body = ("Action=AssumeRole&Version=" + VERSION + "&RoleArn=" + encode(roleArn) + "&RoleSessionName="
                + encode(sessionName) + "&DurationSeconds=" + durationSeconds).getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .putHeader("Content-Length", String.valueOf(body.length))
                .build();
        SignedExchange.Answer response = SignedExchange.send(http, credentials, region, "sts", unsigned, body,
                "STS AssumeRole");
        byte[] answer = response.body();
        int status = response.status();
        Document document = parse(answer, status);
        if (status / 100 != 2) {
            String code = text(document, "Code");
            String message = text(document, "Message");
            throw AwsServiceException.builder().statusCode(status).message(code + ": " + message)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode(code.isEmpty() ? "HTTP " + status : code)
                            .errorMessage(message).serviceName("sts").build())
                    .build();
        }
        return new AssumedRoles.TemporaryCredentials(text(document, "AccessKeyId"), text(document, "SecretAccessKey"),
                text(document, "SessionToken"), Instant.parse(text(document, "Expiration")));
    }

    private static Document parse(byte[] answer, int status) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(answer));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw SdkClientException.create("STS AssumeRole answered HTTP " + status + " with a body that is not XML", e);
        }
    }

    private static String text(Document document, String element) {
        var nodes = document.getElementsByTagName(element);
        return nodes.getLength() == 0 ? "" : ((Element) nodes.item(0)).getTextContent().strip();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
