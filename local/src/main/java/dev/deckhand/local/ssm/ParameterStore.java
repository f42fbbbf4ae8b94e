package dev.deckhand.local.ssm;

import static dev.deckhand.local.aws.RequestFields.optionalText;
import static dev.deckhand.local.aws.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.aws.JsonProtocolService;
import dev.deckhand.local.aws.Paging;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * SSM Parameter Store: PutParameter, GetParameter, GetParameters, GetParametersByPath,
 * DescribeParameters and DeleteParameter over the AWS JSON protocol ({@code X-Amz-Target: AmazonSSM.*}), following the
 * Systems Manager API reference. Values are kept as given: a SecureString is not encrypted.
 */
public final class ParameterStore implements JsonProtocolService {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> TYPES = List.of("String", "StringList", "SecureString");
    // A token SSM did not issue is InvalidNextToken, "The specified token isn't valid."
    // (API_GetParametersByPath, API_DescribeParameters: Errors).
    private static final Paging GET_PARAMETERS_BY_PATH = new Paging("GetParametersByPath", "NextToken", "MaxResults",
            10, "InvalidNextToken");
    private static final Paging DESCRIBE_PARAMETERS = new Paging("DescribeParameters", "NextToken", "MaxResults",
            10, "InvalidNextToken");

    /** One stored parameter, at its latest version. */
    public record Parameter(String name, String type, String value, long version, Instant lastModified) {
    }

    private final String region;
    private final String account;
    private final Map<String, Parameter> parameters = new ConcurrentSkipListMap<>();

    public ParameterStore(String region, String account) {
        this.region = region;
        this.account = account;
    }

    @Override
    public String targetPrefix() {
        return "AmazonSSM";
    }

    /** Stores or overwrites a parameter from Java, as PutParameter with Overwrite would. */
    public Parameter put(String name, String type, String value) {
        return store(name, type, value, true);
    }

