package dev.deckhand.local.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The machine a benchmark ran on, in one line: cores, memory, OS, Java, and how busy it was. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        return Runtime.getRuntime().availableProcessors() + " cores, "
                + memory().orElse("memory unknown") + ", "
                + os().orElse(System.getProperty("os.name") + " " + System.getProperty("os.version")) + ", "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + load().map(load -> ", load average " + load + " at the start").orElse("");
    }

    private static Optional<String> memory() {
        return line(Path.of("/proc/meminfo"), "MemTotal:").map(value -> {
            long kib = Long.parseLong(value.replace("kB", "").trim());
            return String.format(Locale.ROOT, "%.1f GiB", kib / (1024.0 * 1024.0));
        });
    }

    private static Optional<String> os() {
        return line(Path.of("/etc/os-release"), "PRETTY_NAME=").map(value -> value.replace("\"", ""));
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine makes the figures noisy. */
    private static Optional<String> load() {
        Path loadavg = Path.of("/proc/loadavg");
        try {
            if (!Files.exists(loadavg)) {
                return Optional.empty();
            }
            String[] fields = Files.readString(loadavg).trim().split("\\s+");
            return Optional.of(fields[0] + " " + fields[1] + " " + fields[2]);
        } catch (IOException e) {
            return Optional.of("unreadable (" + e.getMessage() + ")");
        }
    }

    private static Optional<String> line(Path file, String prefix) {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).trim()).findFirst();
        } catch (IOException e) {
            return Optional.of("unreadable " + file + " (" + e.getMessage() + ")");
        }
    }
}
