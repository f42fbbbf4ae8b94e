package dev.deckhand.local.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.local.deployer.LocalDeckhand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.TreeMap;
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
        List<String> taskDefinitions = deckhand.sdk().ecs().listTaskDefinitionsPaginator(request -> { })
                .taskDefinitionArns().stream().sorted().toList();
        // One DescribeServices per cluster (it takes up to 10 services).
        Map<String, List<String>> byCluster = new TreeMap<>();
        configuration.services().values().forEach(service -> service.environments().values().forEach(environment ->
                byCluster.computeIfAbsent(environment.cluster(), cluster -> new ArrayList<>()).add(environment.ecsService())));
        Map<String, String> services = new LinkedHashMap<>();
        byCluster.forEach((cluster, names) -> {
            assertThat(names).as("services of %s", cluster).hasSizeLessThanOrEqualTo(10);
            deckhand.sdk().ecs().describeServices(request -> request.cluster(cluster).services(names)).services()
                    .forEach(described -> services.put(cluster + "/" + described.serviceName(), described.taskDefinition()));
            assertThat(services).as("services of %s described", cluster).containsKeys(
                    names.stream().map(name -> cluster + "/" + name).toArray(String[]::new));
        });
        int items = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = deckhand.sdk().dynamo().scan(request -> request.tableName(LocalDeckhand.HISTORY_TABLE)
                    .select(Select.COUNT).exclusiveStartKey(from));
            items += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new Footprint(taskDefinitions, services, items);
    }
}
