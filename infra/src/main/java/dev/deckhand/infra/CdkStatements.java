package dev.deckhand.infra;

import dev.deckhand.catalogue.Resource;
import dev.deckhand.catalogue.ResourceNames;
import dev.deckhand.catalogue.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/** The catalogue's rendered statements ({@link dev.deckhand.catalogue.Policies}) as CDK statements, and nothing else. */
final class CdkStatements {

    private CdkStatements() {
    }

    /** Names in CloudFormation's terms: pseudo parameters, and {@code resources} for Deckhand's own resources. */
    static ResourceNames names(Function<Resource, String> resources) {
        return ResourceNames.of(Aws.PARTITION, Aws.REGION, Aws.ACCOUNT_ID, resources::apply);
    }

    static PolicyStatement of(Statement statement) {
        PolicyStatement.Builder builder = PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(statement.actions())
                .resources(statement.resources());
        if (!statement.conditions().isEmpty()) {
            Map<String, Object> conditions = new LinkedHashMap<>();
            statement.conditions().forEach((operator, keys) -> {
                Map<String, Object> values = new LinkedHashMap<>();
                // One value is written as a string, as IAM documents usually are.
                keys.forEach((key, value) -> values.put(key, value.size() == 1 ? value.get(0) : value));
                conditions.put(operator, values);
            });
            builder.conditions(conditions);
        }
        return builder.build();
    }
}
