package dev.deckhand.local.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.aws.EcsApiDeployments;
import dev.deckhand.aws.EcsMigrationTasks;
import dev.deckhand.deploy.DeployService;
import dev.deckhand.deploy.RolloutStatus;
import dev.deckhand.deploy.RolloutVerdict;
import dev.deckhand.deploy.TaskDefinitionRevision;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.errors.TransientAwsException;
import dev.deckhand.local.ecr.ImageBehaviour;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * Deckhand's ECS adapters ({@link EcsApiDeployments}, {@link EcsMigrationTasks}) through ECS's JSON
 * API, as the functions send it, against a local ECS that answers as ECS does where Deckhand used to assume more:
 * deployments without rolloutState, eventual consistency of new revisions, reserved and too many
 * tags, families whose every revision is INACTIVE.
 */
class DeckhandOnStrictEcsIT {

    private static final String ROLE = "arn:aws:iam::123456789012:role/api-";
    private static final DeploymentId DEPLOYMENT = DeploymentId.parse("api.dev.0123456789abcdef");

    private Workloads workloads;
    private EcsApiDeployments deployments;
    private String v1;
    private String v2;

    @BeforeEach
    void start() throws Exception {
        workloads = new Workloads();
        deployments = new EcsApiDeployments(workloads.json);
        v1 = workloads.push("api", "v1", ImageBehaviour.healthy()).uri();
        v2 = workloads.push("api", "v2", ImageBehaviour.healthy()).uri();
    }

    @AfterEach
    void stop() {
        workloads.close();
    }

    // API_Deployment, rolloutState: "only returned for services that use the rolling update (ECS)
    // deployment type that aren't behind a Classic Load Balancer".
    @Test
    void servicesBehindAClassicLoadBalancerOrWithAnotherControllerDescribeNoRolloutState() {
        createService("behind-clb", create("behind-clb").loadBalancers(balancer -> balancer.loadBalancerName("web-clb")
                .containerName("app").containerPort(8080)));
        createService("code-deploy", create("code-deploy").deploymentController(c -> c.type(DeploymentControllerType.CODE_DEPLOY)));
        createService("external", create("external").deploymentController(c -> c.type(DeploymentControllerType.EXTERNAL)));
        createService("rolling", create("rolling"));
        workloads.advance(Duration.ofSeconds(30));

        for (String service : List.of("behind-clb", "code-deploy", "external")) {
            assertThat(workloads.describe("dev", service).deployments()).as(service).singleElement()
                    .satisfies(d -> {
                        assertThat(d.rolloutState()).isNull();
                        assertThat(d.rolloutStateReason()).isNull();
                        assertThat(d.runningCount()).isEqualTo(1);
                    });
        }
        assertThat(workloads.describe("dev", "behind-clb").loadBalancers()).singleElement()
                .satisfies(balancer -> assertThat(balancer.loadBalancerName()).isEqualTo("web-clb"));
        assertThat(workloads.describe("dev", "code-deploy").deploymentController().type())
                .isEqualTo(DeploymentControllerType.CODE_DEPLOY);
        assertThat(workloads.describe("dev", "rolling").deployments()).singleElement()
                .satisfies(d -> assertThat(d.rolloutStateAsString()).isEqualTo("COMPLETED"));
    }

    @Test
    void aDeploymentToAClassicLoadBalancerServiceCompletesWithoutWaitingForTheDeadline() {
        createService("behind-clb", create("behind-clb").loadBalancers(balancer -> balancer.loadBalancerName("web-clb")
                .containerName("app").containerPort(8080)));
        workloads.advance(Duration.ofSeconds(30));
        String live = workloads.describe("dev", "behind-clb").taskDefinition();
        Instant started = workloads.clock.instant();

        TaskDefinitionRevision revision = deployments.registerRevision(live, null, v2, DEPLOYMENT);
        String deployment = deployments.updateService("dev", "behind-clb", revision.arn());
        RolloutStatus status = RolloutVerdict.judge(deployments.describeService("dev", "behind-clb"), deployment,
                revision.arn());
        while (status instanceof RolloutStatus.InProgress
                && workloads.clock.instant().isBefore(started.plus(DeployService.ROLLOUT_DEADLINE))) {
            workloads.advance(Duration.ofSeconds(15));
            status = RolloutVerdict.judge(deployments.describeService("dev", "behind-clb"), deployment, revision.arn());
        }

        assertThat(status).isInstanceOf(RolloutStatus.Completed.class);
        // Default timing: tasks RUNNING 5 s after launch, old tasks drained 15 s later.
        assertThat(Duration.between(started, workloads.clock.instant())).isLessThan(Duration.ofMinutes(1));
        assertThat(workloads.describe("dev", "behind-clb").deployments()).singleElement()
                .satisfies(d -> assertThat(d.taskDefinition()).isEqualTo(revision.arn()));
    }

