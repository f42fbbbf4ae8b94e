package dev.deckhand.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Builds every AWS client Deckhand's functions use: the region from {@code AWS_REGION}, one
 * URL-connection HTTP client per container, and one place where the endpoint is overridden to reach
 * the local cloud ({@code AWS_ENDPOINT_URL} is honoured too, as by the AWS CLI and the SDKs). Every
 * service is reached through a light client that signs with the SDK's SigV4 signer and retries as the
 * SDK does: {@link AwsJsonClient} for the JSON protocols (DynamoDB, ECS, SSM, …), {@link AwsQueryClient}
 * for the two Query calls (STS AssumeRole, SNS Publish). No generated SDK client is built: each one's
 * build resolves about 400 region and service-metadata classes, and DynamoDB's and ECS's models alone
 * weigh megabytes, which cost every cold start (the cold-start benchmark, docs/benchmarks.md).
 */
public final class AwsClients {

    /**
     * The one HTTP client, built when a function first calls AWS: its TLS context reads the JDK's
     * trust store, which a function that calls no AWS API (the health check) never needs.
     */
    private static final class Http {
        static final SdkHttpClient CLIENT = UrlConnectionHttpClient.builder().build();
    }

    private final Region region;
    private final URI endpointOverride;
    private final AwsCredentialsProvider credentials;
    private final boolean backOff;
    // One client per service and set of credentials, as a generated client is built once and shared:
    // its retry strategy's token bucket then sees every call of the container to that service.
    private final Map<String, AwsJsonClient> jsonClients = new ConcurrentHashMap<>();
    private final Map<String, AwsQueryClient> queryClients = new ConcurrentHashMap<>();

    private AwsClients(Region region, URI endpointOverride, AwsCredentialsProvider credentials, boolean backOff) {
        this.region = region;
        this.endpointOverride = endpointOverride;
        this.credentials = credentials;
        this.backOff = backOff;
    }

