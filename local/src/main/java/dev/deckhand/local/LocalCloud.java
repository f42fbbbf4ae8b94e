package dev.deckhand.local;

import dev.deckhand.local.aws.JsonProtocolService;
import dev.deckhand.local.cloudwatch.LocalCloudWatch;
import dev.deckhand.local.dynamodb.EmbeddedDynamoDb;
import dev.deckhand.local.events.EventBus;
import dev.deckhand.local.fault.FaultInjector;
import dev.deckhand.local.fault.FaultRule;
import dev.deckhand.local.gateway.AwsGateway;
import dev.deckhand.local.logs.LogStore;
import dev.deckhand.local.secrets.SecretStore;
import dev.deckhand.local.sns.TopicService;
import dev.deckhand.local.ssm.ParameterStore;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The embedded local cloud: one HTTP endpoint on 127.0.0.1 that answers the AWS operations Deckhand
 * uses — DynamoDB (DynamoDB Local), EventBridge, SSM Parameter Store, SNS, Secrets Manager, CloudWatch Logs, and the
 * services plugged in through {@link Builder#service} — for the real AWS SDK clients, the AWS CLI,
 * or any other client pointed at {@link #endpoint()}.
 *
 * <pre>{@code
 * try (LocalCloud cloud = LocalCloud.builder().port(0).build().start()) {
 *     SsmClient ssm = SsmClient.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))...
 * }
 * }</pre>
 */
public final class LocalCloud implements AutoCloseable {

    /** The port convention of LocalStack and Floci. */
    public static final int DEFAULT_PORT = 4566;
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT = "000000000000";

    private final int requestedPort;
    private final String region;
    private final String account;
    private final boolean withDynamoDb;
    private final FaultInjector faults;
    private final EventBus events;
    private final ParameterStore parameters;
    private final SecretStore secrets;
    private final TopicService topics;
    private final LogStore logs;
    private final LocalCloudWatch cloudWatch;
    private final dev.deckhand.local.sts.LocalSts sts;
    private final List<JsonProtocolService> extraServices = new ArrayList<>();
    private EmbeddedDynamoDb dynamoDb;
    private AwsGateway gateway;
    private boolean closed;

