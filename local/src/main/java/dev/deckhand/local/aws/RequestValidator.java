package dev.deckhand.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.traits.RequiredTrait;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Validates an AWS JSON request the way the service's front door does, before the local service
 * sees it. What the SDK's own model knows is read from it: the members of {@code <Operation>Request}
 * and of every nested structure ({@link SdkField}), their JSON types, the enum value sets (a
 * member whose enum's {@code fromValue} answers {@code UNKNOWN_TO_SDK_VERSION}) and, where the
 * model carries it, {@link RequiredTrait}. What the SDK model does not carry — required members
 * where it lacks the trait, lengths, at-most-N items, numeric ranges, patterns — comes from the
 * service's {@link Limit} table, each entry citing the API reference.
 *
 * <p>Violations are answered as AWS's request validation answers them: one error whose message is
 * {@code N validation error(s) detected: Value 'v' at 'member.path' failed to satisfy constraint: …},
 * with the error code the service uses for it; a member of the wrong JSON type is a
 * {@code SerializationException}, as the AWS JSON protocol answers it.
 */
public final class RequestValidator {

    /**
     * One rule of a service table, read from the API reference page {@code source}. {@code path} is
     * the member path as the JSON request spells it, {@code *} standing for every element of a list
     * (e.g. {@code Entries.*.Detail}).
     */
    public record Limit(String operation, String path, Kind kind, long min, long max, Pattern pattern, String source) {

        /** Lengths count characters, except {@link #UTF8_BYTES} ("expressed as bytes in UTF-8 encoding"). */
        public enum Kind { REQUIRED, LENGTH, UTF8_BYTES, ITEMS, RANGE, PATTERN }

        /** "Required: Yes": this SDK release's models carry no RequiredTrait for these services, so it is restated. */
        public static Limit required(String operation, String path, String source) {
            return new Limit(operation, path, Kind.REQUIRED, 0, 0, null, source);
        }

        public static Limit length(String operation, String path, long min, long max, String source) {
            return new Limit(operation, path, Kind.LENGTH, min, max, null, source);
        }

        public static Limit utf8Bytes(String operation, String path, long max, String source) {
            return new Limit(operation, path, Kind.UTF8_BYTES, 0, max, null, source);
        }

        public static Limit items(String operation, String path, long min, long max, String source) {
            return new Limit(operation, path, Kind.ITEMS, min, max, null, source);
        }

        public static Limit range(String operation, String path, long min, long max, String source) {
            return new Limit(operation, path, Kind.RANGE, min, max, null, source);
        }

        public static Limit pattern(String operation, String path, String regex, String source) {
            return new Limit(operation, path, Kind.PATTERN, 0, 0, Pattern.compile(regex), source);
        }

        List<String> steps() {
            return List.of(path.split("\\."));
        }
    }

    private final String modelPackage;
    private final String errorCode;
    private final Map<String, List<Limit>> limits;
    private final Map<String, Optional<SdkPojo>> requests = new ConcurrentHashMap<>();

    /**
     * @param modelPackage the SDK's model package, e.g. {@code software.amazon.awssdk.services.ecs.model}
     * @param errorCode the error code the service answers for an invalid request (e.g. ECS's
     *     {@code InvalidParameterException}, Step Functions' {@code ValidationException})
     * @param table the service's constraints that the SDK model lacks
     */
    public RequestValidator(String modelPackage, String errorCode, List<Limit> table) {
        this.modelPackage = modelPackage;
        this.errorCode = errorCode;
        this.limits = table.stream().collect(Collectors.groupingBy(Limit::operation));
    }

    /**
     * Checks one request.
     *
     * @throws AwsErrorException the service's validation error, or {@code SerializationException}
     */
    public void validate(String operation, JsonNode request) {
        List<String> problems = new ArrayList<>();
        requests.computeIfAbsent(operation, this::modelOf)
                .ifPresent(model -> checkStructure(model, request, "", problems));
        for (Limit limit : limits.getOrDefault(operation, List.of())) {
            check(limit, limit.steps(), 0, request, "", problems);
        }
        if (!problems.isEmpty()) {
            List<String> reported = problems.stream().distinct().toList();
            throw AwsErrorException.clientError(errorCode, reported.size() + " validation error"
                    + (reported.size() == 1 ? "" : "s") + " detected: " + String.join("; ", reported));
        }
    }

    /**
     * The members of {@code request} (dotted paths, nested ones included) that the SDK's model of the
     * operation does not define: a request built by hand (Deckhand's light clients) with a misspelled or
     * invented member, which the generated clients could not send. Not refused: the API references do
     * not say that a service refuses an unknown member, so the local cloud reports it instead
     * ({@code AwsGateway#unmodelledMembers}).
     */
    public List<String> unmodelledMembers(String operation, JsonNode request) {
        List<String> unknown = new ArrayList<>();
        requests.computeIfAbsent(operation, this::modelOf)
                .ifPresent(model -> collectUnmodelled(model, request, "", unknown));
        return unknown;
    }

    private static void collectUnmodelled(SdkPojo model, JsonNode object, String prefix, List<String> unknown) {
        Map<String, SdkField<?>> fields = model.sdkFields().stream()
                .collect(Collectors.toMap(SdkField::locationName, field -> field, (a, b) -> a));
        object.fieldNames().forEachRemaining(name -> {
            SdkField<?> field = fields.get(name);
            if (field == null) {
                unknown.add(prefix + name);
            } else {
                collectUnmodelled(field, object.get(name), prefix + name, unknown);
            }
        });
    }

    private static void collectUnmodelled(SdkField<?> field, JsonNode value, String path, List<String> unknown) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.SDK_POJO && value.isObject()) {
            collectUnmodelled(built(field.constructor().get()), value, path + ".", unknown);
        } else if (type == MarshallingType.LIST && value.isArray()) {
            SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
            value.forEach(element -> collectUnmodelled(member, element, path + ".*", unknown));
        } else if (type == MarshallingType.MAP && value.isObject()) {
            SdkField<?> member = field.getTrait(MapTrait.class).valueFieldInfo();
            value.forEach(entry -> collectUnmodelled(member, entry, path + ".*", unknown));
        }
    }

    private Optional<SdkPojo> modelOf(String operation) {
        try {
            Class<?> type = Class.forName(modelPackage + "." + operation + "Request");
            // The builders are package-private classes: build through their public SdkBuilder interface.
            SdkBuilder<?, ?> builder = (SdkBuilder<?, ?>) type.getMethod("builder").invoke(null);
            return Optional.of((SdkPojo) builder.build());
        } catch (ReflectiveOperationException | ClassCastException e) {
            // An operation the SDK does not model: the local service answers UnknownOperationException.
            return Optional.empty();
        }
    }

    private static void checkStructure(SdkPojo model, JsonNode object, String prefix, List<String> problems) {
        for (SdkField<?> field : model.sdkFields()) {
            String name = field.locationName();
            String path = prefix + lowerFirst(name);
            JsonNode value = object.get(name);
            if (value == null || value.isNull()) {
                if (field.containsTrait(RequiredTrait.class)) {
                    problems.add("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
                }
                continue;
            }
            checkValue(field, value, path, problems, enumOf(model.getClass(), field));
        }
    }

    private static void checkValue(SdkField<?> field, JsonNode value, String path, List<String> problems,
            Optional<Class<?>> enumType) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.STRING) {
            if (!value.isTextual()) {
                throw serialization(path, "a string");
            }
            enumType.ifPresent(e -> checkEnum(e, value.textValue(), path, problems));
        } else if (type == MarshallingType.INTEGER || type == MarshallingType.LONG || type == MarshallingType.SHORT) {
            if (!value.isIntegralNumber()) {
                throw serialization(path, "an integer");
            }
        } else if (type == MarshallingType.BOOLEAN) {
            if (!value.isBoolean()) {
                throw serialization(path, "a boolean");
            }
        } else if (type == MarshallingType.LIST) {
            if (!value.isArray()) {
                throw serialization(path, "a list");
            }
            SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
            for (int i = 0; i < value.size(); i++) {
                if (!value.get(i).isNull()) {
                    // A list of enums: each element is checked against the list's element enum.
                    checkValue(member, value.get(i), path + "." + (i + 1) + ".member", problems, enumType);
                }
            }
        } else if (type == MarshallingType.MAP) {
            if (!value.isObject()) {
                throw serialization(path, "a map");
            }
            SdkField<?> member = field.getTrait(MapTrait.class).valueFieldInfo();
            value.fields().forEachRemaining(entry -> {
                if (!entry.getValue().isNull()) {
                    checkValue(member, entry.getValue(), path + "." + entry.getKey(), problems, Optional.empty());
                }
            });
        } else if (type == MarshallingType.SDK_POJO) {
            if (!value.isObject()) {
                throw serialization(path, "a structure");
            }
            checkStructure(built(field.constructor().get()), value, path + ".", problems);
        }
    }

    /** A structure's builder built, so its generated class (with the members' getters) is at hand. */
    private static SdkPojo built(SdkPojo builder) {
        return builder instanceof SdkBuilder<?, ?> buildable && buildable.build() instanceof SdkPojo pojo ? pojo : builder;
    }

    /**
     * The member's enum (or its elements' enum, for a list of enums): the SDK generates
     * {@code member()} returning the enum (a {@code List<Enum>}) and {@code memberAsString()}
     * ({@code memberAsStrings()}) beside it for every enum-typed member.
     */
    private static Optional<Class<?>> enumOf(Class<?> owner, SdkField<?> field) {
        String getter = lowerFirst(field.memberName());
        try {
            if (hasMethod(owner, getter + "AsString")) {
                Class<?> type = owner.getMethod(getter).getReturnType();
                return type.isEnum() ? Optional.of(type) : Optional.empty();
            }
            if (hasMethod(owner, getter + "AsStrings")
                    && owner.getMethod(getter).getGenericReturnType() instanceof ParameterizedType list
                    && list.getActualTypeArguments()[0] instanceof Class<?> element && element.isEnum()) {
                return Optional.of(element);
            }
        } catch (NoSuchMethodException e) {
            // A getter named otherwise: no enum to check.
        }
        return Optional.empty();
    }

    private static boolean hasMethod(Class<?> owner, String name) {
        return Arrays.stream(owner.getMethods()).anyMatch(method -> method.getName().equals(name)
                && method.getParameterCount() == 0);
    }

    private static void checkEnum(Class<?> type, String value, String path, List<String> problems) {
        try {
            Method fromValue = type.getMethod("fromValue", String.class);
            Object known = fromValue.invoke(null, value);
            if (known == null || ((Enum<?>) known).name().equals("UNKNOWN_TO_SDK_VERSION")) {
                String allowed = Arrays.stream(type.getEnumConstants())
                        .filter(v -> !((Enum<?>) v).name().equals("UNKNOWN_TO_SDK_VERSION"))
                        .map(Object::toString).collect(Collectors.joining(", "));
                problems.add("Value '" + value + "' at '" + path
                        + "' failed to satisfy constraint: Member must satisfy enum value set: [" + allowed + "]");
            }
        } catch (ReflectiveOperationException e) {
            // Not an SDK enum after all: nothing to check.
        }
    }

    private static void check(Limit limit, List<String> steps, int depth, JsonNode node, String at,
            List<String> problems) {
        if (depth == steps.size()) {
            checkLeaf(limit, node, at, problems);
            return;
        }
        String step = steps.get(depth);
        if (step.equals("*")) {
            for (int i = 0; i < node.size(); i++) {
                check(limit, steps, depth + 1, node.get(i), at + "." + (i + 1) + ".member", problems);
            }
            return;
        }
        JsonNode next = node.get(step);
        String path = (at.isEmpty() ? "" : at + ".") + lowerFirst(step);
        if (next != null && !next.isNull()) {
            check(limit, steps, depth + 1, next, path, problems);
        } else if (limit.kind() == Limit.Kind.REQUIRED && depth == steps.size() - 1) {
            problems.add("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
        }
    }

    private static void checkLeaf(Limit limit, JsonNode value, String at, List<String> problems) {
        // AWS quotes short values and leaves long ones (and whole documents) out of the message.
        String shown = value.isTextual() && value.textValue().length() <= 256 ? "Value '" + value.textValue() + "' at '"
                : value.isNumber() ? "Value '" + value.asText() + "' at '" : "Value at '";
        String failed = shown + at + "' failed to satisfy constraint: Member must ";
        long size = switch (limit.kind()) {
            case LENGTH -> value.isTextual() ? value.textValue().codePointCount(0, value.textValue().length()) : -1;
            case UTF8_BYTES -> value.isTextual() ? value.textValue().getBytes(StandardCharsets.UTF_8).length : -1;
            case ITEMS -> value.isArray() ? value.size() : -1;
            case RANGE -> value.isNumber() ? value.asLong() : Long.MIN_VALUE;
            case PATTERN, REQUIRED -> 0;
        };
        switch (limit.kind()) {
            case LENGTH, UTF8_BYTES, ITEMS -> {
                // Lists too: AWS words an item count as "length".
                if (size >= 0 && size < limit.min()) {
                    problems.add(failed + "have length greater than or equal to " + limit.min());
                } else if (size > limit.max()) {
                    problems.add(failed + "have length less than or equal to " + limit.max());
                }
            }
            case RANGE -> {
                if (size != Long.MIN_VALUE && size < limit.min()) {
                    problems.add(failed + "have value greater than or equal to " + limit.min());
                } else if (size > limit.max()) {
                    problems.add(failed + "have value less than or equal to " + limit.max());
                }
            }
            case REQUIRED -> {
                // Present: checked where it was missing.
            }
            case PATTERN -> {
                if (value.isTextual() && !limit.pattern().matcher(value.textValue()).matches()) {
                    problems.add(failed + "satisfy regular expression pattern: " + limit.pattern().pattern());
                }
            }
        }
    }

    private static AwsErrorException serialization(String path, String expected) {
        return AwsErrorException.clientError("SerializationException", "Expected " + expected + " at '" + path + "'");
    }

    private static String lowerFirst(String member) {
        return member.isEmpty() ? member : Character.toLowerCase(member.charAt(0)) + member.substring(1);
    }
}
