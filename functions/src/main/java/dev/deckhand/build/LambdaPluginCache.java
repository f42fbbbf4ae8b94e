package dev.deckhand.build;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.logging.log4j.core.config.plugins.processor.PluginCache;
import org.apache.logging.log4j.core.config.plugins.processor.PluginEntry;
import org.apache.logging.log4j.core.config.plugins.processor.PluginProcessor;

/**
 * Writes the Lambda jar's Log4j plugin cache: the caches of the jars on the class path (log4j-core,
 * the JSON template layout, Powertools), cut to the plugins a list names. Log4j's PluginRegistry
 * loads the class of every plugin in its cache at start-up, used or not; the shaded jar carries this
 * cache instead of the libraries' (functions/pom.xml). Run by the build (exec:java, prepare-package);
 * the shade plugin leaves this class out of the Lambda jar.
 *
 * <p>Arguments: the list (functions/src/lambda/log4j-plugins.txt), the cache file to write.
 */
public final class LambdaPluginCache {

    private LambdaPluginCache() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: LambdaPluginCache <plugin list> <cache file to write>");
        }
        Set<String> wanted = Files.readAllLines(Path.of(args[0])).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).collect(Collectors.toCollection(TreeSet::new));
        PluginCache cache = new PluginCache();
        cache.loadCacheFiles(LambdaPluginCache.class.getClassLoader().getResources(PluginProcessor.PLUGIN_CACHE_FILE));
        Set<String> found = new TreeSet<>();
        for (Map.Entry<String, Map<String, PluginEntry>> category : cache.getAllCategories().entrySet()) {
            String name = category.getKey();
            if (wanted.contains(name)) {
                found.add(name);
                continue;
            }
            category.getValue().keySet().removeIf(plugin -> !wanted.contains(name + ":" + plugin));
            category.getValue().keySet().forEach(plugin -> found.add(name + ":" + plugin));
        }
        cache.getAllCategories().values().removeIf(Map::isEmpty);
        List<String> missing = new ArrayList<>(wanted);
        missing.removeAll(found);
        if (!missing.isEmpty()) {
            // A renamed or misspelt plugin would otherwise leave Lambda without it, silently until it logs.
            throw new IllegalStateException(args[0] + " names plugins no Log4j2Plugins.dat on the class path has: "
                    + missing);
        }
        Path file = Path.of(args[1]);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            cache.writeCache(out);
        }
    }
}
