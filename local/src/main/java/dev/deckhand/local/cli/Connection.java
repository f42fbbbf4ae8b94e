package dev.deckhand.local.cli;

import dev.deckhand.aws.AwsClients;
import dev.deckhand.local.api.SignedApiClient;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Where the client commands ({@code push}, {@code promote}, {@code status}, {@code history},
 * {@code rerun}, {@code redrive}, {@code graph}) find Deckhand: by default from the environment
 * {@code deckhand up} prints — or that a platform team sets for the Deckhand it installed on AWS
 * (no {@code AWS_ENDPOINT_URL} then). Credentials come from the SDK's default chain.
 */
final class Connection {

    private static final String UP_HINT = "start './deckhand up' in another terminal and eval its export lines "
            + "(eval \"$(./deckhand up &)\"), or pass ";

    @Option(names = "--endpoint-url", defaultValue = "${env:AWS_ENDPOINT_URL}", paramLabel = "URL",
            description = "AWS endpoint (default: $AWS_ENDPOINT_URL; unset means AWS itself).")
    String endpoint;

    @Option(names = "--region", defaultValue = "${env:AWS_REGION}", paramLabel = "REGION",
            description = "AWS region (default: $AWS_REGION).")
    String region;

    @Option(names = "--api-url", defaultValue = "${env:DECKHAND_API_URL}", paramLabel = "URL",
            description = "Base URL of Deckhand's promote and status API (default: $DECKHAND_API_URL).")
    String apiUrl;

    @Option(names = "--state-machine-arn", defaultValue = "${env:DECKHAND_STATE_MACHINE_ARN}", paramLabel = "ARN",
            description = "The deployer state machine (default: $DECKHAND_STATE_MACHINE_ARN).")
    String stateMachineArn;

    /** Whether Deckhand is the local one (an endpoint on loopback), where progress can be read often. */
    boolean local() {
        return endpoint != null && (endpoint.contains("127.0.0.1") || endpoint.contains("localhost"));
    }

    SfnClient sfn() {
        return configure(SfnClient.builder()).build();
    }

    EcrClient ecr() {
        return configure(EcrClient.builder()).build();
    }

    /** The same clients the functions use (for the JSON-protocol services, e.g. Secrets Manager), on this endpoint. */
    AwsClients aws() {
        URI override = null;
        if (!blank(endpoint)) {
            try {
                override = new URI(endpoint);
            } catch (URISyntaxException e) {
                throw new UserError("--endpoint-url '" + endpoint + "' is not a URL", "e.g. http://127.0.0.1:4566");
            }
        }
        return AwsClients.forEndpoint(override, region(), DefaultCredentialsProvider.builder().build());
    }

    String stateMachineArn() {
        if (blank(stateMachineArn)) {
            throw new UserError("DECKHAND_STATE_MACHINE_ARN is not set: which Deckhand?",
                    UP_HINT + "--state-machine-arn");
        }
        return stateMachineArn;
    }

    SignedApiClient api() {
        if (blank(apiUrl)) {
            throw new UserError("DECKHAND_API_URL is not set: where is Deckhand's API?", UP_HINT + "--api-url");
        }
        URI base;
        try {
            base = new URI(apiUrl);
        } catch (URISyntaxException e) {
            throw new UserError("--api-url '" + apiUrl + "' is not a URL", "e.g. http://127.0.0.1:4567");
        }
        AwsCredentials credentials;
        try {
            credentials = DefaultCredentialsProvider.builder().build().resolveCredentials();
        } catch (SdkClientException e) {
            throw new UserError("no AWS credentials to sign the request with", "set AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY (the local pair is printed by './deckhand up'), or AWS_PROFILE");
        }
        return new SignedApiClient(base, region(), credentials);
    }

    private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.region(region()).httpClientBuilder(UrlConnectionHttpClient.builder());
        if (!blank(endpoint)) {
            try {
                builder.endpointOverride(new URI(endpoint));
            } catch (URISyntaxException e) {
                throw new UserError("--endpoint-url '" + endpoint + "' is not a URL", "e.g. http://127.0.0.1:4566");
            }
        }
        return builder;
    }

    private Region region() {
        if (blank(region)) {
            throw new UserError("AWS_REGION is not set", "export AWS_REGION=us-east-1, or pass --region");
        }
        return Region.of(region);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
