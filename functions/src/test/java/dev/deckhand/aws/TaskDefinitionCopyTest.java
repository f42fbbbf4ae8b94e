package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CPUArchitecture;
import software.amazon.awssdk.services.ecs.model.EphemeralStorage;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PidMode;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RuntimePlatform;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.Volume;

class TaskDefinitionCopyTest {

    private static final TaskDefinition LIVE = TaskDefinition.builder()
            .taskDefinitionArn("arn:aws:ecs:eu-west-1:123456789012:task-definition/storefront-dev:6")
            .family("storefront-dev")
            .revision(6)
            .status(TaskDefinitionStatus.ACTIVE)
            .registeredAt(Instant.parse("2026-11-01T10:00:00Z"))
            .registeredBy("arn:aws:iam::123456789012:role/ci")
            .taskRoleArn("arn:aws:iam::123456789012:role/storefront-dev-task")
            .executionRoleArn("arn:aws:iam::123456789012:role/storefront-dev-execution")
            .networkMode(NetworkMode.AWSVPC)
            .requiresCompatibilities(Compatibility.FARGATE)
            .cpu("512")
            .memory("1024")
            .pidMode(PidMode.TASK)
            .ephemeralStorage(EphemeralStorage.builder().sizeInGiB(40).build())
            .runtimePlatform(RuntimePlatform.builder().cpuArchitecture(CPUArchitecture.ARM64).build())
            .volumes(Volume.builder().name("scratch").build())
            .containerDefinitions(
                    ContainerDefinition.builder().name("web").image("acme/storefront:old").essential(true)
                            .environment(KeyValuePair.builder().name("MODE").value("web").build()).build(),
                    ContainerDefinition.builder().name("log-router").image("fluent-bit:3").essential(false).build())
            .build();

    @Test
    void carriesEveryRegistrableFieldOfTheLiveDefinition() {
        RegisterTaskDefinitionRequest request = TaskDefinitionCopy.of(LIVE).build();

        assertThat(request.family()).isEqualTo("storefront-dev");
        assertThat(request.taskRoleArn()).isEqualTo(LIVE.taskRoleArn());
        assertThat(request.executionRoleArn()).isEqualTo(LIVE.executionRoleArn());
        assertThat(request.networkMode()).isEqualTo(NetworkMode.AWSVPC);
        assertThat(request.requiresCompatibilities()).containsExactly(Compatibility.FARGATE);
        assertThat(request.cpu()).isEqualTo("512");
        assertThat(request.memory()).isEqualTo("1024");
        assertThat(request.pidMode()).isEqualTo(PidMode.TASK);
        assertThat(request.ephemeralStorage().sizeInGiB()).isEqualTo(40);
        assertThat(request.runtimePlatform().cpuArchitecture()).isEqualTo(CPUArchitecture.ARM64);
        assertThat(request.volumes()).containsExactlyElementsOf(LIVE.volumes());
        assertThat(request.containerDefinitions()).containsExactlyElementsOf(LIVE.containerDefinitions());
    }

    @Test
    void leavesNothingOfTheLiveDefinitionBehindThatTheRequestCouldCarry() {
        RegisterTaskDefinitionRequest request = TaskDefinitionCopy.of(LIVE).build();

        // Every member both shapes share must hold the live value: a field ECS adds later is copied too.
        Set<String> requestMembers = new HashSet<>();
        request.sdkFields().forEach(field -> requestMembers.add(field.memberName()));
        for (SdkField<?> field : LIVE.sdkFields()) {
            if (requestMembers.contains(field.memberName())) {
                Object live = field.getValueOrDefault(LIVE);
                Object copied = requestField(request, field.memberName());
                assertThat(copied).as(field.memberName()).isEqualTo(live);
            }
        }
    }

    private static Object requestField(RegisterTaskDefinitionRequest request, String member) {
        return request.sdkFields().stream().filter(field -> field.memberName().equals(member)).findFirst()
                .orElseThrow().getValueOrDefault(request);
    }
}
