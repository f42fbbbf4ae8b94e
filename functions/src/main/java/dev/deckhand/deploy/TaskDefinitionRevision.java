package dev.deckhand.deploy;

/**
 * The revision a deployment runs.
 *
 * @param reused a previous attempt of the same deployment had registered it already
 */
public record TaskDefinitionRevision(String arn, String container, boolean reused) {
}
