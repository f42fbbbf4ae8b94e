package dev.deckhand.local.deployer;

import dev.deckhand.aws.AwsClients;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The SDK's generated ECS and DynamoDB clients for the local cloud, signed with one access key: how
 * the local Deckhand seeds its sample (tables, clusters, services) and how tests look at or poke the
 * cloud the way an operator's tools would. Deckhand's functions do not use them (they speak the
 * services' JSON through {@code AwsJsonClient}, which keeps the generated clients out of the Lambda
 * jar). Built on first use; they retry at once, as the local Deckhand's other clients do.
 */
public final class SdkClients {

    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();

    private final URI endpoint;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private EcsClient ecs;
    private DynamoDbClient dynamo;

    SdkClients(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
        this(endpoint, region, StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
    }

    public SdkClients(URI endpoint, String region, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.region = Region.of(region);
        this.credentials = credentials;
    }

    public synchronized EcsClient ecs() {
        if (ecs == null) {
            ecs = configure(EcsClient.builder()).httpClient(HTTP).build();
        }
        return ecs;
    }

    public synchronized DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = configure(DynamoDbClient.builder()).httpClient(HTTP).build();
        }
        return dynamo;
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        return builder.endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .overrideConfiguration(override -> override.retryStrategy(AwsClients::withoutBackOff));
    }
}
