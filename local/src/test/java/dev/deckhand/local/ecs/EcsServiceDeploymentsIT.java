package dev.deckhand.local.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.local.ecr.ImageBehaviour;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;

// Service deployments per "View service history using Amazon ECS service deployments" and the API
// reference for ListServiceDeployments, DescribeServiceDeployments and Rollback.
class EcsServiceDeploymentsIT {

    private Workloads workloads;
    private String firstRevision;

    @BeforeEach
    void start() throws Exception {
        workloads = new Workloads();
        workloads.ecs.seedService("dev", "api-dev", workloads.push("api", "v1", ImageBehaviour.healthy()).uri());
        firstRevision = list().get(0).targetServiceRevisionArn();
    }

    @AfterEach
    void stop() {
        workloads.close();
    }

    @Test
    void successfulDeploymentMovesFromTheRunningRevisionToANewOne() {
        deploy(ImageBehaviour.healthy(), "v2");
        assertThat(list().get(0).status()).isEqualTo(ServiceDeploymentStatus.IN_PROGRESS);

        workloads.advance(Duration.ofSeconds(20));

        List<ServiceDeploymentBrief> briefs = list();
        assertThat(briefs).extracting(ServiceDeploymentBrief::status)
                .containsExactly(ServiceDeploymentStatus.SUCCESSFUL, ServiceDeploymentStatus.SUCCESSFUL);
        ServiceDeployment latest = describe(briefs.get(0).serviceDeploymentArn());
        assertThat(latest.serviceDeploymentArn())
                .matches("arn:aws:ecs:us-east-1:" + Workloads.ACCOUNT + ":service-deployment/dev/api-dev/\\d{19}");
        assertThat(latest.sourceServiceRevisions()).singleElement()
                .satisfies(r -> assertThat(r.arn()).isEqualTo(firstRevision));
        assertThat(latest.targetServiceRevision().arn()).isNotEqualTo(firstRevision)
                .matches("arn:aws:ecs:us-east-1:" + Workloads.ACCOUNT + ":service-revision/dev/api-dev/\\d{19}");
        assertThat(latest.targetServiceRevision().runningTaskCount()).isEqualTo(1);
        assertThat(latest.finishedAt()).isEqualTo(Instant.parse("2026-11-23T10:00:20Z"));
        assertThat(latest.deploymentCircuitBreaker().statusAsString()).isEqualTo("MONITORING_COMPLETE");
    }

    @Test
    void circuitBreakerRollbackIsPartOfTheSameServiceDeployment() {
        deploy(ImageBehaviour.crashOnStart(), "v2");
        workloads.advance(Duration.ofSeconds(18));

        ServiceDeployment rollingBack = describe(list().get(0).serviceDeploymentArn());
        assertThat(rollingBack.status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_IN_PROGRESS);
        assertThat(rollingBack.rollback().serviceRevisionArn()).isEqualTo(firstRevision);
        assertThat(rollingBack.rollback().startedAt()).isEqualTo(Instant.parse("2026-11-23T10:00:18Z"));
        assertThat(rollingBack.deploymentCircuitBreaker().statusAsString()).isEqualTo("TRIGGERED");
        assertThat(rollingBack.deploymentCircuitBreaker().failureCount()).isEqualTo(3);
        assertThat(rollingBack.deploymentCircuitBreaker().threshold()).isEqualTo(3);

        workloads.advance(Duration.ofSeconds(20));

        assertThat(list()).hasSize(2);
        assertThat(list().get(0).status()).isEqualTo(ServiceDeploymentStatus.ROLLBACK_SUCCESSFUL);
    }

    @Test
    void failureWithoutRollbackStopsTheServiceDeployment() {
        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").deploymentConfiguration(
                c -> c.deploymentCircuitBreaker(b -> b.enable(true).rollback(false))));
        deploy(ImageBehaviour.crashOnStart(), "v2");
        workloads.advance(Duration.ofSeconds(18));

        ServiceDeploymentBrief failed = list().get(0);
        assertThat(failed.status()).isEqualTo(ServiceDeploymentStatus.STOPPED);
        assertThat(failed.statusReason()).isEqualTo("ECS deployment circuit breaker: task failed to start.");
    }

    @Test
    void newerDeploymentStopsTheOngoingOneAndStatusFilterSelects() {
        deploy(ImageBehaviour.healthy(), "v2");
        deploy(ImageBehaviour.healthy(), "v3");

        assertThat(list()).extracting(ServiceDeploymentBrief::status).containsExactly(
                ServiceDeploymentStatus.IN_PROGRESS, ServiceDeploymentStatus.STOPPED, ServiceDeploymentStatus.SUCCESSFUL);
        assertThat(workloads.client.listServiceDeployments(r -> r.cluster("dev").service("api-dev")
                .status(ServiceDeploymentStatus.STOPPED)).serviceDeployments()).hasSize(1);
    }

    @Test
    void unknownServiceDeploymentIsMissingAndUnknownServiceIsNotFound() {
        String arn = "arn:aws:ecs:us-east-1:" + Workloads.ACCOUNT + ":service-deployment/dev/api-dev/1";

        var response = workloads.client.describeServiceDeployments(r -> r.serviceDeploymentArns(arn));

        assertThat(response.serviceDeployments()).isEmpty();
        assertThat(response.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).isEqualTo(arn);
            assertThat(f.reason()).isEqualTo("MISSING");
        });
        assertThatThrownBy(() -> workloads.client.listServiceDeployments(r -> r.cluster("dev").service("ghost")))
                .isInstanceOf(ServiceNotFoundException.class);
    }

    private void deploy(ImageBehaviour behaviour, String tag) {
        String arn = workloads.register("api-dev", workloads.push("api", tag, behaviour).uri());
        workloads.client.updateService(r -> r.cluster("dev").service("api-dev").taskDefinition(arn));
    }

    private List<ServiceDeploymentBrief> list() {
        return workloads.client.listServiceDeployments(r -> r.cluster("dev").service("api-dev")).serviceDeployments();
    }

    private ServiceDeployment describe(String arn) {
        return workloads.client.describeServiceDeployments(r -> r.serviceDeploymentArns(arn)).serviceDeployments().get(0);
    }
}
