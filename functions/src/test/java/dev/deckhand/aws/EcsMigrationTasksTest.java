package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.errors.DeploymentTargetNotFoundException;
import dev.deckhand.migrate.ContainerSnapshot;
import dev.deckhand.migrate.TaskSnapshot;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EcsMigrationTasks}' RunTask and DescribeTasks as ECS's wire JSON, against a loopback service.
 * API_RunTask (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html), Request Syntax:
 * capacityProviderStrategy, clientToken, cluster, count, launchType ("If a capacityProviderStrategy is
 * specified, the launchType parameter must be omitted"), networkConfiguration, overrides.containerOverrides[]
 * (name, command), platformVersion, startedBy, tags, taskDefinition; answer tasks[] and failures[] (arn, reason).
 * API_DescribeTasks: tasks[].containers[] with exitCode (absent until the container has exited).
 */
class EcsMigrationTasksTest {

    private static final String REVISION = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7";
    private static final String NETWORK = "{\"awsvpcConfiguration\":{\"subnets\":[\"subnet-1\"],"
            + "\"securityGroups\":[\"sg-1\"],\"assignPublicIp\":\"DISABLED\"}}";

    private final LoopbackAwsService ecs = new LoopbackAwsService();
    private final EcsMigrationTasks tasks = new EcsMigrationTasks(ecs.clients().ecs(), ecs.clients().logs());

    @AfterEach
    void stop() {
        ecs.close();
    }

    @Test
    void runsTheTaskTheWayTheServiceRunsItsOwnWithDeckhandsMarks() {
        ecs.answer(200, "{\"services\":[{\"serviceName\":\"web\",\"launchType\":\"FARGATE\",\"platformVersion\":\"1.4.0\","
                + "\"networkConfiguration\":" + NETWORK + "}]}");
        ecs.answer(200, "{\"tasks\":[{\"taskArn\":\"arn:aws:ecs:eu-west-1:123456789012:task/dev/abc\"}],\"failures\":[]}");

        String task = tasks.start("dev", "web", REVISION, "web", List.of("bin/migrate", "up"), "token-1");

        assertThat(task).isEqualTo("arn:aws:ecs:eu-west-1:123456789012:task/dev/abc");
        LoopbackAwsService.Request run = ecs.requests().get(1);
        assertThat(run.target()).isEqualTo("AmazonEC2ContainerServiceV20141113.RunTask");
        assertThat(run.body()).isEqualTo("{\"cluster\":\"dev\",\"taskDefinition\":\"" + REVISION + "\",\"count\":1,"
                + "\"startedBy\":\"deckhand\",\"clientToken\":\"token-1\","
                + "\"tags\":[{\"key\":\"deckhand:task\",\"value\":\"migration\"}],\"networkConfiguration\":" + NETWORK
                + ",\"overrides\":{\"containerOverrides\":[{\"name\":\"web\",\"command\":[\"bin/migrate\",\"up\"]}]},"
                + "\"launchType\":\"FARGATE\",\"platformVersion\":\"1.4.0\"}");
    }

    @Test
    void aServiceOnCapacityProvidersRunsItsTaskThereWithoutALaunchTypeAndNothingUnsetIsSent() {
        ecs.answer(200, "{\"services\":[{\"serviceName\":\"web\",\"launchType\":null,"
                + "\"capacityProviderStrategy\":[{\"capacityProvider\":\"FARGATE_SPOT\",\"weight\":1,\"base\":0}]}]}");
        ecs.answer(200, "{\"tasks\":[{\"taskArn\":\"arn:aws:ecs:eu-west-1:123456789012:task/dev/abc\"}]}");

        tasks.start("dev", "web", REVISION, "web", List.of("migrate"), null);

        JsonNode run = ecs.requests().get(1).json();
        assertThat(run.path("capacityProviderStrategy").toString())
                .isEqualTo("[{\"capacityProvider\":\"FARGATE_SPOT\",\"weight\":1,\"base\":0}]");
        assertThat(run.has("launchType")).isFalse();
        assertThat(run.has("clientToken")).isFalse();
        assertThat(run.has("networkConfiguration")).isFalse();
        assertThat(run.has("platformVersion")).isFalse();
    }

    @Test
    void aTaskEcsCouldNotPlaceIsReportedWithEcsReasons() {
        ecs.answer(200, "{\"services\":[{\"serviceName\":\"web\",\"launchType\":\"EC2\"}]}");
        ecs.answer(200, "{\"tasks\":[],\"failures\":[{\"arn\":\"arn:aws:ecs:eu-west-1:123456789012:container-instance/1\","
                + "\"reason\":\"RESOURCE:MEMORY\"}]}");

        assertThatThrownBy(() -> tasks.start("dev", "web", REVISION, "web", List.of("migrate"), "token-1"))
                .isInstanceOf(DeploymentTargetNotFoundException.class)
                .hasMessage("ECS could not start the migration task "
                        + "(arn:aws:ecs:eu-west-1:123456789012:container-instance/1: RESOURCE:MEMORY)");
    }

    @Test
    void describesATaskWithItsContainersExitCodesWhereThereAreAny() {
        ecs.answer(200, """
                {"tasks":[{"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/dev/abc","lastStatus":"STOPPED",
                  "stopCode":"EssentialContainerExited","stoppedReason":"Essential container in task exited",
                  "stoppedAt":1795428001.5,
                  "containers":[{"name":"web","lastStatus":"STOPPED","exitCode":3,"reason":"migration failed"},
                                {"name":"envoy","lastStatus":"STOPPED"}]}],"failures":[]}""");

        TaskSnapshot task = tasks.describe("dev", "arn:aws:ecs:eu-west-1:123456789012:task/dev/abc");

        assertThat(task).isEqualTo(new TaskSnapshot("arn:aws:ecs:eu-west-1:123456789012:task/dev/abc", "STOPPED",
                "EssentialContainerExited", "Essential container in task exited", List.of(
                        new ContainerSnapshot("web", "STOPPED", 3, "migration failed"),
                        new ContainerSnapshot("envoy", "STOPPED", null, null))));
        assertThat(ecs.requests().get(0).body())
                .isEqualTo("{\"cluster\":\"dev\",\"tasks\":[\"arn:aws:ecs:eu-west-1:123456789012:task/dev/abc\"]}");
    }
}
