package dev.deckhand.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The feature packages of {@code dev.deckhand} (deploy, coordinate, history, …, and the shared
 * values in deployment/) depend on each other without cycles, so each can be read, tested and
 * changed from the bottom up. Two packages stand outside by design and are left out: aws/ (the
 * adapters implement the features' ports, and the handlers' no-argument constructors wire from
 * its Environment) and catalogue/ (it lists every handler).
 */
class PackageCyclesTest {

    private static final Set<String> WIRING = Set.of("aws", "catalogue");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.deckhand\\.([a-z]+)\\.");

    @Test
    void theFeaturePackagesHaveNoDependencyCycle() {
        Map<String, Set<String>> graph = dependencies(Fixtures.path("functions/src/main/java/dev/deckhand"));
        assertThat(graph).containsKeys("deploy", "coordinate", "history", "deployment", "resolve");

        assertThat(cycles(graph)).isEmpty();
    }

    @Test
    void aCycleIsFoundAndNamed() {
        Map<String, Set<String>> graph = new TreeMap<>(Map.of(
                "history", Set.of("coordinate", "deployment"),
                "coordinate", Set.of("history"),
                "deployment", Set.of()));

        assertThat(cycles(graph)).containsExactly("coordinate → history → coordinate");
    }

    /** Package → the packages its sources name (imports and fully qualified names), wiring left out. */
    private static Map<String, Set<String>> dependencies(Path root) {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> packages = Files.list(root)) {
            for (Path dir : packages.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                if (WIRING.contains(name)) {
                    continue;
                }
                Set<String> uses = new TreeSet<>();
                try (Stream<Path> sources = Files.list(dir)) {
                    for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                        Matcher matcher = REFERENCE.matcher(Files.readString(source));
                        while (matcher.find()) {
                            uses.add(matcher.group(1));
                        }
                    }
                }
                uses.remove(name);
                uses.removeAll(WIRING);
                graph.put(name, uses);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    /** Each cycle once, as a path from its alphabetically first package back to it. */
    static List<String> cycles(Map<String, Set<String>> graph) {
        Set<String> found = new TreeSet<>();
        for (String start : graph.keySet()) {
            walk(graph, start, new ArrayList<>(List.of(start)), found);
        }
        return new ArrayList<>(found);
    }

    private static void walk(Map<String, Set<String>> graph, String node, List<String> path, Set<String> found) {
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (next.equals(path.get(0))) {
                if (path.stream().allMatch(step -> step.compareTo(next) >= 0)) {
                    found.add(String.join(" → ", path) + " → " + next);
                }
            } else if (!path.contains(next) && next.compareTo(path.get(0)) > 0) {
                path.add(next);
                walk(graph, next, path, found);
                path.remove(path.size() - 1);
            }
        }
    }
}
