package dev.deckhand.aws;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * Copies a live task definition into a registration request through the SDK's own field model:
 * every member the request has is taken from the task definition by name, so fields ECS adds
 * later are carried over too and a deployment never drifts from what is running. Read-only
 * members (ARN, revision, status, registeredAt …) have no counterpart in the request.
 */
final class TaskDefinitionCopy {

    private TaskDefinitionCopy() {
    }

    static RegisterTaskDefinitionRequest.Builder of(TaskDefinition live) {
        Map<String, SdkField<?>> fields = new HashMap<>();
        live.sdkFields().forEach(field -> fields.put(field.memberName(), field));
        RegisterTaskDefinitionRequest.Builder request = RegisterTaskDefinitionRequest.builder();
        for (SdkField<?> target : request.sdkFields()) {
            SdkField<?> source = fields.get(target.memberName());
            if (source == null) {
                continue;
            }
            Object value = source.getValueOrDefault(live);
            if (value != null && !(value instanceof SdkAutoConstructList) && !(value instanceof SdkAutoConstructMap)) {
                target.set(request, value);
            }
        }
        return request;
    }
}
