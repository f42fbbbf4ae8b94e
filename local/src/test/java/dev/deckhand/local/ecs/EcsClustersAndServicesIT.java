package dev.deckhand.local.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.local.ecr.ImageBehaviour;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Cluster;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceNotActiveException;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;

// Errors as the ECS API reference lists them for CreateCluster, DescribeClusters, CreateService,
// DescribeServices, UpdateService and DeleteService.
class EcsClustersAndServicesIT {

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
    void createClusterIsIdempotentAndDescribeClustersReportsUnknownOnesAsMissing() {
        Cluster created = workloads.client.createCluster(r -> r.clusterName("dev")).cluster();
        workloads.client.createCluster(r -> r.clusterName("dev"));

        var response = workloads.client.describeClusters(r -> r.clusters("dev", "prod"));

        assertThat(created.clusterArn()).isEqualTo("arn:aws:ecs:us-east-1:" + Workloads.ACCOUNT + ":cluster/dev");
        assertThat(response.clusters()).extracting(Cluster::clusterName).containsExactly("dev");
        assertThat(response.failures()).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("MISSING");
            assertThat(f.arn()).endsWith(":cluster/prod");
        });
    }

    @Test
    void createServiceStartsTheFirstDeploymentAndCompletesIt() {
        workloads.client.createCluster(r -> r.clusterName("dev"));

        Service created = workloads.client.createService(create("api-dev")).service();
        workloads.advance(Duration.ofSeconds(20));

        assertThat(created.deployments()).singleElement()
                .satisfies(d -> assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS));
        Service steady = workloads.describe("dev", "api-dev");
        assertThat(steady.runningCount()).isEqualTo(1);
        assertThat(steady.deployments()).singleElement()
                .satisfies(d -> assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED));
        assertThat(workloads.describe("dev", steady.serviceArn()).serviceName()).isEqualTo("api-dev");
    }

    @Test
    void serviceOperationsOnAnUnknownClusterFailWithClusterNotFound() {
        assertThatThrownBy(() -> workloads.client.createService(create("api-dev")))
                .isInstanceOf(ClusterNotFoundException.class).hasMessageContaining("Cluster not found.");
        assertThatThrownBy(() -> workloads.client.describeServices(r -> r.cluster("dev").services("api-dev")))
                .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> workloads.client.runTask(r -> r.cluster("dev").taskDefinition(definition)))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    @Test
    void updatingAnUnknownServiceFailsWithServiceNotFound() {
        workloads.client.createCluster(r -> r.clusterName("dev"));

        assertThatThrownBy(() -> workloads.client.updateService(r -> r.cluster("dev").service("ghost")
                .forceNewDeployment(true)))
                .isInstanceOf(ServiceNotFoundException.class).hasMessageContaining("Service not found.");
    }

    @Test
    void describeServicesReportsUnknownServicesAsMissing() {
        workloads.ecs.seedService("dev", "api-dev", Workloads.REGISTRY + "/api:v1");

        DescribeServicesResponse response = workloads.client.describeServices(r -> r.cluster("dev")
                .services("api-dev", "ghost"));

        assertThat(response.services()).extracting(Service::serviceName).containsExactly("api-dev");
        assertThat(response.failures()).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo("MISSING");
            assertThat(f.arn()).endsWith(":service/dev/ghost");
        });
    }

    @Test
    void creatingAServiceTwiceIsNotIdempotent() {
        workloads.client.createCluster(r -> r.clusterName("dev"));
        workloads.client.createService(create("api-dev"));

        assertThatThrownBy(() -> workloads.client.createService(create("api-dev")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Creation of service was not idempotent.");
    }

    @Test
    void servicesNeedAnActiveTaskDefinitionAndNetworkConfiguration() {
        workloads.client.createCluster(r -> r.clusterName("dev"));
        workloads.client.deregisterTaskDefinition(r -> r.taskDefinition(definition));

        assertThatThrownBy(() -> workloads.client.createService(create("api-dev")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("TaskDefinition is inactive");
        assertThatThrownBy(() -> workloads.client.createService(create("api-dev").toBuilder()
                .taskDefinition("ghost").build()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("TaskDefinition not found.");
        String active = workloads.register("api", Workloads.REGISTRY + "/api:v1");
        assertThatThrownBy(() -> workloads.client.createService(r -> r.cluster("dev").serviceName("api-dev")
                .taskDefinition(active).desiredCount(1)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Network Configuration must be provided");
    }

    @Test
    void deletedServiceIsNotActiveAnyMore() {
        workloads.ecs.seedService("dev", "api-dev", Workloads.REGISTRY + "/api:v1");

        assertThatThrownBy(() -> workloads.client.deleteService(r -> r.cluster("dev").service("api-dev")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("cannot be stopped while it is scaled above 0");
        Service deleted = workloads.client.deleteService(r -> r.cluster("dev").service("api-dev").force(true)).service();

        assertThat(deleted.status()).isEqualTo("DRAINING");
        assertThatThrownBy(() -> workloads.client.updateService(r -> r.cluster("dev").service("api-dev")
                .forceNewDeployment(true)))
                .isInstanceOf(ServiceNotActiveException.class).hasMessageContaining("Service was not ACTIVE.");
        workloads.advance(Duration.ofSeconds(5));
        assertThat(workloads.describe("dev", "api-dev").status()).isEqualTo("INACTIVE");
    }

    @Test
    void operationsTheLocalCloudDoesNotSimulateAreRejectedByName() {
        assertThatThrownBy(() -> workloads.client.listContainerInstances())
                .isInstanceOf(EcsException.class)
                .hasMessageContaining("Operation ListContainerInstances is not supported by the Deckhand local cloud");
    }

    @Test
    void clustersAndServicesCanBeNamedByArn() {
        var seeded = workloads.ecs.seedService("dev", "api-dev", Workloads.REGISTRY + "/api:v1");

        Service service = workloads.client.describeServices(r -> r.cluster(seeded.clusterArn())
                .services(seeded.serviceArn())).services().get(0);

        assertThat(service.serviceName()).isEqualTo("api-dev");
        assertThat(service.clusterArn()).isEqualTo(seeded.clusterArn());
    }

    private CreateServiceRequest create(String name) {
        return CreateServiceRequest.builder().cluster("dev").serviceName(name).taskDefinition(definition)
                .desiredCount(1).launchType("FARGATE")
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-1")))
                .deploymentConfiguration(c -> c.deploymentCircuitBreaker(b -> b.enable(true).rollback(true)))
                .build();
    }
}
