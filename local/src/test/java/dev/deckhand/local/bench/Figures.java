package dev.deckhand.local.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Medians and Markdown table rows, so every benchmark prints a table docs/benchmarks.md can hold as is. */
final class Figures {

    private Figures() {
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to take the median of");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    static String ms(double millis) {
        return millis >= 100 ? String.format(Locale.ROOT, "%.0f ms", millis) : String.format(Locale.ROOT, "%.1f ms", millis);
    }

    /** Prints a Markdown table: a header row, its separator, then the rows. */
    static void table(List<String> header, List<List<String>> rows) {
        row(header);
        row(header.stream().map(cell -> "---").collect(Collectors.toList()));
        rows.forEach(Figures::row);
    }

    private static void row(List<String> cells) {
        System.out.println("| " + String.join(" | ", cells) + " |");
    }
}
