package dev.deckhand.aws;

/**
 * Turns any text into a subject SNS accepts. API_Publish, Subject: "Subjects must be UTF-8 text
 * with no line breaks or control characters, and less than 100 characters long"; SNS delivers the
 * subject as an e-mail subject line, and its own validation rules for forwarded alerts treat
 * "control or non-ASCII characters" in a subject as invalid (Amazon Managed Service for Prometheus
 * guide, "Understanding Amazon SNS message validation rules"). So the subject is kept to
 * printable ASCII, which satisfies both.
 */
final class SnsSubject {

    /** "less than 100 characters long". */
    static final int MAX_LENGTH = 99;
    private static final String CUT = "...";

    private SnsSubject() {
    }

    /**
     * Printable ASCII only: line breaks, tabs and other control characters become a space (runs
     * collapse to one), any other character a {@code ?}; at most {@link #MAX_LENGTH} characters,
     * ending in {@code ...} when it had to be cut.
     */
    static String of(String text) {
        StringBuilder subject = new StringBuilder();
        text.codePoints().forEach(c -> {
            char replacement = c >= 0x20 && c < 0x7f ? (char) c : isSpace(c) ? ' ' : '?';
            if (replacement != ' ' || (subject.length() > 0 && subject.charAt(subject.length() - 1) != ' ')) {
                subject.append(replacement);
            }
        });
        String clean = subject.toString().strip();
        if (clean.isEmpty()) {
            return "Deckhand";
        }
        return clean.length() <= MAX_LENGTH ? clean : clean.substring(0, MAX_LENGTH - CUT.length()).stripTrailing() + CUT;
    }

    /** Line breaks, tabs, other control characters and Unicode spaces read as a gap between words. */
    private static boolean isSpace(int c) {
        return Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
