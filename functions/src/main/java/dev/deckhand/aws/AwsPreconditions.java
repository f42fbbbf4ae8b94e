package dev.deckhand.aws;

import static dev.deckhand.aws.EcsWire.items;
import static dev.deckhand.aws.EcsWire.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.verify.Preconditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** {@link Preconditions} over the ECS, ECR, CloudWatch Logs and Secrets Manager JSON clients. */
public final class AwsPreconditions implements Preconditions {

    private final AwsClients aws;
    private final AssumedRoles roles;
    private final AwsJsonClient ecs;
    private final AwsJsonClient ecr;
    private final AwsJsonClient secrets;
    private final AwsJsonClient logs;

    /** @param roles how cross-account environments' deployment roles are assumed */
    public AwsPreconditions(AwsClients aws, AssumedRoles roles) {
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
            throw new RoleNotAssumable(AwsCalls.detail(e));
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            throw new RoleNotAssumable(e.getMessage());
        }
        return new AwsPreconditions(aws.withCredentials(credentials), roles);
    }

    @Override
    public Optional<String> repositoryPolicy(String repository) {
        try {
            return Optional.of(ecr.call("GetRepositoryPolicy", DeckhandJson.MAPPER.createObjectNode()
                    .put("repositoryName", repository)).path("policyText").asText());
        } catch (AwsServiceException e) {
            // API_GetRepositoryPolicy: a repository without a policy is RepositoryPolicyNotFoundException.
            if (AwsCalls.isError(e, "RepositoryPolicyNotFoundException")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<String> clusterStatus(String cluster) {
        // API_DescribeClusters: a cluster that does not exist is listed under failures (reason MISSING).
        return read("ecs:DescribeClusters", () -> items(ecs.call("DescribeClusters", EcsWire.request()
                .set("clusters", EcsWire.strings(List.of(cluster)))), "clusters").stream().findFirst()
                .map(found -> text(found, "status")));
    }

    @Override
    public Optional<LiveService> service(String cluster, String service) {
        // API_DescribeServices: a service that does not exist is listed under failures (reason MISSING).
        Optional<JsonNode> found = read("ecs:DescribeServices",
                () -> items(EcsWire.describeService(ecs, cluster, service), "services").stream().findFirst());
        return found.map(each -> new LiveService(text(each, "status"), items(each, "deployments").stream()
                .filter(deployment -> "PRIMARY".equals(text(deployment, "status")))
                .map(deployment -> text(deployment, "taskDefinition"))
                .findFirst().orElse(text(each, "taskDefinition"))));
    }

    @Override
    public LiveTaskDefinition taskDefinition(String taskDefinitionArn) {
        JsonNode definition = read("ecs:DescribeTaskDefinition", () -> EcsWire.describeTaskDefinition(ecs,
                taskDefinitionArn, false).path("taskDefinition"));
        List<String> roles = new ArrayList<>();
        if (text(definition, "taskRoleArn") != null) {
            roles.add(text(definition, "taskRoleArn"));
        }
        if (text(definition, "executionRoleArn") != null) {
            roles.add(text(definition, "executionRoleArn"));
        }
        List<JsonNode> containers = items(definition, "containerDefinitions");
        List<String> secretIds = containers.stream()
                .flatMap(container -> items(container, "secrets").stream()).map(secret -> text(secret, "valueFrom"))
                .filter(Objects::nonNull).distinct().toList();
        // API_LogConfiguration, options: awslogs-group, awslogs-region, and awslogs-create-group (default false:
        // the group must already exist in awslogs-region).
        List<AwslogsGroup> logGroups = containers.stream()
                .filter(container -> "awslogs".equals(text(container.path("logConfiguration"), "logDriver"))
                        && text(container.path("logConfiguration").path("options"), "awslogs-group") != null)
                .map(container -> {
                    JsonNode options = container.path("logConfiguration").path("options");
                    return new AwslogsGroup(text(container, "name"), text(options, "awslogs-group"),
                            text(options, "awslogs-region"),
                            "true".equalsIgnoreCase(text(options, "awslogs-create-group")));
                }).toList();
        return new LiveTaskDefinition(text(definition, "status"),
                containers.stream().map(container -> text(container, "name")).toList(), roles, secretIds, logGroups);
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
            if (AwsCalls.isError(e, "RepositoryNotFoundException")) {
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
            String code = AwsCalls.errorCode(e);
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
