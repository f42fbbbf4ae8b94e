package dev.deckhand.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * One action of an AWS Query service (STS, SNS): a form-encoded POST of {@code Action}, {@code Version}
 * and the parameters, signed with the SDK's SigV4 signer, answered in XML. Deckhand makes one call of
 * each (AssumeRole, Publish), so the generated clients' modules stay out of the Lambda jar and their
 * build out of the cold start. Errors are the SDK's {@link AwsServiceException} with the Query
 * protocol's {@code ErrorResponse/Error/Code} and {@code Message}; retries are the generated clients'
 * ({@link SdkRetries}).
 */
public final class AwsQueryClient {

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final URI endpoint;
    private final String signingName;
    private final String version;
    private final SdkRetries retries;

    /**
     * @param hostPrefix the endpoint's first label ({@code sts}, {@code sns})
     * @param version the API version every request names ({@code 2011-06-15} for STS)
     */
    AwsQueryClient(SdkHttpClient http, AwsCredentialsProvider credentials, Region region, URI endpointOverride,
            String hostPrefix, String signingName, String version, boolean backOff) {
        this.http = http;
        this.credentials = credentials;
        this.region = region;
        this.endpoint = SignedExchange.endpoint(endpointOverride, hostPrefix, region);
        this.signingName = signingName;
        this.version = version;
        this.retries = new SdkRetries(signingName, SdkRetries.DEFAULTS, backOff);
    }

    /**
     * Calls {@code action} with {@code parameters} (in this order) and returns the answer's XML,
     * parsed only when {@code parse} asks for it; the last attempt's error escapes.
     */
    Document call(String action, Map<String, String> parameters, boolean parse) {
        StringBuilder form = new StringBuilder("Action=").append(encode(action)).append("&Version=")
                .append(encode(version));
        parameters.forEach((name, value) -> form.append('&').append(encode(name)).append('=').append(encode(value)));
        byte[] body = form.toString().getBytes(StandardCharsets.UTF_8);
        return retries.run(() -> send(action, body, parse));
    }

    private Document send(String action, byte[] body, boolean parse) {
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .putHeader("Content-Length", String.valueOf(body.length))
                .build();
        String what = signingName + " " + action;
        SignedExchange.Answer response = SignedExchange.send(http, credentials, region, signingName, unsigned, body,
                what);
        int status = response.status();
        if (status / 100 == 2) {
            return parse ? parse(response.body(), what, status) : null;
        }
        // An error page that is not XML (a proxy's 503) still fails with its status, so it is retried.
        Document error = looksLikeXml(response.body()) ? parse(response.body(), what, status) : null;
        String code = error == null ? "" : text(error, "Code");
        String message = error == null ? "" : text(error, "Message");
        throw SignedExchange.serviceError(status, code, message, signingName, response.body());
    }

    /** The text of the first {@code element} in {@code document}, or "" when there is none. */
    static String text(Document document, String element) {
        var nodes = document.getElementsByTagName(element);
        return nodes.getLength() == 0 ? "" : ((Element) nodes.item(0)).getTextContent().strip();
    }

    private static boolean looksLikeXml(byte[] answer) {
        return new String(answer, StandardCharsets.UTF_8).strip().startsWith("<");
    }

    private static Document parse(byte[] answer, String what, int status) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(answer));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw SdkClientException.create(what + " answered HTTP " + status + " with a body that is not XML", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