    @Test
    void aNewRevisionIsInvisibleToUpdateServiceAndRunTaskDuringTheConsistencyDelay() {
        workloads.ecs.seedService("dev", "api-dev", v1);
        workloads.ecs.consistencyDelay(Duration.ofSeconds(3));
        String fresh = workloads.register("api-dev", v2);

        assertThatThrownBy(() -> workloads.client.updateService(r -> r.cluster("dev").service("api-dev")
                .taskDefinition(fresh))).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("TaskDefinition not found");
        assertThatThrownBy(() -> workloads.client.runTask(r -> r.cluster("dev").taskDefinition(fresh)
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-1")))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("TaskDefinition not found");
        workloads.advance(Duration.ofSeconds(3));

        assertThat(workloads.client.updateService(r -> r.cluster("dev").service("api-dev").taskDefinition(fresh))
                .service().taskDefinition()).isEqualTo(fresh);
    }

    @Test
    void deckhandTreatsARevisionEcsDoesNotSeeYetAsTransient() {
        workloads.ecs.seedService("dev", "api-dev", v1);
        workloads.ecs.consistencyDelay(Duration.ofSeconds(3));
        String live = workloads.describe("dev", "api-dev").taskDefinition();
        TaskDefinitionRevision revision = deployments.registerRevision(live, null, v2, DEPLOYMENT);
        EcsMigrationTasks migrations = new EcsMigrationTasks(workloads.json, null);

        assertThatThrownBy(() -> deployments.updateService("dev", "api-dev", revision.arn()))
                .isInstanceOf(TransientAwsException.class).hasMessageContaining("eventually consistent");
        assertThatThrownBy(() -> migrations.start("dev", "api-dev", revision.arn(), "app", List.of("migrate"), "token-1"))
                .isInstanceOf(TransientAwsException.class).hasMessageContaining("eventually consistent");
        workloads.advance(Duration.ofSeconds(3));

        assertThat(migrations.start("dev", "api-dev", revision.arn(), "app", List.of("migrate"), "token-1")).isNotBlank();
        assertThat(deployments.updateService("dev", "api-dev", revision.arn())).isNotBlank();
    }

    // ECS Tag: "Do not use aws:, AWS:, or any upper or lowercase combination of such as a prefix for
    // either keys or values"; "Maximum number of tags per resource - 50".
    @Test
    void registerTaskDefinitionRefusesReservedPrefixesAndMoreThanFiftyTags() {
        for (Tag tag : List.of(tag("aws:cloudformation:stack-name", "web"), tag("AWS:Team", "web"),
                tag("team", "Aws:web"))) {
            assertThatThrownBy(() -> workloads.client.registerTaskDefinition(r -> r.family("api")
                    .containerDefinitions(ContainerDefinition.builder().name("app").image(v1).build()).tags(tag)))
                    .as(tag.toString()).isInstanceOf(InvalidParameterException.class).hasMessageContaining("aws:");
        }
        assertThatThrownBy(() -> workloads.client.registerTaskDefinition(r -> r.family("api")
                .containerDefinitions(ContainerDefinition.builder().name("app").image(v1).build()).tags(tags(51))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("50");
        workloads.client.registerTaskDefinition(r -> r.family("api")
                .containerDefinitions(ContainerDefinition.builder().name("app").image(v1).build()).tags(tags(50)));
    }

    @Test
    void theNewRevisionKeepsTheLiveTagsThatEcsAcceptsWithinFiftyWithDeckhandsOwn() {
        String live = workloads.client.registerTaskDefinition(r -> r.family("api-dev").networkMode("awsvpc")
                .requiresCompatibilitiesWithStrings("FARGATE").cpu("256").memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("app").image(v1).build())
                .tags(tags(50))).taskDefinition().taskDefinitionArn();
        workloads.ecs.tagAsAws(live, "aws:cloudformation:stack-name", "web-stack");

        TaskDefinitionRevision revision = deployments.registerRevision(live, null, v2, DEPLOYMENT);

        List<Tag> tags = workloads.client.describeTaskDefinition(r -> r.taskDefinition(revision.arn())
                .include(TaskDefinitionField.TAGS)).tags();
        Map<String, String> byKey = tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
        assertThat(tags).hasSize(50);
        assertThat(byKey).containsEntry("deckhand:deployment-id", DEPLOYMENT.value()).containsEntry("tag-1", "value-1")
                .doesNotContainKey("aws:cloudformation:stack-name");
    }

    /**
     * API_RegisterTaskDefinition, Request Parameters: Deckhand's registration copies every member of the live
     * revision that the request has (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html).
     * The members are the SDK model's own (RegisterTaskDefinitionRequest), so a member ECS adds fails here
     * until the copy's allow-list names it.
     */
    @Test
    void theNewRevisionCarriesEveryRegistrableMemberOfTheLiveOne() {
        String live = workloads.client.registerTaskDefinition(r -> r.family("full").taskRoleArn(ROLE + "task")
                .executionRoleArn(ROLE + "execution").networkMode("awsvpc").requiresCompatibilitiesWithStrings("EC2")
                .cpu("256").memory("512").pidMode("task").ipcMode("task").enableFaultInjection(true)
                .containerDefinitions(ContainerDefinition.builder().name("app").image(v1).essential(true).build(),
                        ContainerDefinition.builder().name("envoy").image("envoy:1").essential(false).build())
                .volumes(volume -> volume.name("scratch"))
                .placementConstraints(constraint -> constraint.type("memberOf")
                        .expression("attribute:ecs.instance-type =~ t3.*"))
                .proxyConfiguration(proxy -> proxy.type("APPMESH").containerName("envoy")
                        .properties(property -> property.name("IgnoredUID").value("1337")))
                .inferenceAccelerators(accelerator -> accelerator.deviceName("device1").deviceType("eia2.medium"))
                .ephemeralStorage(storage -> storage.sizeInGiB(30))
                .runtimePlatform(platform -> platform.cpuArchitecture("X86_64").operatingSystemFamily("LINUX")))
                .taskDefinition().taskDefinitionArn();

        TaskDefinitionRevision revision = deployments.registerRevision(live, "app", v2, DEPLOYMENT);

        TaskDefinition before = workloads.client.describeTaskDefinition(r -> r.taskDefinition(live)).taskDefinition();
        TaskDefinition after = workloads.client.describeTaskDefinition(r -> r.taskDefinition(revision.arn()))
                .taskDefinition();
        Map<String, SdkField<?>> described = before.sdkFields().stream()
                .collect(Collectors.toMap(SdkField::memberName, field -> field));
        for (SdkField<?> member : RegisterTaskDefinitionRequest.builder().build().sdkFields()) {
            if (member.memberName().equalsIgnoreCase("tags")) {
                continue; // answered beside the task definition (include TAGS): the test above
            }
            SdkField<?> field = described.get(member.memberName());
            assertThat(field).as(member.memberName() + " is described").isNotNull();
            Object value = field.getValueOrDefault(before);
            assertThat(value).as(member.memberName() + " is set in the live revision")
                    .isNotNull().isNotInstanceOf(SdkAutoConstructList.class);
            if (!member.memberName().equalsIgnoreCase("containerDefinitions")) {
                assertThat(field.getValueOrDefault(after)).as(member.memberName()).isEqualTo(value);
            }
        }
        assertThat(after.containerDefinitions()).extracting(ContainerDefinition::image).containsExactly(v2, "envoy:1");
        assertThat(after.containerDefinitions().get(1)).isEqualTo(before.containerDefinitions().get(1));
    }

    // API_DescribeTaskDefinition: a family names "the latest ACTIVE revision"; a full ARN names one
    // revision, INACTIVE ones included while a service references them.
    @Test
    void registersFromTheLiveRevisionWhenEveryRevisionOfTheFamilyIsInactive() {
        workloads.ecs.seedService("dev", "api-dev", v1);
        String live = workloads.describe("dev", "api-dev").taskDefinition();
        workloads.client.deregisterTaskDefinition(r -> r.taskDefinition(live));
        assertThatThrownBy(() -> workloads.client.describeTaskDefinition(r -> r.taskDefinition("api-dev")))
                .hasMessageContaining("Unable to describe task definition");

        TaskDefinitionRevision revision = deployments.registerRevision(live, null, v2, DEPLOYMENT);
        TaskDefinitionRevision again = deployments.registerRevision(live, null, v2, DEPLOYMENT);

        assertThat(revision.arn()).endsWith("task-definition/api-dev:2");
        assertThat(revision.reused()).isFalse();
        assertThat(again.arn()).isEqualTo(revision.arn());
        assertThat(again.reused()).isTrue();
        String deployment = deployments.updateService("dev", "api-dev", revision.arn());
        workloads.advance(Duration.ofSeconds(30));
        assertThat(RolloutVerdict.judge(deployments.describeService("dev", "api-dev"), deployment, revision.arn()))
                .isInstanceOf(RolloutStatus.Completed.class);
    }

    private void createService(String name, CreateServiceRequest.Builder request) {
        workloads.client.createCluster(r -> r.clusterName("dev"));
        String definition = workloads.register(name, v1);
        workloads.client.createService(request.taskDefinition(definition).build());
    }

    private static CreateServiceRequest.Builder create(String name) {
        return CreateServiceRequest.builder().cluster("dev").serviceName(name).desiredCount(1).launchType("FARGATE")
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-1")));
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static List<Tag> tags(int count) {
        List<Tag> tags = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            tags.add(tag("tag-" + i, "value-" + i));
        }
        return tags;
    }
}
