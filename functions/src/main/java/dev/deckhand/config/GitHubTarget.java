package dev.deckhand.config;

/**
 * A GitHub repository where an environment's deployments are shown (GitHub's Deployments API) and
 * where a failed rollback opens an issue.
 *
 * @param repository {@code owner/name}
 * @param tokenSecret name or ARN of the Secrets Manager secret whose string is a GitHub token with
 *     the repository's deployments and issues write permission; the token never appears in
 *     configuration, state or logs
 * @param environment the GitHub environment name (e.g. {@code production}); the Deckhand
 *     environment's name when not given
 */
public record GitHubTarget(String repository, String tokenSecret, String environment) {
}
