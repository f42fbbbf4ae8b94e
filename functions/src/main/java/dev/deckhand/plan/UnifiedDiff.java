package dev.deckhand.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts given as lines ({@code ---}/{@code +++} header, {@code @@ -a,b +c,d @@}
 * hunks with three lines of context), as {@code diff -u} prints it. Empty when the texts are equal.
 * The longest common subsequence decides what changed: task definitions are a few hundred lines.
 */
public final class UnifiedDiff {

    static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    public static List<String> of(String fromName, String toName, List<String> from, List<String> to) {
        int n = from.size();
        int m = to.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = from.get(i).equals(to.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        // The edit script: ' ', '-' or '+' with the line and its position in each text.
        List<Edit> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && from.get(i).equals(to.get(j))) {
                edits.add(new Edit(' ', from.get(i), i++, j++));
            } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
                edits.add(new Edit('-', from.get(i), i++, j)); // removals first, as diff -u prints them
            } else {
                edits.add(new Edit('+', to.get(j), i, j++));
            }
        }
        List<String> out = new ArrayList<>();
        int k = 0;
        while (k < edits.size()) {
            if (edits.get(k).kind == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            // Extend the hunk while the next change is within twice the context.
            int lastChange = k;
            while (end < edits.size()) {
                if (edits.get(end).kind != ' ') {
                    lastChange = end;
                } else if (end - lastChange > 2 * CONTEXT) {
                    break;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + CONTEXT + 1);
            if (out.isEmpty()) {
                out.add("--- " + fromName);
                out.add("+++ " + toName);
            }
            List<Edit> hunk = edits.subList(start, end);
            int fromCount = (int) hunk.stream().filter(edit -> edit.kind != '+').count();
            int toCount = (int) hunk.stream().filter(edit -> edit.kind != '-').count();
            out.add("@@ -" + range(hunk.get(0).fromIndex, fromCount) + " +" + range(hunk.get(0).toIndex, toCount) + " @@");
            hunk.forEach(edit -> out.add(edit.kind + edit.line));
            k = end;
        }
        return out;
    }

    /** diff -u's range: 1-based start and count; an empty range names the line before it. */
    private static String range(int index, int count) {
        int start = count == 0 ? index : index + 1;
        return count == 1 ? String.valueOf(start) : start + "," + count;
    }

    private record Edit(char kind, String line, int fromIndex, int toIndex) {
    }
}
