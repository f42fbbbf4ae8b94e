package dev.deckhand.aws;

import java.time.Instant;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import dev.deckhand.deploy.ContainerChoice;
import dev.deckhand.deploy.EcsDeployment;
import dev.deckhand.deploy.EcsDeployments;
import dev.deckhand.deploy.ServiceSnapshot;
import dev.deckhand.deploy.StrategyRequest;
import dev.deckhand.deploy.TaskDefinitionRevision;
import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.errors.DeploymentTargetNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.ServiceNotActiveException;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/** {@link EcsDeployments} over the AWS SDK's {@link EcsClient}. */
public final class SdkEcsDeployments implements EcsDeployments {

    /** Marks the revisions Deckhand registers, so a retried step finds its own revision. */
    static final String DEPLOYMENT_TAG = "deckhand:deployment-id";
    private static final int EVENTS_KEPT = 10;
    /** "Maximum number of tags per resource - 50" (ECS Tag). */
    static final int MAX_TAGS = 50;

    private final EcsClient ecs;

    public SdkEcsDeployments(EcsClient ecs) {
        this.ecs = ecs;
    }

    @Override
    public ServiceSnapshot describeService(String cluster, String service) {
        Service described = findService(cluster, service);
        List<EcsDeployment> deployments = described.deployments().stream().map(SdkEcsDeployments::deployment).toList();
        List<String> events = described.events().stream().limit(EVENTS_KEPT).map(ServiceEvent::message).toList();
        return new ServiceSnapshot(described.serviceArn(), described.status(), deployments, events,
                value(described.desiredCount()));
    }

    @Override
    public TaskDefinitionRevision registerRevision(String baseTaskDefinitionArn, String container, String imageUri,
            DeploymentId deploymentId) {
        DescribeTaskDefinitionResponse base = describeTaskDefinition(baseTaskDefinitionArn);
        TaskDefinition live = base.taskDefinition();
        String chosen = ContainerChoice.choose(live.containerDefinitions().stream().map(ContainerDefinition::name)
                .toList(), container, live.taskDefinitionArn());

        Optional<TaskDefinitionRevision> previous = revisionAlreadyRegistered(live.family(), chosen, imageUri, deploymentId);
        if (previous.isPresent()) {
            return previous.get();
        }
        List<ContainerDefinition> containers = live.containerDefinitions().stream()
                .map(definition -> definition.name().equals(chosen) ? definition.toBuilder().image(imageUri).build() : definition)
                .toList();
        List<Tag> tags = copiedTags(base.tags());
        tags.add(Tag.builder().key(DEPLOYMENT_TAG).value(deploymentId.value()).build());
        String arn = AwsCalls.call("RegisterTaskDefinition for family " + live.family(), () -> ecs.registerTaskDefinition(
                TaskDefinitionCopy.of(live).containerDefinitions(containers).tags(tags).build()))
                .taskDefinition().taskDefinitionArn();
        return new TaskDefinitionRevision(arn, chosen, false);
    }

    @Override
    public String updateService(String cluster, String service, String taskDefinitionArn, StrategyRequest strategy) {
        Service current = findService(cluster, service);
        Optional<Deployment> primary = primary(current);
        if (primary.isPresent() && primary.get().taskDefinition().equals(taskDefinitionArn)) {
            return primary.get().id();
        }
        Service updated = AwsCalls.callWithNewRevision("UpdateService " + cluster + "/" + service, taskDefinitionArn, () -> {
            try {
                return ecs.updateService(request -> {
                    request.cluster(cluster).service(service).taskDefinition(taskDefinitionArn);
                    if (strategy != null) {
                        request.deploymentConfiguration(StrategyConfiguration.of(current, strategy));
                        List<software.amazon.awssdk.services.ecs.model.LoadBalancer> balancers =
                                StrategyConfiguration.loadBalancers(current, strategy);
                        if (balancers != null) {
                            request.loadBalancers(balancers);
                        }
                    }
                }).service();
            } catch (ServiceNotFoundException | ServiceNotActiveException | ClusterNotFoundException e) {
                throw notFound(cluster, service, e.awsErrorDetails().errorCode());
            }
        });
        return primary(updated).map(Deployment::id).orElseThrow(() -> new IllegalStateException(
                "UpdateService answered without a PRIMARY deployment for " + cluster + "/" + service));
    }

