package dev.deckhand.local.secrets;

import static dev.deckhand.local.aws.RequestFields.optionalText;
import static dev.deckhand.local.aws.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.aws.JsonProtocolService;
import dev.deckhand.local.aws.Paging;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets Manager: CreateSecret, GetSecretValue, PutSecretValue, DescribeSecret and ListSecrets over the AWS
 * JSON protocol ({@code X-Amz-Target: secretsmanager.*}). Only the AWSCURRENT version of a secret
 * is kept. Secret values are never logged nor put in error messages.
 */
public final class SecretStore implements JsonProtocolService {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // API_ListSecrets: a NextToken Secrets Manager did not issue is InvalidNextTokenException.
    private static final Paging LIST_SECRETS = new Paging("ListSecrets", "NextToken", "MaxResults", 100,
            "InvalidNextTokenException");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private record Secret(String name, String arn, String versionId, JsonNode value, Instant created) {
    }

    private final String region;
    private final String account;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Secret> byName = new ConcurrentHashMap<>();

    public SecretStore(String region, String account) {
        this.region = region;
        this.account = account;
    }

    @Override
    public String targetPrefix() {
        return "secretsmanager";
    }

    /** Creates or replaces a secret string from Java (fixtures, the demo). */
    public void put(String name, String secretString) {
        Secret existing = byName.get(name);
        String arn = existing != null ? existing.arn() : newArn(name);
        byName.put(name, new Secret(name, arn, UUID.randomUUID().toString(),
                NODES.objectNode().put("SecretString", secretString), Instant.now()));
    }

    /** The full ARN (with Secrets Manager's random suffix) of the secret named or ARN'd {@code secretId}. */
    public java.util.Optional<String> arnOf(String secretId) {
        Secret secret = byName.get(secretId);
        if (secret == null) {
            secret = byName.values().stream().filter(s -> s.arn().equals(secretId)).findFirst().orElse(null);
        }
        return java.util.Optional.ofNullable(secret).map(Secret::arn);
    }

    @Override
    public JsonNode handle(String operation, JsonNode request) {
        return switch (operation) {
            case "CreateSecret" -> createSecret(request);
            case "GetSecretValue" -> getSecretValue(request);
            case "PutSecretValue" -> putSecretValue(request);
            case "DescribeSecret" -> {
                Secret secret = find(requiredText(request, "SecretId"));
                yield describe(secret, "VersionIdsToStages");
            }
            case "ListSecrets" -> listSecrets(request);
            default -> throw AwsErrorException.unsupportedOperation("secretsmanager." + operation);
        };
    }

    private synchronized JsonNode createSecret(JsonNode request) {
        String name = requiredText(request, "Name");
        if (byName.containsKey(name)) {
            throw AwsErrorException.clientError("ResourceExistsException",
                    "The operation failed because the secret " + name + " already exists.");
        }
        Secret secret = new Secret(name, newArn(name), versionId(request), value(request), Instant.now());
        byName.put(name, secret);
        return identity(secret);
    }

    private JsonNode getSecretValue(JsonNode request) {
        Secret secret = find(requiredText(request, "SecretId"));
        String versionId = optionalText(request, "VersionId", secret.versionId());
        String stage = optionalText(request, "VersionStage", "AWSCURRENT");
        if (!versionId.equals(secret.versionId()) || !stage.equals("AWSCURRENT")) {
            throw AwsErrorException.clientError("ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret value for VersionId: " + versionId
                            + ", VersionStage: " + stage);
        }
        ObjectNode answer = identity(secret);
        answer.setAll((ObjectNode) secret.value());
        answer.putArray("VersionStages").add("AWSCURRENT");
        answer.put("CreatedDate", seconds(secret.created()));
        return answer;
    }

