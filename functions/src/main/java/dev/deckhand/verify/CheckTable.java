package dev.deckhand.verify;

import java.util.ArrayList;
import java.util.List;

/** The checks as a table, one line each (a failure followed by its fix), and the exit code they mean. */
public final class CheckTable {

    private CheckTable() {
    }

    public static List<String> lines(List<Check> checks) {
        int target = checks.stream().mapToInt(check -> check.target().length()).max().orElse(0);
        int name = checks.stream().mapToInt(check -> check.name().length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        for (Check check : checks) {
            lines.add(String.format("%-4s  %-" + target + "s  %-" + name + "s  %s", check.passed() ? "ok" : "FAIL",
                    check.target(), check.name(), check.detail()));
            if (!check.passed()) {
                lines.add("      fix: " + check.fix());
            }
        }
        long failed = checks.stream().filter(check -> !check.passed()).count();
        lines.add(failed == 0 ? checks.size() + " checks passed" : failed + " of " + checks.size() + " checks failed");
        return lines;
    }

    /** 1 when any check failed, else 0. */
    public static int exitCode(List<Check> checks) {
        return checks.stream().allMatch(Check::passed) ? 0 : 1;
    }
}