    /**
     * What the Lambda runtime provides: region from {@code AWS_REGION}, the default credential chain.
     * Not the environment-variable provider alone, though it would start faster: a SnapStart function
     * gets container credentials instead of the key variables
     * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-activate.html#snapstart-credentials).
     */
    public static AwsClients fromEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("AWS_REGION is not set; the Lambda runtime sets it, locally export it");
        }
        return new AwsClients(Region.of(region), null, DefaultCredentialsProvider.builder().build(), true);
    }

    /** Clients for an endpoint that answers every service, such as the local cloud. */
    public static AwsClients forEndpoint(URI endpoint, Region region, AwsCredentialsProvider credentials) {
        return new AwsClients(region, endpoint, credentials, true);
    }

    /**
     * The same clients retrying without waiting in between: the SDK's attempts and which errors it
     * retries are unchanged, only its back-off is gone. For the local cloud, whose time is simulated:
     * there a real-time back-off (up to seconds for throttling) only slows the run, and an injected
     * fault is not a congested service that needs room.
     */
    public AwsClients retryingAtOnce() {
        return new AwsClients(region, endpointOverride, credentials, false);
    }

    /** Applied to a retry strategy built with the client's defaults: no pause before a retry. */
    public static void withoutBackOff(RetryStrategy.Builder<?, ?> retries) {
        retries.backoffStrategy(BackoffStrategy.retryImmediately())
                .throttlingBackoffStrategy(BackoffStrategy.retryImmediately());
    }

    /** The same clients acting with other credentials (an assumed deployment role's). */
    public AwsClients withCredentials(AwsCredentialsProvider other) {
        return new AwsClients(region, endpointOverride, other, backOff);
    }

    /** STS's AssumeRole, the one STS call Deckhand makes (a query call, not the SDK's sts module). */
    public StsAssumeRole sts() {
        return new StsAssumeRole(queryClients.computeIfAbsent("sts", service -> new AwsQueryClient(Http.CLIENT,
                credentials, region, sharedEndpoint(), "sts", "sts", StsAssumeRole.VERSION, backOff)));
    }

    /** The endpoint override, else {@code AWS_ENDPOINT_URL}, as the SDK's generated clients honour it. */
    private URI sharedEndpoint() {
        String shared = System.getenv("AWS_ENDPOINT_URL");
        return endpointOverride == null && shared != null && !shared.isBlank() ? URI.create(shared) : endpointOverride;
    }

    /** SNS's Publish, the one SNS call Deckhand makes (a Query call, not the SDK's sns module). */
    public AwsQueryClient sns() {
        return queryClients.computeIfAbsent("sns", service -> new AwsQueryClient(Http.CLIENT, credentials, region,
                sharedEndpoint(), "sns", "sns", "2010-03-31", backOff));
    }

    // Target prefixes, signing names and protocol versions as the SDK's generated clients send them.

    /**
     * DynamoDB speaks AWS JSON 1.0, target {@code DynamoDB_20120810}, signed for {@code dynamodb}, and
     * retries as its generated client does ({@link #dynamoDbRetries}).
     */
    public AwsJsonClient dynamoDb() {
        return json("dynamodb", "dynamodb", "DynamoDB_20120810", "1.0", AwsClients::dynamoDbRetries);
    }

    /**
     * DynamoDB's generated client retries more, and sooner, than the SDK's defaults: its
     * {@code DynamoDbRetryPolicy.resolveRetryStrategy} (SDK 2.41, dynamodb module) takes the default
     * strategy of the retry mode and sets 9 attempts and an exponential back-off from 25 ms (full
     * jitter, at most the SDK's 20 s); throttling backs off as by default. Without back-off (the local
     * cloud) the 9 attempts stay, as {@link #retryingAtOnce()} promises.
     */
    static void dynamoDbRetries(RetryStrategy.Builder<?, ?> retries) {
        retries.maxAttempts(9).backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(25),
                Duration.ofSeconds(20)));
    }

    /** ECS speaks AWS JSON 1.1, target {@code AmazonEC2ContainerServiceV20141113}, signed for {@code ecs}. */
    public AwsJsonClient ecs() {
        return json("ecs", "ecs", "AmazonEC2ContainerServiceV20141113");
    }

    public AwsJsonClient ssm() {
        return json("ssm", "ssm", "AmazonSSM");
    }

    public AwsJsonClient logs() {
        return json("logs", "logs", "Logs_20140328");
    }

    public AwsJsonClient secrets() {
        return json("secretsmanager", "secretsmanager", "secretsmanager");
    }

    /**
     * ECR's API endpoint is {@code api.ecr.<region>}: "the api.ecr endpoint is recommended and the
     * default when using the AWS CLI or AWS SDKs" (AWS General Reference, "Amazon ECR endpoints and
     * quotas"); requests are signed for {@code ecr}.
     */
    public AwsJsonClient ecr() {
        return json("api.ecr", "ecr", "AmazonEC2ContainerRegistry_V20150921");
    }

    public AwsJsonClient events() {
        return json("events", "events", "AWSEvents");
    }

    /** Step Functions speaks AWS JSON 1.0 (as the SDK's SfnClient sends it), signed for {@code states}. */
    public AwsJsonClient sfn() {
        return json("states", "states", "AWSStepFunctions", "1.0");
    }

    /**
     * CloudWatch speaks AWS JSON 1.0 besides the query protocol (target {@code GraniteServiceVersion20100801},
     * as the SDK's own model names it), signed for {@code monitoring}.
     */
    public AwsJsonClient cloudWatch() {
        return json("monitoring", "monitoring", "GraniteServiceVersion20100801", "1.0");
    }

    private AwsJsonClient json(String hostPrefix, String signingName, String targetPrefix) {
        return json(hostPrefix, signingName, targetPrefix, "1.1");
    }

    private AwsJsonClient json(String hostPrefix, String signingName, String targetPrefix, String jsonVersion) {
        return json(hostPrefix, signingName, targetPrefix, jsonVersion, SdkRetries.DEFAULTS);
    }

    private AwsJsonClient json(String hostPrefix, String signingName, String targetPrefix, String jsonVersion,
            Consumer<RetryStrategy.Builder<?, ?>> serviceRetries) {
        return jsonClients.computeIfAbsent(targetPrefix, service -> new AwsJsonClient(Http.CLIENT, credentials, region,
                sharedEndpoint(), hostPrefix, signingName, targetPrefix, jsonVersion, backOff, serviceRetries));
    }
}
