package dev.deckhand.local.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

// Behaviour from the ECS API reference: RegisterTaskDefinition, DescribeTaskDefinition, DeregisterTaskDefinition.
class EcsTaskDefinitionsIT {

    private Workloads workloads;

    @BeforeEach
    void start() throws Exception {
        workloads = new Workloads();
    }

    @AfterEach
    void stop() {
        workloads.close();
    }

    @Test
    void registeringAFamilyAgainIncrementsTheRevisionInTheArn() {
        String first = workloads.register("api", Workloads.REGISTRY + "/api:v1");
        String second = workloads.register("api", Workloads.REGISTRY + "/api:v2");

        assertThat(first).isEqualTo("arn:aws:ecs:us-east-1:" + Workloads.ACCOUNT + ":task-definition/api:1");
        assertThat(second).isEqualTo("arn:aws:ecs:us-east-1:" + Workloads.ACCOUNT + ":task-definition/api:2");
    }

    @Test
    void registeredRevisionEchoesTheDefinitionWithEssentialDefaultingToTrue() {
        TaskDefinition registered = workloads.client.registerTaskDefinition(r -> r.family("api")
                .networkMode("awsvpc").requiresCompatibilitiesWithStrings("FARGATE").cpu("256").memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("img:1").build(),
                        ContainerDefinition.builder().name("sidecar").image("img:2").essential(false).build()))
                .taskDefinition();

        assertThat(registered.family()).isEqualTo("api");
        assertThat(registered.revision()).isEqualTo(1);
        assertThat(registered.status()).isEqualTo(TaskDefinitionStatus.ACTIVE);
        assertThat(registered.cpu()).isEqualTo("256");
        assertThat(registered.registeredAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(registered.containerDefinitions()).extracting(ContainerDefinition::essential)
                .containsExactly(true, false);
    }

    @Test
    void describesByFamilyFamilyRevisionOrArn() {
        String first = workloads.register("api", "img:1");
        String second = workloads.register("api", "img:2");

        assertThat(describe("api").taskDefinitionArn()).isEqualTo(second);
        assertThat(describe("api:1").taskDefinitionArn()).isEqualTo(first);
        assertThat(describe(first).containerDefinitions().get(0).image()).isEqualTo("img:1");
    }

    @Test
    void deregisteredRevisionIsInactiveAndTheFamilyResolvesToTheLatestActiveOne() {
        String first = workloads.register("api", "img:1");
        workloads.register("api", "img:2");

        TaskDefinition deregistered = workloads.client.deregisterTaskDefinition(r -> r.taskDefinition("api:2"))
                .taskDefinition();

        assertThat(deregistered.status()).isEqualTo(TaskDefinitionStatus.INACTIVE);
        assertThat(describe("api:2").status()).isEqualTo(TaskDefinitionStatus.INACTIVE);
        assertThat(describe("api").taskDefinitionArn()).isEqualTo(first);
    }

    @Test
    void registeringWithoutContainersIsAClientException() {
        assertThatThrownBy(() -> workloads.client.registerTaskDefinition(r -> r.family("api")))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("Container list cannot be empty.");
    }

    @Test
    void registeringAContainerWithoutImageIsAClientException() {
        assertThatThrownBy(() -> workloads.client.registerTaskDefinition(r -> r.family("api")
                .containerDefinitions(ContainerDefinition.builder().name("app").build())))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("Container.image should not be null or empty.");
    }

    @Test
    void registeringWithoutAnEssentialContainerIsAClientException() {
        assertThatThrownBy(() -> workloads.client.registerTaskDefinition(r -> r.family("api")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("img").essential(false).build())))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("at least one essential container");
    }

    @Test
    void registeringAnInvalidFamilyIsAClientException() {
        assertThatThrownBy(() -> workloads.client.registerTaskDefinition(r -> r.family("my api!")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("img").build())))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("Family 'my api!' is not valid");
    }

    @Test
    void describingAnUnknownTaskDefinitionIsAClientException() {
        assertThatThrownBy(() -> describe("ghost"))
                .isInstanceOf(ClientException.class)
                .hasMessageContaining("Unable to describe task definition.");
    }

    @Test
    void deregisteringNeedsARevision() {
        workloads.register("api", "img:1");

        assertThatThrownBy(() -> workloads.client.deregisterTaskDefinition(r -> r.taskDefinition("api")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> workloads.client.deregisterTaskDefinition(r -> r.taskDefinition("api:7")))
                .isInstanceOf(ClientException.class);
    }

    @Test
    void tagsComeBackOnlyWhenAskedFor() {
        workloads.client.registerTaskDefinition(r -> r.family("api")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("img").build())
                .tags(Tag.builder().key("deckhand:deployment").value("d-42").build()));

        assertThat(workloads.client.describeTaskDefinition(r -> r.taskDefinition("api")).tags()).isEmpty();
        assertThat(workloads.client.describeTaskDefinition(r -> r.taskDefinition("api")
                .include(TaskDefinitionField.TAGS)).tags())
                .containsExactly(Tag.builder().key("deckhand:deployment").value("d-42").build());
    }

    @Test
    void listTaskDefinitionsFiltersByFamilyPrefixAndStatusAndSorts() {
        String api1 = workloads.register("api", "img:1");
        String api2 = workloads.register("api", "img:2");
        String worker = workloads.register("worker", "img:1");
        workloads.client.deregisterTaskDefinition(r -> r.taskDefinition(api1));

        assertThat(workloads.client.listTaskDefinitions(r -> r.familyPrefix("api")).taskDefinitionArns())
                .containsExactly(api2);
        assertThat(workloads.client.listTaskDefinitions(r -> r.status(TaskDefinitionStatus.INACTIVE))
                .taskDefinitionArns()).containsExactly(api1);
        assertThat(workloads.client.listTaskDefinitions(r -> r.sort(SortOrder.DESC)).taskDefinitionArns())
                .containsExactly(worker, api2);
    }

    private TaskDefinition describe(String reference) {
        return workloads.client.describeTaskDefinition(r -> r.taskDefinition(reference)).taskDefinition();
    }
}
