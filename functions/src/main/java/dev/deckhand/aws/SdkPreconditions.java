package dev.deckhand.aws;

import dev.deckhand.json.DeckhandJson;
import dev.deckhand.verify.Preconditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.Secret;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** {@link Preconditions} over the SDK's ECS client and the ECR, CloudWatch Logs and Secrets Manager JSON clients. */
public final class SdkPreconditions implements Preconditions {

    private final AwsClients aws;
    private final AssumedRoles roles;
    private final EcsClient ecs;
    private final AwsJsonClient ecr;
    private final AwsJsonClient secrets;
    private final AwsJsonClient logs;

    /** @param roles how cross-account environments' deployment roles are assumed */
    public SdkPreconditions(AwsClients aws, AssumedRoles roles) {
        this.aws = aws;
        this.roles = roles;
        this.ecs = aws.ecs();
        this.ecr = aws.ecr();
        this.secrets = aws.secrets();
        this.logs = aws.logs();
    }

    @Override
    public Preconditions asRole(String roleArn) {
        // Assumed now, so a refusal is one line of its own rather than the first read's error.
        var credentials = roles.credentials(roleArn, "verify", "cli");
        try {
            credentials.resolveCredentials();
        } catch (AwsServiceException e) {
            throw new RoleNotAssumable(e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage());
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            throw new RoleNotAssumable(e.getMessage());
        }
        return new SdkPreconditions(aws.withCredentials(credentials), roles);
    }

    @Override
    public Optional<String> repositoryPolicy(String repository) {
        try {
            return Optional.of(ecr.call("GetRepositoryPolicy", DeckhandJson.MAPPER.createObjectNode()
                    .put("repositoryName", repository)).path("policyText").asText());
        } catch (AwsServiceException e) {
            // API_GetRepositoryPolicy: a repository without a policy is RepositoryPolicyNotFoundException.
            if (e.awsErrorDetails() != null && "RepositoryPolicyNotFoundException".equals(e.awsErrorDetails().errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<String> clusterStatus(String cluster) {
        // API_DescribeClusters: a cluster that does not exist is listed under failures (reason MISSING).
        return read("ecs:DescribeClusters", () -> ecs.describeClusters(request -> request.clusters(cluster)).clusters()
                .stream().findFirst().map(Cluster::status));
    }

    @Override
    public Optional<LiveService> service(String cluster, String service) {
        // API_DescribeServices: a service that does not exist is listed under failures (reason MISSING).
        Optional<Service> found = read("ecs:DescribeServices", () -> ecs.describeServices(request -> request
                .cluster(cluster).services(service)).services().stream().findFirst());
        return found.map(each -> new LiveService(each.status(), each.deployments().stream()
                .filter(deployment -> "PRIMARY".equals(deployment.status())).map(Deployment::taskDefinition)
                .findFirst().orElse(each.taskDefinition())));
    }

    @Override
    public LiveTaskDefinition taskDefinition(String taskDefinitionArn) {
        TaskDefinition definition = read("ecs:DescribeTaskDefinition", () -> ecs.describeTaskDefinition(
                request -> request.taskDefinition(taskDefinitionArn)).taskDefinition());
        List<String> roles = new ArrayList<>();
        if (definition.taskRoleArn() != null) {
            roles.add(definition.taskRoleArn());
        }
        if (definition.executionRoleArn() != null) {
            roles.add(definition.executionRoleArn());
        }
        List<String> secretIds = definition.containerDefinitions().stream()
                .flatMap(container -> container.secrets().stream()).map(Secret::valueFrom)
                .filter(Objects::nonNull).distinct().toList();
        // API_LogConfiguration, options: awslogs-group, awslogs-region, and awslogs-create-group (default false:
        // the group must already exist in awslogs-region).
        List<AwslogsGroup> logGroups = definition.containerDefinitions().stream()
                .filter(container -> container.logConfiguration() != null
                        && container.logConfiguration().logDriver() == LogDriver.AWSLOGS
                        && container.logConfiguration().options().get("awslogs-group") != null)
                .map(container -> {
                    var options = container.logConfiguration().options();
                    return new AwslogsGroup(container.name(), options.get("awslogs-group"), options.get("awslogs-region"),
                            "true".equalsIgnoreCase(options.get("awslogs-create-group")));
                }).toList();
        return new LiveTaskDefinition(definition.statusAsString(),
                definition.containerDefinitions().stream().map(ContainerDefinition::name).toList(), roles, secretIds,
                logGroups);
    }

    @Override
    public boolean logGroupExists(String group, String region) {
        // API_DescribeLogGroups filters by logGroupNamePrefix and answers ASCII-sorted by name, so the group itself,
        // when it exists, is the first of the groups its name prefixes.
        AwsJsonClient client = region == null ? logs : logs.inRegion(region);
        var found = read("logs:DescribeLogGroups", () -> client.call("DescribeLogGroups", DeckhandJson.MAPPER
                .createObjectNode().put("logGroupNamePrefix", group).put("limit", 1))).path("logGroups");
        return found.size() > 0 && group.equals(found.get(0).path("logGroupName").asText());
    }

    @Override
    public boolean repositoryExists(String repository) {
        try {
            ecr.call("DescribeRepositories", DeckhandJson.MAPPER.createObjectNode().set("repositoryNames",
                    DeckhandJson.MAPPER.createArrayNode().add(repository)));
            return true;
        } catch (AwsServiceException e) {
            // API_DescribeRepositories: a repository that does not exist is RepositoryNotFoundException.
            if (e.awsErrorDetails() != null && "RepositoryNotFoundException".equals(e.awsErrorDetails().errorCode())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<String> secretProblem(String secretId) {
        // Only Secrets Manager secrets are read here; a task definition may also name an SSM parameter.
        if (secretId.startsWith("arn:") && !secretId.contains(":secretsmanager:")) {
            return Optional.empty();
        }
        // API_GetSecretValue proves the secret is there and readable; its value is dropped unread.
        String id = secretId.contains(":secretsmanager:") ? secretManagerId(secretId) : secretId;
        try {
            secrets.call("GetSecretValue", DeckhandJson.MAPPER.createObjectNode().put("SecretId", id));
            return Optional.empty();
        } catch (AwsServiceException e) {
            return Optional.of(e.awsErrorDetails() == null ? "cannot be read"
                    : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage());
        }
    }

    /**
     * A read the caller may not make becomes {@link ReadRefused}, so verify reports it as a line: ECS answers
     * AccessDeniedException ("You don't have authorization to perform the requested action", ECS API Reference,
     * Errors); any 403 or AccessDenied* code of the other APIs counts too.
     */
    private static <T> T read(String action, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e.statusCode() == 403 || (code != null && code.startsWith("AccessDenied"))) {
                throw new ReadRefused(action + " refused: " + (code == null ? e.getMessage()
                        : code + ": " + e.awsErrorDetails().errorMessage()));
            }
            throw e;
        }
    }

    /**
     * ECS's {@code valueFrom} may name one JSON key of a secret: {@code <secret-arn>:<json-key>:<version-stage>:<version-id>}
     * (developer guide, "Pass Secrets Manager secrets through Amazon ECS environment variables"); the secret is the ARN's
     * first seven colon-separated parts.
     */
    private static String secretManagerId(String valueFrom) {
        String[] parts = valueFrom.split(":");
        return parts.length <= 7 ? valueFrom : String.join(":", java.util.Arrays.copyOf(parts, 7));
    }
}
