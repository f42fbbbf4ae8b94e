package dev.deckhand.config;

import java.util.regex.Pattern;

/** The names a configuration may use; the deployment values built from them follow the same rules. */
public final class Names {

    /**
     * Service and environment names: they end up in deployment ids, execution names, metric
     * dimensions and resource names, so they are kept short and plain.
     */
    public static final Pattern SERVICE_OR_ENVIRONMENT = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    /** ECR repository names: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html */
    public static final Pattern ECR_REPOSITORY =
            Pattern.compile("(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");

    private Names() {
    }
}
