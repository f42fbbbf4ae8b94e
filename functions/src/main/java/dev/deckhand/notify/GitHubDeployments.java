package dev.deckhand.notify;

import dev.deckhand.deployment.Outcome;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a deployment outcome means on GitHub (REST API, "Deployments" and "Deployment statuses"):
 * which ref the deployment names, which final status it gets, and whether an issue is opened.
 * Plain rules, so the channel that sends them stays an adapter.
 */
public final class GitHubDeployments {

    /** A commit SHA, abbreviated or whole, as a whole tag or as its last part after '-', '_' or '.'. */
    private static final Pattern COMMIT_IN_TAG = Pattern.compile("(?:.*[-_.])?([0-9a-f]{7,40})");
    /** "A short description of the status. The maximum description length is 140 characters." */
    public static final int MAX_DESCRIPTION = 140;

    private GitHubDeployments() {
    }

    /**
     * The ref of the GitHub deployment: the commit the tag carries ({@code 3f2a9c1},
     * {@code main-3f2a9c1d…}), otherwise the tag itself, which GitHub resolves as a branch or tag
     * name ("The ref to deploy. This can be a branch, tag, or SHA.").
     */
    public static Optional<String> ref(String imageTag) {
        if (imageTag == null || imageTag.isBlank()) {
            return Optional.empty();
        }
        Matcher commit = COMMIT_IN_TAG.matcher(imageTag);
        return Optional.of(commit.matches() ? commit.group(1) : imageTag);
    }

    /**
     * The status an outcome ends the GitHub deployment with: success, failure, or inactive for a
     * deployment a newer one superseded or that was not approved; none for an outcome that deployed nothing.
     */
    public static Optional<String> finalState(Outcome outcome) {
        return switch (outcome) {
            case SUCCEEDED -> Optional.of("success");
            case FAILED, ROLLED_BACK, ROLLBACK_FAILED -> Optional.of("failure");
            // Nothing was deployed, and nothing failed: a person said no, or nobody answered.
            case SUPERSEDED, REJECTED, EXPIRED -> Optional.of("inactive");
            default -> Optional.empty();
        };
    }

    /** A failed rollback leaves the service needing a person: an issue says so where the team works. */
    public static boolean opensIssue(Outcome outcome) {
        return outcome == Outcome.ROLLBACK_FAILED;
    }

    /** The summary, cut to GitHub's 140 characters. */
    public static String description(String summary) {
        String text = summary == null ? "" : summary.replaceAll("\\s+", " ").trim();
        return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 1) + "…";
    }
}
