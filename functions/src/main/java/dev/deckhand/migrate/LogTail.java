package dev.deckhand.migrate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The end of a failed migration's log, bounded so it fits everywhere it is copied: the Lambda
 * error's cause, the history record, an SNS message and a Slack text. At most {@link #MAX_LINES}
 * lines and {@link #MAX_BYTES} bytes of UTF-8 (newlines included); the newest lines win, because
 * the error is usually last. A single line longer than the whole budget keeps its end.
 */
public record LogTail(List<String> lines) {

    public static final int MAX_LINES = 50;
    public static final int MAX_BYTES = 4096;
    static final String CUT = "…";

    public LogTail {
        lines = List.copyOf(lines);
    }

    /** The newest lines of {@code logged} (oldest first) within both bounds. */
    public static LogTail of(List<String> logged) {
        Deque<String> kept = new ArrayDeque<>();
        int bytes = 0;
        for (int i = logged.size() - 1; i >= 0 && kept.size() < MAX_LINES; i--) {
            String line = stripNewline(logged.get(i));
            int size = utf8(line) + (kept.isEmpty() ? 0 : 1);
            if (bytes + size > MAX_BYTES) {
                if (kept.isEmpty()) {
                    kept.addFirst(endOf(line, MAX_BYTES));
                }
                break;
            }
            kept.addFirst(line);
            bytes += size;
        }
        return new LogTail(List.copyOf(kept));
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** The lines joined by newlines: at most {@link #MAX_BYTES} bytes of UTF-8. */
    public String text() {
        return String.join("\n", lines);
    }

    /** awslogs sends one event per line; an event may still end with its newline. */
    private static String stripNewline(String line) {
        return line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
    }

    /** The end of {@code line}, after a cut mark, in at most {@code budget} bytes; never splits a character. */
    private static String endOf(String line, int budget) {
        int room = budget - utf8(CUT);
        int start = line.length();
        int bytes = 0;
        while (start > 0) {
            int codePoint = line.codePointBefore(start);
            int size = utf8(new String(Character.toChars(codePoint)));
            if (bytes + size > room) {
                break;
            }
            bytes += size;
            start -= Character.charCount(codePoint);
        }
        return CUT + line.substring(start);
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
