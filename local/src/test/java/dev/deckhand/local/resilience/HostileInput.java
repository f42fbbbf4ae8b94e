package dev.deckhand.local.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One malformed or hostile input, as the bytes a handler receives, with what was done to the
 * sample it came from (jqwik shows it when a property fails). The arbitraries mutate the samples
 * in {@code events/}: removed, retyped and extra fields, odd and huge tags and digests, unicode,
 * injection strings, nulls, deep nesting, near-miss {@code source}/{@code detail-type}/
 * {@code action-type}/{@code result}, and broken bytes (truncated, invalid UTF-8, trailing garbage).
 */
record HostileInput(String description, byte[] bytes) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String HEX = "0123456789abcdef";
    /** Stands in for a JSON text the tree cannot hold (Jackson refuses to write it): replaced after writing. */
    private static final Pattern RAW = Pattern.compile("\"@@(DEEP|SURROGATE)(\\d*)([ao]?)@@\"");

    String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        String text = text();
        return description + " → " + (text.length() > 300 ? text.substring(0, 300) + "… (" + bytes.length + " bytes)" : text);
    }

    /** A mutation of a JSON tree, described for the report. */
    record Mutation(String description, UnaryOperator<JsonNode> apply) {
    }

    /** Mutated ECR events of events/ecr/ and promotion inputs of events/promote/. */
    static Arbitrary<HostileInput> deployerInputs() {
        List<JsonNode> samples = new ArrayList<>(samples("events/ecr"));
        samples.addAll(samples("events/promote"));
        return mutated(Arbitraries.of(samples), deployerMutations());
    }

    /** Mutated bodies of {@code POST /promotions}, from the body of events/api/post-promotion.json. */
    static Arbitrary<HostileInput> promotionBodies() {
        JsonNode sample;
        try {
            sample = DeckhandJson.MAPPER.readTree(DeckhandJson.MAPPER.readTree(Fixtures.read("events/api/post-promotion.json"))
                    .path("body").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode withDigest = ((ObjectNode) sample.deepCopy()).put("digest", "sha256:" + "0".repeat(64));
        Arbitrary<Mutation> mutation = Arbitraries.oneOf(removeField(), replaceValue(), addField(), wholeInput(),
                Combinators.combine(Arbitraries.of("service", "from", "to", "digest"), Arbitraries.oneOf(nearMissNames(),
                        hostileStrings().map(NODES::textNode), hostileValues())).as((field, value) -> new Mutation(
                        field + " = " + brief(value), tree -> set(tree, field, value))));
        return mutated(Arbitraries.of(sample, withDigest), mutation);
    }

    private static Arbitrary<HostileInput> mutated(Arbitrary<JsonNode> samples, Arbitrary<Mutation> mutation) {
        Arbitrary<List<Mutation>> mutations = mutation.list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<RawMutation> raw = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(7, Arbitraries.just(new RawMutation("", bytes -> bytes))),
                net.jqwik.api.Tuple.of(3, rawMutations()));
        return Combinators.combine(samples, mutations, raw).as((sample, applied, rawMutation) -> {
            JsonNode tree = sample.deepCopy();
            List<String> done = new ArrayList<>();
            for (Mutation each : applied) {
                tree = each.apply().apply(tree);
                done.add(each.description());
            }
            byte[] bytes = rawMutation.apply().apply(write(tree));
            if (!rawMutation.description().isEmpty()) {
                done.add(rawMutation.description());
            }
            return new HostileInput(String.join("; ", done), bytes);
        });
    }

    private static Arbitrary<Mutation> deployerMutations() {
        return Arbitraries.oneOf(removeField(), replaceValue(), addField(), wholeInput(), envelope(), tag(), digest());
    }

    // ---- tree mutations -------------------------------------------------------------------

    private static Arbitrary<Mutation> removeField() {
        return Arbitraries.integers().between(0, 999).map(pick -> new Mutation("remove field #" + pick, tree -> {
            List<String> paths = fieldPaths(tree);
            if (!paths.isEmpty()) {
                remove(tree, paths.get(pick % paths.size()));
            }
            return tree;
        }));
    }

    private static Arbitrary<Mutation> replaceValue() {
        return Combinators.combine(Arbitraries.integers().between(0, 999), hostileValues())
                .as((pick, value) -> new Mutation("field #" + pick + " = " + brief(value), tree -> {
                    List<String> paths = fieldPaths(tree);
                    return paths.isEmpty() ? tree : set(tree, paths.get(pick % paths.size()), value);
                }));
    }

    private static Arbitrary<Mutation> addField() {
        Arbitrary<String> names = Arbitraries.oneOf(hostileStrings(), Arbitraries.of("__proto__", "constructor",
                "promotion", "detail", "image-digest", "image-tag", "target", "$where", "Detail", "SOURCE"));
        return Combinators.combine(Arbitraries.integers().between(0, 999), names, hostileValues())
                .as((pick, name, value) -> new Mutation("add " + brief(NODES.textNode(name)) + " = " + brief(value), tree -> {
                    List<ObjectNode> objects = new ArrayList<>();
                    collectObjects(tree, objects);
                    if (!objects.isEmpty()) {
                        // A copy: the generated values are shared between tries, and setting the very
                        // instance would let a later mutation make a tree that contains itself.
                        objects.get(pick % objects.size()).set(name, value.deepCopy());
                    }
                    return tree;
                }));
    }

    private static Arbitrary<Mutation> wholeInput() {
        return Arbitraries.oneOf(hostileValues(), Arbitraries.of(NODES.objectNode(),
                NODES.objectNode().set("promotion", NODES.nullNode()),
                NODES.objectNode().set("promotion", NODES.arrayNode()),
                NODES.objectNode().set("detail", NODES.textNode("{}"))))
                .map(value -> new Mutation("whole input = " + brief(value), tree -> value.deepCopy()));
    }

    private static Arbitrary<Mutation> envelope() {
        Arbitrary<String> field = Arbitraries.of("source", "detail-type", "detail.action-type", "detail.result");
        Arbitrary<JsonNode> value = Arbitraries.oneOf(
                Arbitraries.of("aws.ecr", "aws.ECR", "AWS.ECR", "aws.ecr ", " aws.ecr", "aws.ec2", "aws.ecr\u0000", "aws.еcr",
                        "ECR Image Action", "ECR Image Action ", "ecr image action", "ECR Image Scan", "ECR Image Action\n",
                        "PUSH", "push", "Push", "DELETE", "PUSH ", "PUSH\nDELETE", "SUCCESS", "FAILURE", "success",
                        "SUCCESS\u0000", "").map(NODES::textNode),
                hostileStrings().map(NODES::textNode), hostileValues());
        return Combinators.combine(field, value).as((name, node) -> new Mutation(name + " = " + brief(node),
                tree -> set(tree, name, node)));
    }

    private static Arbitrary<Mutation> tag() {
        Arbitrary<JsonNode> tags = Arbitraries.oneOf(
                Arbitraries.of("", ".hidden", "-dash", "_under", "a".repeat(128), "a".repeat(129), "main-" + "9".repeat(123),
                        "main-1 ", " main-1", "main 1", "main-1\n", "ｍａｉｎ-1", "main-1🚀", "feature-ç", "main-\u200b1",
                        "release-1.0.0/../..", "*", "feature-*", "regex:.*", "main-${jndi:ldap://127.0.0.1/a}",
                        "main-1\u202e", "v1.2.3", "v1.2.3\n", "latest", "main-1\u0000")
                        .map(NODES::textNode),
                Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(140).map(NODES::textNode),
                hostileValues());
        return tags.map(value -> new Mutation("tag = " + brief(value), tree -> {
            set(tree, "detail.image-tag", value);
            return tree.has("promotion") ? set(tree, "promotion.tag", value) : tree;
        }));
    }

    private static Arbitrary<Mutation> digest() {
        String hex = HEX.repeat(4);
        Arbitrary<JsonNode> digests = Arbitraries.oneOf(
                Arbitraries.of("sha256:" + hex.substring(1), "sha256:" + hex + "0", "sha256:" + hex.toUpperCase(),
                        "sha512:" + hex + hex, "SHA256:" + hex, "sha256:" + "g".repeat(64), "sha256:" + hex + "\n",
                        " sha256:" + hex, "sha256:", "sha256", "", "sha256:" + hex + "@sha256:" + hex,
                        "sha256:" + hex.substring(0, 63) + "é").map(NODES::textNode),
                hostileValues());
        return digests.map(value -> new Mutation("digest = " + brief(value), tree -> {
            set(tree, "detail.image-digest", value);
            if (tree.has("promotion") && value.isTextual()) {
                String image = tree.path("promotion").path("image").asText();
                int at = image.indexOf('@');
                set(tree, "promotion.image", NODES.textNode((at < 0 ? image : image.substring(0, at)) + "@" + value.asText()));
            }
            return tree;
        }));
    }

    private static Arbitrary<JsonNode> nearMissNames() {
        return Arbitraries.of("storefront", "Storefront", "storefront ", "dev", "staging", "prod", "DEV", "checkout", "",
                "a".repeat(41), "store_front", "-dev", "staging\n", "prod\u0000", "ｓｔａｇｉｎｇ").map(NODES::textNode);
    }

    // ---- hostile values --------------------------------------------------------------------

    static Arbitrary<JsonNode> hostileValues() {
        return Arbitraries.oneOf(
                hostileStrings().map(NODES::textNode),
                Arbitraries.of(NODES.nullNode(), NODES.booleanNode(true), NODES.booleanNode(false), NODES.numberNode(0),
                        NODES.numberNode(-1), NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(1.5e308),
                        NODES.numberNode(new BigInteger("1" + "0".repeat(400))), NODES.objectNode(), NODES.arrayNode(),
                        NODES.arrayNode().add("main-1").add("main-2"), NODES.objectNode().set("$ne", NODES.nullNode()),
                        NODES.objectNode().put("S", "main-1")),
                Combinators.combine(Arbitraries.of(10, 200, 999, 1001, 5000, 100_000), Arbitraries.of("a", "o"))
                        .as((depth, kind) -> NODES.textNode("@@DEEP" + depth + kind + "@@")),
                Arbitraries.just(NODES.textNode("@@SURROGATE@@")));
    }

    static Arbitrary<String> hostileStrings() {
        return Arbitraries.oneOf(
                Arbitraries.of("", " ", "\u0000", "\n", "line1\nline2", "\r\n", "\t", "null", "undefined", "NaN", "true",
                        "'; DROP TABLE deployments; --", "\" OR \"1\"=\"1", "${jndi:ldap://127.0.0.1:1/a}",
                        "{% $states.context %}", "{% $eval('1') %}", "$.detail", "States.Format('{}', $)", "{{7*7}}",
                        "<script>alert(1)</script>", "../../../etc/passwd", "%s%s%s%n", "\\", "\"", "`id`", "$(id)",
                        "café", "🚀", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\u202eevil", "\uFEFFbom", "zero\u200bwidth", "e\u0301", "ı", "\u001b[31mred",
                        "at dev.deckhand.Fake.method(Fake.java:1)", "java.lang.NullPointerException",
                        "arn:aws:iam::123456789012:user/alice", "000000000000.dkr.ecr.us-east-1.amazonaws.com/acme/storefront"),
                Arbitraries.of(129, 4_096, 300_000, 1_100_000).map(length -> "x".repeat(length)),
                Arbitraries.strings().withCharRange('\u0001', '\uD7FF').ofMaxLength(60),
                Arbitraries.strings().withChars("\n\r\t\u0000\u001b\"\\{}[]:,'`$%@/").ofMinLength(1).ofMaxLength(20));
    }

    // ---- byte mutations --------------------------------------------------------------------

    /** A mutation of the bytes after writing. */
    record RawMutation(String description, UnaryOperator<byte[]> apply) {
    }

    private static Arbitrary<RawMutation> rawMutations() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 1).map(fraction -> new RawMutation("truncated at " + Math.round(fraction * 100)
                        + "%", bytes -> java.util.Arrays.copyOf(bytes, (int) (bytes.length * fraction)))),
                Arbitraries.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xED, (byte) 0xA0,
                        (byte) 0x80}, new byte[] {0}).flatMap(invalid -> Arbitraries.doubles().between(0, 1).map(at ->
                        new RawMutation("invalid UTF-8 at " + Math.round(at * 100) + "%", bytes -> insert(bytes, invalid, at)))),
                Arbitraries.of("}", "x", "{}", ",", " null", "\u0000").map(garbage -> new RawMutation("trailing "
                        + brief(NODES.textNode(garbage)), bytes -> concat(bytes, garbage.getBytes(StandardCharsets.UTF_8)))),
                Arbitraries.of("{\"source\":\"aws.ecr\",", "{\"detail\":{},", "{\"promotion\":{},")
                        .map(prefix -> new RawMutation("duplicate key " + prefix, bytes -> {
                            String text = new String(bytes, StandardCharsets.UTF_8).stripLeading();
                            return (text.startsWith("{") ? prefix + text.substring(1) : text)
                                    .getBytes(StandardCharsets.UTF_8);
                        })),
                Arbitraries.of("", " ", "\uFEFF").map(prefix -> new RawMutation("prefix " + brief(NODES.textNode(prefix))
                        + (prefix.isEmpty() ? " and nothing else" : ""), bytes -> prefix.isEmpty() ? new byte[0]
                        : concat(prefix.getBytes(StandardCharsets.UTF_8), bytes))));
    }

    private static byte[] insert(byte[] bytes, byte[] inserted, double at) {
        int position = (int) (bytes.length * at);
        byte[] result = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, result, 0, position);
        System.arraycopy(inserted, 0, result, position, inserted.length);
        System.arraycopy(bytes, position, result, position + inserted.length, bytes.length - position);
        return result;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] result = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }

    // ---- trees -----------------------------------------------------------------------------

    private static List<JsonNode> samples(String directory) {
        try (Stream<Path> files = Files.list(Fixtures.path(directory))) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().map(file -> {
                try {
                    return DeckhandJson.MAPPER.readTree(file.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Dotted paths of every field of every object in the tree (names with dots are left out). */
    private static List<String> fieldPaths(JsonNode tree) {
        List<String> paths = new ArrayList<>();
        collectPaths(tree, "", paths);
        return paths;
    }

    private static void collectPaths(JsonNode node, String prefix, List<String> into) {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().contains(".") || field.getKey().isEmpty()) {
                continue;
            }
            into.add(prefix + field.getKey());
            collectPaths(field.getValue(), prefix + field.getKey() + ".", into);
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
            object.elements().forEachRemaining(child -> collectObjects(child, into));
        } else if (node instanceof ArrayNode array) {
            array.elements().forEachRemaining(child -> collectObjects(child, into));
        }
    }

    /** Sets a dotted path where its parent objects exist; a tree without them is left as it is. */
    private static JsonNode set(JsonNode tree, String path, JsonNode value) {
        String[] names = path.split("\\.");
        JsonNode parent = tree;
        for (int i = 0; i < names.length - 1; i++) {
            parent = parent.path(names[i]);
        }
        if (parent instanceof ObjectNode object) {
            object.set(names[names.length - 1], value.deepCopy());
        }
        return tree;
    }

    private static void remove(JsonNode tree, String path) {
        String[] names = path.split("\\.");
        JsonNode parent = tree;
        for (int i = 0; i < names.length - 1; i++) {
            parent = parent.path(names[i]);
        }
        if (parent instanceof ObjectNode object) {
            object.remove(names[names.length - 1]);
        }
    }

    private static byte[] write(JsonNode tree) {
        String text;
        try {
            text = DeckhandJson.MAPPER.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!text.contains("\"@@")) {
            return text.getBytes(StandardCharsets.UTF_8); // no raw marker to expand (most inputs)
        }
        Matcher matcher = RAW.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group(1).equals("SURROGATE")) {
                replacement = "\"\\ud800x\"";
            } else {
                replacement = nested(Integer.parseInt(matcher.group(2)), matcher.group(3).equals("o"));
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String nested(int depth, boolean objects) {
        String open = objects ? "{\"a\":" : "[";
        String close = objects ? "}" : "]";
        return open.repeat(depth) + "1" + close.repeat(depth);
    }

    /** A value in a few characters, for descriptions. */
    static String brief(JsonNode value) {
        String text = value.toString();
        return text.length() > 40 ? text.substring(0, 40) + "…(" + text.length() + ")" : text;
    }
}