    private synchronized JsonNode putSecretValue(JsonNode request) {
        Secret existing = find(requiredText(request, "SecretId"));
        Secret updated = new Secret(existing.name(), existing.arn(), versionId(request), value(request), Instant.now());
        byName.put(existing.name(), updated);
        ObjectNode answer = identity(updated);
        answer.putArray("VersionStages").add("AWSCURRENT");
        return answer;
    }

    /**
     * ListSecrets: metadata of every secret, never a value, sorted by name; MaxResults 1–100,
     * NextToken, and Filters on {@code name} (a prefix match, as "Secrets Manager User Guide,
     * Find secrets" describes; a leading {@code !} negates it).
     */
    private JsonNode listSecrets(JsonNode request) {
        int size = Paging.size(Paging.requestedSize(request, "MaxResults"), 100, 1, 100,
                message -> AwsErrorException.clientError("InvalidParameterException", message));
        List<String> prefixes = new ArrayList<>();
        for (JsonNode filter : request.path("Filters")) {
            String key = filter.path("Key").asText();
            if (!key.equals("name")) {
                throw AwsErrorException.clientError("InvalidParameterException",
                        "Invalid filter key: " + key + " (the local cloud filters on name)");
            }
            filter.path("Values").forEach(value -> prefixes.add(value.asText()));
        }
        List<Secret> matching = byName.values().stream()
                .filter(secret -> prefixes.stream().allMatch(p -> p.startsWith("!")
                        ? !secret.name().startsWith(p.substring(1)) : secret.name().startsWith(p)))
                .sorted(Comparator.comparing(Secret::name)).toList();
        Paging.Page<Secret> page = LIST_SECRETS.page(matching, optionalText(request, "NextToken", null), size);
        ObjectNode answer = NODES.objectNode();
        ArrayNode list = answer.putArray("SecretList");
        page.items().forEach(secret -> list.add(describe(secret, "SecretVersionsToStages")));
        page.nextToken().ifPresent(token -> answer.put("NextToken", token));
        return answer;
    }

    /**
     * DescribeSecret's and ListSecrets' metadata: no value; the versions' stages are
     * {@code VersionIdsToStages} in the one, {@code SecretVersionsToStages} in the other.
     */
    private static ObjectNode describe(Secret secret, String stagesField) {
        ObjectNode described = NODES.objectNode().put("ARN", secret.arn()).put("Name", secret.name())
                .put("CreatedDate", seconds(secret.created())).put("LastChangedDate", seconds(secret.created()));
        described.putObject(stagesField).putArray(secret.versionId()).add("AWSCURRENT");
        return described;
    }

    /** SecretId is a name or an ARN (GetSecretValue, SecretId). */
    private Secret find(String secretId) {
        Secret secret = byName.get(secretId);
        if (secret == null) {
            secret = byName.values().stream().filter(s -> s.arn().equals(secretId)).findFirst().orElse(null);
        }
        if (secret == null) {
            throw AwsErrorException.clientError("ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret.");
        }
        return secret;
    }

    private static JsonNode value(JsonNode request) {
        ObjectNode value = NODES.objectNode();
        if (request.hasNonNull("SecretString")) {
            value.put("SecretString", request.get("SecretString").asText());
        } else if (request.hasNonNull("SecretBinary")) {
            value.put("SecretBinary", request.get("SecretBinary").asText());
        } else {
            throw AwsErrorException.clientError("InvalidRequestException",
                    "You must provide either SecretString or SecretBinary.");
        }
        return value;
    }

    private static String versionId(JsonNode request) {
        return optionalText(request, "ClientRequestToken", UUID.randomUUID().toString());
    }

    /** Secret ARNs end with a dash and six random characters (Secrets Manager user guide, "Secret ARN"). */
    private String newArn(String name) {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            suffix.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-" + suffix;
    }

    private static ObjectNode identity(Secret secret) {
        return NODES.objectNode().put("ARN", secret.arn()).put("Name", secret.name()).put("VersionId", secret.versionId());
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }
}