    private LocalCloud(Builder builder) {
        this.requestedPort = builder.port;
        this.region = builder.region;
        this.account = builder.account;
        this.withDynamoDb = builder.dynamoDb;
        this.faults = new FaultInjector(builder.faultSeed);
        builder.faults.forEach(faults::add);
        this.events = new EventBus(region, account, faults);
        this.parameters = new ParameterStore(region, account);
        this.secrets = new SecretStore(region, account);
        this.topics = new TopicService(region, account);
        this.logs = new LogStore(region, account, Clock.systemUTC());
        this.cloudWatch = new LocalCloudWatch(region, account, Clock.systemUTC());
        this.sts = new dev.deckhand.local.sts.LocalSts(account, builder.stsClock, this::bindKey);
        CloudContext context = new CloudContext(region, account, events);
        builder.services.forEach(factory -> extraServices.add(factory.apply(context)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts DynamoDB Local and the endpoint.
     *
     * @throws java.io.UncheckedIOException when the port is in use
     * @throws IllegalStateException when DynamoDB Local cannot start, or the cloud was already started
     */
    public synchronized LocalCloud start() {
        if (gateway != null || closed) {
            throw new IllegalStateException("A local cloud starts once; build another one");
        }
        List<JsonProtocolService> services = new ArrayList<>(List.of(events, parameters, secrets, logs, cloudWatch));
        services.addAll(extraServices);
        // Bound before DynamoDB Local starts, so a busy port fails fast.
        gateway = new AwsGateway(requestedPort, services, Map.of(), List.of(topics, sts), faults);
        try {
            if (withDynamoDb) {
                dynamoDb = EmbeddedDynamoDb.start();
                gateway.forward("DynamoDB_20120810", dynamoDb.endpoint());
            }
            gateway.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** Enforces IAM for function identities ({@link IamEnforcement}); {@code null} switches it off. */
    public void enforce(dev.deckhand.local.iam.IamEnforcement enforcement) {
        if (gateway == null) {
            throw new IllegalStateException("The local cloud is not started");
        }
        gateway.enforce(enforcement);
        sts.enforce(enforcement);
    }

    /** The local STS, which issues other accounts' role credentials. */
    public dev.deckhand.local.sts.LocalSts sts() {
        return sts;
    }

    /** Another account's own {@code service} (its ECS, its Logs), answering the keys bound to it. */
    public void host(String otherAccount, JsonProtocolService service) {
        started().host(otherAccount, service);
    }

    /** Requests signed with {@code accessKeyId} act in {@code otherAccount}. */
    public void bindKey(String accessKeyId, String otherAccount) {
        started().bindKey(accessKeyId, otherAccount);
    }

    private AwsGateway started() {
        if (gateway == null) {
            throw new IllegalStateException("The local cloud is not started");
        }
        return gateway;
    }

    /** The endpoint every client is pointed at, e.g. {@code http://127.0.0.1:4566}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The bound port (the ephemeral one when the builder asked for 0). */
    public int port() {
        if (gateway == null) {
            throw new IllegalStateException("The local cloud is not started");
        }
        return gateway.port();
    }

    public String region() {
        return region;
    }

    public String account() {
        return account;
    }

    /** The EventBridge default bus: its rules, published events and deliveries; where to register targets. */
    public EventBus events() {
        return events;
    }

    /** SSM Parameter Store, for fixtures and assertions. */
    public ParameterStore parameters() {
        return parameters;
    }

    /** Secrets Manager, for fixtures. */
    public SecretStore secrets() {
        return secrets;
    }

    /** CloudWatch alarms (the alarm gate reads them); tests and demos set their state here. */
    public LocalCloudWatch cloudWatch() {
        return cloudWatch;
    }

    /** Request members no SDK model defines, sent to this cloud since it started ({@link AwsGateway#unmodelledMembers}). */
    public List<String> unmodelledMembers() {
        return gateway.unmodelledMembers();
    }

    /** CloudWatch Logs, where the simulated ECS writes awslogs output; for fixtures and assertions. */
    public LogStore logs() {
        return logs;
    }

    /** SNS, with the messages published to each topic. */
    public TopicService topics() {
        return topics;
    }

    /** The fault rules in force; add or clear them while the cloud runs. */
    public FaultInjector faults() {
        return faults;
    }

    /** DynamoDB Local's own endpoint (behind the shared one, which forwards to it, with faults). */
    public URI dynamoDbEndpoint() {
        if (dynamoDb == null) {
            throw new IllegalStateException("DynamoDB Local is not running in this local cloud");
        }
        return dynamoDb.endpoint();
    }

    /** Stops the endpoint, DynamoDB Local and event delivery. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (gateway != null) {
            gateway.close();
        }
        events.close();
        if (dynamoDb != null) {
            dynamoDb.close();
            dynamoDb = null;
        }
    }

    /** Configures a {@link LocalCloud}; every setting has a default. */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private String region = DEFAULT_REGION;
        private String account = DEFAULT_ACCOUNT;
        private boolean dynamoDb = true;
        private long faultSeed = 42;
        private final List<FaultRule> faults = new ArrayList<>();
        private Clock stsClock = Clock.systemUTC();
        private final List<Function<CloudContext, JsonProtocolService>> services = new ArrayList<>();

        /** The port on 127.0.0.1; 0 picks a free one (tests). Default 4566. */
        /** The clock of the local STS's credential expiry (the deployer's, when it simulates time). */
        public Builder stsClock(Clock clock) {
            this.stsClock = clock;
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("A port is between 0 and 65535, not " + port);
            }
            this.port = port;
            return this;
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        public Builder account(String account) {
            this.account = Objects.requireNonNull(account, "account");
            return this;
        }

        /** Whether to run DynamoDB Local (default true); without it, cloud start is faster. */
        public Builder dynamoDb(boolean enabled) {
            this.dynamoDb = enabled;
            return this;
        }

        /** A fault rule in force from the start. */
        public Builder fault(FaultRule rule) {
            faults.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** The seed of the fault draws (default 42). */
        public Builder faultSeed(long seed) {
            this.faultSeed = seed;
            return this;
        }

        /** Another AWS JSON-protocol service to answer (e.g. ECS, ECR). */
        public Builder service(JsonProtocolService service) {
            Objects.requireNonNull(service, "service");
            services.add(context -> service);
            return this;
        }

        /** Another service, built with the cloud's region, account and event bus (e.g. ECR emitting push events). */
        public Builder service(Function<CloudContext, JsonProtocolService> factory) {
            services.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        public LocalCloud build() {
            return new LocalCloud(this);
        }
    }
}