    @Override
    public Optional<String> newestServiceDeployment(String cluster, String service, Instant notBefore) {
        // API_ListServiceDeployments: createdAt filters by when the service deployment was created; the
        // answer pages with nextToken (this SDK release has no paginator for it).
        List<ServiceDeploymentBrief> briefs = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            ListServiceDeploymentsResponse page = AwsCalls.call("ListServiceDeployments " + cluster + "/" + service,
                    () -> ecs.listServiceDeployments(request -> request.cluster(cluster).service(service)
                            .createdAt(range -> range.after(notBefore)).nextToken(next)));
            briefs.addAll(page.serviceDeployments());
            token = page.nextToken();
        } while (token != null);
        return briefs.stream().filter(brief -> brief.createdAt() != null)
                .max(java.util.Comparator.comparing(ServiceDeploymentBrief::createdAt))
                .map(ServiceDeploymentBrief::serviceDeploymentArn);
    }

    @Override
    public Optional<dev.deckhand.deploy.ServiceDeploymentState> serviceDeployment(String serviceDeploymentArn) {
        // API_DescribeServiceDeployments: up to 20 ARNs; an unknown one comes back in failures, not as an error.
        List<software.amazon.awssdk.services.ecs.model.ServiceDeployment> found = AwsCalls.call(
                "DescribeServiceDeployments " + serviceDeploymentArn,
                () -> ecs.describeServiceDeployments(request -> request.serviceDeploymentArns(serviceDeploymentArn)))
                .serviceDeployments();
        return found.stream().findFirst().map(deployment -> new dev.deckhand.deploy.ServiceDeploymentState(
                deployment.statusAsString(), deployment.statusReason(), deployment.lifecycleStageAsString(),
                deployment.rollback() == null ? null : deployment.rollback().reason(),
                deployment.targetServiceRevision() == null ? null : deployment.targetServiceRevision().arn()));
    }

    @Override
    public List<String> stoppedTasks(String cluster, String service, String ecsDeploymentId, int limit) {
        try {
            // API_ListTasks: startedBy "must be the only filter that you use", so list the service's
            // stopped tasks and keep those of this deployment: ECS starts a service deployment's
            // tasks with startedBy = the deployment id.
            List<String> arns = ecs.listTasksPaginator(request -> request.cluster(cluster).serviceName(service)
                    .desiredStatus(DesiredStatus.STOPPED)).taskArns().stream().toList();
            List<String> reasons = new ArrayList<>();
            // DescribeTasks takes at most 100 tasks per call.
            for (int from = 0; from < arns.size() && reasons.size() < limit; from += 100) {
                List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
                for (Task task : ecs.describeTasks(request -> request.cluster(cluster).tasks(batch)).tasks()) {
                    if (ecsDeploymentId.equals(task.startedBy()) && reasons.size() < limit) {
                        reasons.add(stoppedReason(task));
                    }
                }
            }
            return reasons;
        } catch (SdkException e) {
            // Diagnostics only: a failed look-up must not hide the rollout's own verdict.
            return List.of();
        }
    }

    private static String stoppedReason(Task task) {
        String containers = task.containers().stream()
                .map(container -> container.name() + (container.exitCode() == null ? " never ran"
                        : " exited " + container.exitCode())
                        + (container.reason() == null ? "" : " (" + container.reason() + ")"))
                .collect(Collectors.joining(", "));
        return containers + ": " + task.stoppedReason();
    }

    /**
     * The live revision's tags that a registration may carry, leaving room for Deckhand's own.
     * "Tagging your Amazon ECS resources" / the Tag type: at most 50 tags per resource, and
     * {@code aws:} (any case) is reserved as a prefix of keys and values, which ECS applies itself
     * and refuses from callers. Deckhand's own tags from an earlier deployment are replaced.
     */
    static List<Tag> copiedTags(List<Tag> live) {
        List<Tag> tags = new ArrayList<>();
        live.stream()
                .filter(tag -> !tag.key().startsWith("deckhand:"))
                .filter(tag -> !reserved(tag.key()) && !reserved(tag.value()))
                .limit(MAX_TAGS - 1)
                .forEach(tags::add);
        return tags;
    }

    private static boolean reserved(String text) {
        return text != null && text.regionMatches(true, 0, "aws:", 0, 4);
    }

    private Optional<TaskDefinitionRevision> revisionAlreadyRegistered(String family, String container, String imageUri,
            DeploymentId deploymentId) {
        // API_DescribeTaskDefinition: a family names its latest ACTIVE revision. When every revision
        // is INACTIVE there is none, and so no revision this deployment registered (it would be ACTIVE).
        Optional<DescribeTaskDefinitionResponse> latestActive = latestActiveRevision(family);
        if (latestActive.isEmpty()) {
            return Optional.empty();
        }
        DescribeTaskDefinitionResponse latest = latestActive.get();
        boolean ours = latest.tags().stream()
                .anyMatch(tag -> tag.key().equals(DEPLOYMENT_TAG) && tag.value().equals(deploymentId.value()));
        boolean sameImage = latest.taskDefinition().containerDefinitions().stream()
                .anyMatch(definition -> definition.name().equals(container) && imageUri.equals(definition.image()));
        return ours && sameImage
                ? Optional.of(new TaskDefinitionRevision(latest.taskDefinition().taskDefinitionArn(), container, true))
                : Optional.empty();
    }

    private DescribeTaskDefinitionResponse describeTaskDefinition(String taskDefinition) {
        return AwsCalls.call("DescribeTaskDefinition " + taskDefinition, () -> {
            try {
                return ecs.describeTaskDefinition(request ->
                        request.taskDefinition(taskDefinition).include(TaskDefinitionField.TAGS));
            } catch (ClientException e) {
                // ECS answers ClientException for a task definition that does not exist.
                throw new DeploymentTargetNotFoundException("task definition " + taskDefinition
                        + " cannot be described: " + e.awsErrorDetails().errorMessage());
            }
        });
    }

    private Optional<DescribeTaskDefinitionResponse> latestActiveRevision(String family) {
        return AwsCalls.call("DescribeTaskDefinition " + family, () -> {
            try {
                return Optional.of(ecs.describeTaskDefinition(request ->
                        request.taskDefinition(family).include(TaskDefinitionField.TAGS)));
            } catch (ClientException e) {
                // ECS answers ClientException when the family has no ACTIVE revision.
                return Optional.empty();
            }
        });
    }

    private Service findService(String cluster, String service) {
        DescribeServicesResponse response = AwsCalls.call("DescribeServices " + cluster + "/" + service, () -> {
            try {
                return ecs.describeServices(request -> request.cluster(cluster).services(service));
            } catch (ClusterNotFoundException e) {
                throw new DeploymentTargetNotFoundException("ECS cluster " + cluster + " not found");
            }
        });
        if (!response.hasServices() || response.services().isEmpty()) {
            String reasons = response.failures().stream().map(failure -> failure.reason()).collect(Collectors.joining(", "));
            throw notFound(cluster, service, reasons.isEmpty() ? "MISSING" : reasons);
        }
        return response.services().get(0);
    }

    private static DeploymentTargetNotFoundException notFound(String cluster, String service, String reason) {
        return new DeploymentTargetNotFoundException("ECS service " + service + " not found in cluster " + cluster
                + " (" + reason + ")");
    }

    private static Optional<Deployment> primary(Service service) {
        return service.deployments().stream().filter(deployment -> "PRIMARY".equals(deployment.status())).findFirst();
    }

    private static EcsDeployment deployment(Deployment deployment) {
        return new EcsDeployment(deployment.id(), deployment.taskDefinition(), deployment.status(),
                deployment.rolloutStateAsString(), deployment.rolloutStateReason(),
                value(deployment.desiredCount()), value(deployment.runningCount()), value(deployment.failedTasks()));
    }

    // API_DeregisterTaskDefinition: an INACTIVE revision cannot be the target of UpdateService, but
    // "INACTIVE task definitions remain discoverable", so its description is copied into a new one.
    @Override
    public TaskDefinitionRevision usableRevision(String taskDefinitionArn, DeploymentId deploymentId) {
        DescribeTaskDefinitionResponse described = describeTaskDefinition(taskDefinitionArn);
        TaskDefinition verified = described.taskDefinition();
        if (verified.status() != TaskDefinitionStatus.INACTIVE) {
            return new TaskDefinitionRevision(verified.taskDefinitionArn(), null, true);
        }
        DescribeTaskDefinitionResponse latest = describeTaskDefinition(verified.family());
        boolean ours = latest.tags().stream()
                .anyMatch(tag -> tag.key().equals(DEPLOYMENT_TAG) && tag.value().equals(deploymentId.value()));
        if (ours && latest.taskDefinition().containerDefinitions().equals(verified.containerDefinitions())) {
            return new TaskDefinitionRevision(latest.taskDefinition().taskDefinitionArn(), null, true);
        }
        List<Tag> tags = new ArrayList<>();
        described.tags().stream().filter(tag -> !tag.key().startsWith("deckhand:")).forEach(tags::add);
        tags.add(Tag.builder().key(DEPLOYMENT_TAG).value(deploymentId.value()).build());
        String arn = AwsCalls.call("RegisterTaskDefinition again for " + taskDefinitionArn, () ->
                ecs.registerTaskDefinition(TaskDefinitionCopy.of(verified).tags(tags).build()))
                .taskDefinition().taskDefinitionArn();
        return new TaskDefinitionRevision(arn, null, false);
    }

    private static int value(Integer number) {
        return number == null ? 0 : number;
    }
}
