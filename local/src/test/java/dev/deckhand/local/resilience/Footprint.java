package dev.deckhand.local.resilience;

import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.local.deployer.LocalDeckhand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * What a deployment leaves behind, read through the real SDK clients: every task-definition
 * revision, the revision each configured ECS service runs, and the number of history items. A
 * refused request must leave it as it was.
 */
record Footprint(List<String> taskDefinitions, Map<String, String> services, int historyItems) {

    static Footprint of(LocalDeckhand deckhand, DeckhandConfiguration configuration) {
        List<String> taskDefinitions = deckhand.aws().ecs().listTaskDefinitionsPaginator(request -> { })
                .taskDefinitionArns().stream().sorted().toList();
        Map<String, String> services = new LinkedHashMap<>();
        configuration.services().values().forEach(service -> service.environments().values().forEach(environment ->
                services.put(environment.cluster() + "/" + environment.ecsService(), deckhand.aws().ecs()
                        .describeServices(request -> request.cluster(environment.cluster())
                                .services(environment.ecsService())).services().get(0).taskDefinition())));
        int items = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = deckhand.aws().dynamo().scan(request -> request.tableName(LocalDeckhand.HISTORY_TABLE)
                    .select(Select.COUNT).exclusiveStartKey(from));
            items += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new Footprint(taskDefinitions, services, items);
    }
}
