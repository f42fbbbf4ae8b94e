package dev.deckhand.local.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wall time and peak memory of {@code ./deckhand demo}, the command a newcomer runs first, measured
 * by {@code /usr/bin/time} around the launcher (JVM start included). Not a test: it prints figures.
 * Run through {@link BenchmarkSuite} ({@code -Dbench=demo}); the build it runs after is what keeps
 * the launcher from rebuilding during the measurement.
 */
public final class DemoBenchmark {

    private static final int RUNS = 3;
    private static final Path TIME = Path.of("/usr/bin/time");
    private static final Pattern FIGURES = Pattern.compile("DECKHAND-BENCH ([0-9.]+) s wall, ([0-9]+) KB max RSS");

    private DemoBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = BenchmarkSuite.root();
        if (!Files.isExecutable(TIME)) {
            throw new IllegalStateException(TIME + " is missing (Debian: apt-get install time); it measures the demo");
        }
        List<List<String>> rows = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            Path log = Files.createTempFile("deckhand-demo", ".log");
            try {
                Process demo = new ProcessBuilder(TIME.toString(), "-f", "DECKHAND-BENCH %e s wall, %M KB max RSS",
                        "./deckhand", "demo")
                        .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                int exit = demo.waitFor();
                String output = Files.readString(log);
                if (exit != 0) {
                    throw new IllegalStateException("./deckhand demo exited with " + exit + "; its output:\n" + output);
                }
                Matcher figures = FIGURES.matcher(output);
                if (!figures.find()) {
                    throw new IllegalStateException("no figures from /usr/bin/time in the demo's output:\n" + output);
                }
                rows.add(List.of(String.valueOf(run), figures.group(1) + " s",
                        String.format(Locale.ROOT, "%.0f MiB", Long.parseLong(figures.group(2)) / 1024.0)));
            } finally {
                Files.deleteIfExists(log);
            }
        }
        System.out.println("`/usr/bin/time -f \"%e s wall, %M KB max RSS\" ./deckhand demo`, " + RUNS + " runs:");
        System.out.println();
        Figures.table(List.of("Run", "Wall time (JVM start included)", "Max RSS"), rows);
    }
}
