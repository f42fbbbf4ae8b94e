package dev.deckhand.local.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.local.ecr.ImageBehaviour;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.ListServicesResponse;

/** ListClusters and ListServices as the ECS API reference defines them, through the real EcsClient. */
class EcsListOperationsIT {

    private Workloads workloads;
    private String definition;

    @BeforeEach
    void start() throws Exception {
        workloads = new Workloads();
        definition = workloads.register("api", workloads.push("api", "v1", ImageBehaviour.healthy()).uri());
    }

    @AfterEach
    void stop() {
        workloads.close();
    }

    @Test
    void listClustersNamesEveryClusterByArn() {
        workloads.client.createCluster(r -> r.clusterName("dev"));
        workloads.client.createCluster(r -> r.clusterName("prod"));

        // API_ListClusters: clusterArns; maxResults 1-100, paged with nextToken.
        assertThat(workloads.client.listClusters().clusterArns()).containsExactly(
                "arn:aws:ecs:us-east-1:" + Workloads.ACCOUNT + ":cluster/dev",
                "arn:aws:ecs:us-east-1:" + Workloads.ACCOUNT + ":cluster/prod");
        var first = workloads.client.listClusters(r -> r.maxResults(1));
        assertThat(first.clusterArns()).singleElement().asString().endsWith("cluster/dev");
        assertThat(workloads.client.listClusters(r -> r.maxResults(1).nextToken(first.nextToken())).clusterArns())
                .singleElement().asString().endsWith("cluster/prod");
    }

    @Test
    void listServicesPagesTenAtATimeUnlessAskedAndLeavesDeletedServicesOut() {
        workloads.client.createCluster(r -> r.clusterName("dev"));
        for (int i = 0; i < 12; i++) {
            String name = "svc-%02d".formatted(i);
            workloads.client.createService(r -> r.cluster("dev").serviceName(name).taskDefinition(definition)
                    .desiredCount(1).launchType(LaunchType.FARGATE)
                    .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-1"))));
        }
        workloads.client.deleteService(r -> r.cluster("dev").service("svc-11").force(true));
        workloads.advance(Duration.ofMinutes(1));

        // API_ListServices: "If this parameter isn't used, then ListServices returns up to 10 results
        // and a nextToken value if applicable"; maxResults "can be between 1 and 100".
        ListServicesResponse first = workloads.client.listServices(r -> r.cluster("dev"));
        ListServicesResponse second = workloads.client.listServices(r -> r.cluster("dev").nextToken(first.nextToken()));
        List<String> all = new ArrayList<>(first.serviceArns());
        all.addAll(second.serviceArns());

        assertThat(first.serviceArns()).hasSize(10);
        assertThat(second.nextToken()).isNull();
        assertThat(all).hasSize(11).doesNotHaveDuplicates().allMatch(arn -> arn.contains(":service/dev/svc-"))
                .noneMatch(arn -> arn.endsWith("svc-11"));
        assertThat(workloads.client.listServicesPaginator(r -> r.cluster("dev").maxResults(4)).serviceArns()).hasSize(11);
        assertThat(workloads.client.listServices(r -> r.cluster("dev").launchType(LaunchType.EC2)).serviceArns()).isEmpty();
    }

    @Test
    void listServicesOfAnUnknownClusterOrWithAnOutOfRangePageIsRefused() {
        workloads.client.createCluster(r -> r.clusterName("dev"));

        assertThatThrownBy(() -> workloads.client.listServices(r -> r.cluster("staging")))
                .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> workloads.client.listServices(r -> r.cluster("dev").maxResults(101)))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> workloads.client.listServices(r -> r.cluster("dev").nextToken("%%")))
                .isInstanceOf(InvalidParameterException.class);
    }
}