    /** The parameter's latest version, if it exists. */
    public Optional<Parameter> get(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    @Override
    public JsonNode handle(String operation, JsonNode request) {
        return switch (operation) {
            case "PutParameter" -> putParameter(request);
            case "GetParameter" -> NODES.objectNode().set("Parameter", render(find(requiredText(request, "Name"))));
            case "GetParameters" -> getParameters(request);
            case "GetParametersByPath" -> getParametersByPath(request);
            case "DescribeParameters" -> describeParameters(request);
            case "DeleteParameter" -> {
                String name = requiredText(request, "Name");
                if (parameters.remove(name) == null) {
                    throw notFound(name);
                }
                yield NODES.objectNode();
            }
            default -> throw AwsErrorException.unsupportedOperation("AmazonSSM." + operation);
        };
    }

    private JsonNode putParameter(JsonNode request) {
        String name = requiredText(request, "Name");
        String value = requiredText(request, "Value");
        boolean overwrite = request.path("Overwrite").asBoolean(false);
        String type = optionalText(request, "Type", null);
        Parameter existing = parameters.get(name);
        if (type == null) {
            // Type is required for a new parameter; an overwrite keeps the existing type.
            if (existing == null) {
                throw AwsErrorException.clientError("ValidationException",
                        "A parameter type is required when you create a parameter.");
            }
            type = existing.type();
        }
        Parameter stored = store(name, type, value, overwrite);
        return NODES.objectNode().put("Version", stored.version()).put("Tier", "Standard");
    }

    private synchronized Parameter store(String name, String type, String value, boolean overwrite) {
        if (!TYPES.contains(type)) {
            throw AwsErrorException.clientError("ValidationException", "1 validation error detected: Value '" + type
                    + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set: " + TYPES);
        }
        if (name.length() > 2048 || (name.contains("/") && !name.startsWith("/"))) {
            // "Parameter names ... must be fully qualified" (PutParameter, Name).
            throw AwsErrorException.clientError("ValidationException",
                    "Parameter name must be a fully qualified name: " + name);
        }
        Parameter existing = parameters.get(name);
        if (existing != null && !overwrite) {
            throw AwsErrorException.clientError("ParameterAlreadyExists",
                    "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
        }
        Parameter stored = new Parameter(name, type, value, existing == null ? 1 : existing.version() + 1, Instant.now());
        parameters.put(name, stored);
        return stored;
    }

    private JsonNode getParameters(JsonNode request) {
        ArrayNode found = NODES.arrayNode();
        ArrayNode invalid = NODES.arrayNode();
        for (JsonNode name : request.path("Names")) {
            Parameter parameter = parameters.get(name.asText());
            if (parameter == null) {
                invalid.add(name.asText());
            } else {
                found.add(render(parameter));
            }
        }
        ObjectNode answer = NODES.objectNode();
        answer.set("Parameters", found);
        answer.set("InvalidParameters", invalid);
        return answer;
    }

    private JsonNode getParametersByPath(JsonNode request) {
        String path = requiredText(request, "Path");
        if (!path.startsWith("/")) {
            throw AwsErrorException.clientError("ValidationException",
                    "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\".");
        }
        boolean recursive = request.path("Recursive").asBoolean(false);
        int maxResults = request.path("MaxResults").asInt(10);
        if (maxResults < 1 || maxResults > 10) {
            throw AwsErrorException.clientError("ValidationException",
                    "1 validation error detected: Value '" + maxResults
                            + "' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10");
        }
        String prefix = path.endsWith("/") ? path : path + "/";
        List<Parameter> matching = parameters.values().stream()
                .filter(p -> p.name().startsWith(prefix))
                .filter(p -> recursive || p.name().indexOf('/', prefix.length()) < 0)
                .toList();
        Paging.Page<Parameter> page = GET_PARAMETERS_BY_PATH.page(matching, optionalText(request, "NextToken", null),
                maxResults);
        ArrayNode items = NODES.arrayNode();
        page.items().forEach(p -> items.add(render(p)));
        ObjectNode answer = NODES.objectNode();
        answer.set("Parameters", items);
        page.nextToken().ifPresent(token -> answer.put("NextToken", token));
        return answer;
    }

    /**
     * DescribeParameters: every parameter's metadata, never its value, sorted by name; MaxResults
     * 1–50 (the API reference documents no default: 10 here, as GetParametersByPath's), NextToken,
     * and ParameterFilters on {@code Name} (Equals, BeginsWith), {@code Path} (OneLevel, Recursive)
     * and {@code Type} (Equals). Another filter key is InvalidFilterKey.
     */
    private JsonNode describeParameters(JsonNode request) {
        int size = Paging.size(Paging.requestedSize(request, "MaxResults"), 10, 1, 50,
                message -> AwsErrorException.clientError("ValidationException", "1 validation error detected: " + message));
        List<Predicate<Parameter>> filters = new ArrayList<>();
        for (JsonNode filter : request.path("ParameterFilters")) {
            filters.add(parameterFilter(filter));
        }
        List<Parameter> matching = parameters.values().stream()
                .filter(p -> filters.stream().allMatch(f -> f.test(p))).toList();
        Paging.Page<Parameter> page = DESCRIBE_PARAMETERS.page(matching, optionalText(request, "NextToken", null), size);
        ArrayNode items = NODES.arrayNode();
        for (Parameter parameter : page.items()) {
            ObjectNode metadata = render(parameter);
            metadata.remove("Value");
            metadata.put("Tier", "Standard");
            metadata.putArray("Policies");
            items.add(metadata);
        }
        ObjectNode answer = NODES.objectNode();
        answer.set("Parameters", items);
        page.nextToken().ifPresent(token -> answer.put("NextToken", token));
        return answer;
    }

    private static Predicate<Parameter> parameterFilter(JsonNode filter) {
        String key = filter.path("Key").asText();
        List<String> values = new ArrayList<>();
        filter.path("Values").forEach(value -> values.add(value.asText()));
        String option = optionalText(filter, "Option", key.equals("Path") ? "OneLevel" : "Equals");
        return switch (key) {
            case "Name" -> p -> values.stream().anyMatch(v -> option.equals("BeginsWith") ? p.name().startsWith(v)
                    : p.name().equals(v));
            case "Type" -> p -> values.contains(p.type());
            case "Path" -> p -> values.stream().anyMatch(v -> {
                String prefix = v.endsWith("/") ? v : v + "/";
                return p.name().startsWith(prefix)
                        && (option.equals("Recursive") || p.name().indexOf('/', prefix.length()) < 0);
            });
            default -> throw AwsErrorException.clientError("InvalidFilterKey",
                    "The specified key isn't valid: " + key + " (the local cloud filters on Name, Path and Type)");
        };
    }

    private Parameter find(String name) {
        Parameter parameter = parameters.get(name);
        if (parameter == null) {
            throw notFound(name);
        }
        return parameter;
    }

    private static AwsErrorException notFound(String name) {
        return AwsErrorException.clientError("ParameterNotFound", "Parameter " + name + " not found.");
    }

    private ObjectNode render(Parameter parameter) {
        String arnName = parameter.name().startsWith("/") ? parameter.name().substring(1) : parameter.name();
        return NODES.objectNode()
                .put("Name", parameter.name())
                .put("Type", parameter.type())
                .put("Value", parameter.value())
                .put("Version", parameter.version())
                .put("LastModifiedDate", parameter.lastModified().toEpochMilli() / 1000.0)
                .put("ARN", "arn:aws:ssm:" + region + ":" + account + ":parameter/" + arnName)
                .put("DataType", "text");
    }
}
