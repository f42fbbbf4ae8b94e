package dev.deckhand.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.json.DeckhandJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the local cloud reports about a request built by hand: the members the SDK's model of the
 * operation does not define, at any depth (structures, lists, map values), while every modelled
 * member passes. Reported, not refused: the API references do not say a service refuses them.
 */
class RequestValidatorTest {

    private final RequestValidator ecs = new RequestValidator("software.amazon.awssdk.services.ecs.model",
            "InvalidParameterException", List.of());
    private final RequestValidator dynamoDb = new RequestValidator("software.amazon.awssdk.services.dynamodb.model",
            "ValidationException", List.of());

    @Test
    void aRequestOfModelledMembersOnlyHasNothingToReport() throws Exception {
        JsonNode registration = DeckhandJson.MAPPER.readTree("""
                {"family": "web", "containerDefinitions": [{"name": "app", "image": "web:1",
                  "environment": [{"name": "A", "value": "b"}], "dockerLabels": {"team": "x"}}],
                 "tags": [{"key": "deckhand:deployment-id", "value": "web.dev.0"}]}""");
        JsonNode update = DeckhandJson.MAPPER.readTree("""
                {"TableName": "t", "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET n = :n",
                 "ExpressionAttributeValues": {":n": {"N": "1"}}}""");

        assertThat(ecs.unmodelledMembers("RegisterTaskDefinition", registration)).isEmpty();
        assertThat(dynamoDb.unmodelledMembers("UpdateItem", update)).isEmpty();
    }

    @Test
    void aMisspelledMemberIsNamedByItsPathAtAnyDepth() throws Exception {
        JsonNode registration = DeckhandJson.MAPPER.readTree("""
                {"family": "web", "taskRoleARN": "arn", "containerDefinitions": [{"name": "app", "imageUri": "web:1"}]}""");
        JsonNode update = DeckhandJson.MAPPER.readTree("""
                {"TableName": "t", "Key": {"pk": {"String": "a"}}, "ExpressionAttributeValues": {":n": {"N": "1"}},
                 "ConditionExpresion": "attribute_exists(pk)"}""");

        assertThat(ecs.unmodelledMembers("RegisterTaskDefinition", registration))
                .containsExactlyInAnyOrder("taskRoleARN", "containerDefinitions.*.imageUri");
        assertThat(dynamoDb.unmodelledMembers("UpdateItem", update))
                .containsExactlyInAnyOrder("Key.*.String", "ConditionExpresion");
    }

    @Test
    void anOperationTheSdkDoesNotModelHasNoModelToCompareWith() throws Exception {
        assertThat(ecs.unmodelledMembers("NoSuchOperation", DeckhandJson.MAPPER.readTree("{\"anything\": 1}")))
                .isEmpty();
    }
}
