package dev.deckhand.local;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Real AWS SDK v2 clients pointed at a local cloud, as Deckhand's AwsClients builds them. */
public final class Clients {

    public static SsmClient ssm(LocalCloud cloud) {
        return configure(SsmClient.builder(), cloud).build();
    }

    public static SnsClient sns(LocalCloud cloud) {
        return configure(SnsClient.builder(), cloud).build();
    }

    public static SecretsManagerClient secretsManager(LocalCloud cloud) {
        return configure(SecretsManagerClient.builder(), cloud).build();
    }

    public static software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient logs(LocalCloud cloud) {
        return configure(software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient.builder(), cloud).build();
    }

    public static software.amazon.awssdk.services.cloudwatch.CloudWatchClient cloudWatch(LocalCloud cloud) {
        return configure(software.amazon.awssdk.services.cloudwatch.CloudWatchClient.builder(), cloud).build();
    }

    public static EcrClient ecr(LocalCloud cloud) {
        return configure(EcrClient.builder(), cloud).build();
    }

    public static EventBridgeClient eventBridge(LocalCloud cloud) {
        return configure(EventBridgeClient.builder(), cloud).build();
    }

    public static DynamoDbClient dynamoDb(LocalCloud cloud) {
        return configure(DynamoDbClient.builder(), cloud).build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder,
            LocalCloud cloud) {
        return builder.endpointOverride(cloud.endpoint())
                .region(Region.of(cloud.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create());
    }

    private Clients() {
    }
}
