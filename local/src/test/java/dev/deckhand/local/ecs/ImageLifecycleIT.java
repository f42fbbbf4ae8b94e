package dev.deckhand.local.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchDeleteImageResponse;
import software.amazon.awssdk.services.ecr.model.GetLifecyclePolicyResponse;
import software.amazon.awssdk.services.ecr.model.ImageFailureCode;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * Images leave ECR through BatchDeleteImage and lifecycle policies (evaluated on the local clock),
 * and a task that names a deleted image fails to start as ECS reports it: stop code
 * TaskFailedToStart (API_Task, stopCode) and a CannotPullContainerError "failed to resolve ref …
 * not found" reason (ECS developer guide, "Troubleshooting Amazon ECS CannotPullContainer errors").
 */
class ImageLifecycleIT {

    private Workloads workloads;
    private EcrClient ecr;

    @BeforeEach
    void start() throws Exception {
        workloads = new Workloads();
        ecr = workloads.harness.client(EcrClient.builder());
        workloads.client.createCluster(r -> r.clusterName("dev"));
    }

    @AfterEach
    void stop() {
        ecr.close();
        workloads.close();
    }

    @Test
    void aRunTaskWhoseImageWasDeletedFailsToPullWithTaskFailedToStart() {
        EcrImage image = workloads.push("api", "v1", ImageBehaviour.healthy());
        String definition = workloads.register("api", image.uri());

        // API_BatchDeleteImage: deleting by digest deletes the image and every tag on it.
        BatchDeleteImageResponse deleted = ecr.batchDeleteImage(r -> r.repositoryName("api")
                .imageIds(ImageIdentifier.builder().imageDigest(image.digest()).build()));
        assertThat(deleted.failures()).isEmpty();
        assertThat(deleted.imageIds()).extracting(ImageIdentifier::imageTag).contains("v1");
        assertThatThrownBy(() -> ecr.describeImages(r -> r.repositoryName("api")
                .imageIds(ImageIdentifier.builder().imageTag("v1").build())))
                .isInstanceOf(ImageNotFoundException.class);

        Task task = workloads.client.runTask(r -> r.cluster("dev").taskDefinition(definition).launchType("FARGATE")
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-1")))).tasks().get(0);
        workloads.advance(Duration.ofSeconds(10));
        Task stopped = workloads.client.describeTasks(r -> r.cluster("dev").tasks(task.taskArn())).tasks().get(0);

        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
        assertThat(stopped.stoppedReason()).isEqualTo("CannotPullContainerError: pull image manifest has been retried "
                + "7 time(s): failed to resolve ref " + image.uri() + ": not found");
        assertThat(stopped.containers().get(0).exitCode()).isNull();
        assertThat(stopped.containers().get(0).reason()).startsWith("CannotPullContainerError: ");
    }

    @Test
    void aServiceTaskStartedAfterItsImageWasDeletedFailsToPull() {
        EcrImage image = workloads.push("api", "v1", ImageBehaviour.healthy());
        workloads.ecs.seedService("dev", "api-dev", image.uri());
        ecr.batchDeleteImage(r -> r.repositoryName("api").imageIds(ImageIdentifier.builder().imageTag("v1").build()));

        // The running task keeps running until it is stopped; the scheduler's replacement must pull the
        // image and cannot.
        String running = workloads.client.listTasks(r -> r.cluster("dev").serviceName("api-dev")).taskArns().get(0);
        workloads.client.stopTask(r -> r.cluster("dev").task(running));
        workloads.advance(Duration.ofSeconds(10));

        List<String> stoppedArns = workloads.client.listTasks(r -> r.cluster("dev").serviceName("api-dev")
                .desiredStatus("STOPPED")).taskArns().stream().filter(arn -> !arn.equals(running)).toList();
        assertThat(stoppedArns).isNotEmpty();
        assertThat(workloads.client.describeTasks(r -> r.cluster("dev").tasks(stoppedArns)).tasks()).allSatisfy(task -> {
            assertThat(task.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
            assertThat(task.stoppedReason()).startsWith("CannotPullContainerError: ").endsWith(image.uri() + ": not found");
        });
    }

    @Test
    void aJavaCallDeletesAnImageForTests() {
        EcrImage image = workloads.push("api", "v1", ImageBehaviour.healthy());

        workloads.ecr.deleteImage("api", image.digest());

        assertThat(workloads.ecr.resolve(image.uri())).isEmpty();
        assertThat(ecr.listImages(r -> r.repositoryName("api")).imageIds()).isEmpty();
    }

    @Test
    void deletingByTagRemovesTheTagAndTheImageOnlyWithItsLastTag() {
        workloads.ecr.ensureRepository("api");
        EcrImage image = workloads.ecr.push("api", List.of("v1", "stable"), ImageBehaviour.healthy());

        ecr.batchDeleteImage(r -> r.repositoryName("api").imageIds(ImageIdentifier.builder().imageTag("v1").build()));
        assertThat(workloads.ecr.resolve(workloads.ecr.repositoryUri("api") + ":stable")).isPresent();
        assertThat(workloads.ecr.resolve(workloads.ecr.repositoryUri("api") + ":v1")).isEmpty();

        BatchDeleteImageResponse last = ecr.batchDeleteImage(r -> r.repositoryName("api").imageIds(
                ImageIdentifier.builder().imageTag("stable").build(), ImageIdentifier.builder().imageTag("never").build()));
        assertThat(workloads.ecr.resolve(image.uri())).isEmpty();
        // API_BatchDeleteImage: unknown identifiers are failures[] (API_ImageFailure, ImageNotFound), not an error.
        assertThat(last.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.failureCode()).isEqualTo(ImageFailureCode.IMAGE_NOT_FOUND);
            assertThat(failure.imageId().imageTag()).isEqualTo("never");
        });
    }

    @Test
    void anUntaggedExpiryRuleDeletesOldUntaggedImagesOnTheLocalClock() {
        workloads.ecr.ensureRepository("api");
        EcrImage old = workloads.ecr.push("api", List.of(), ImageBehaviour.healthy(), "build-1");
        EcrImage tagged = workloads.ecr.push("api", List.of("v1"), ImageBehaviour.healthy(), "build-2");
        workloads.advance(Duration.ofDays(2));
        EcrImage recent = workloads.ecr.push("api", List.of(), ImageBehaviour.healthy(), "build-3");

        // "Examples of lifecycle policies": expire untagged images older than N days (sinceImagePushed).
        ecr.putLifecyclePolicy(r -> r.repositoryName("api").lifecyclePolicyText("""
                {"rules": [{"rulePriority": 1, "description": "untagged older than 1 day",
                  "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days",
                                "countNumber": 1},
                  "action": {"type": "expire"}}]}"""));

        assertThat(workloads.ecr.resolve(old.uri())).isEmpty();
        assertThat(workloads.ecr.resolve(tagged.uri())).isPresent();
        assertThat(workloads.ecr.resolve(recent.uri())).isPresent();
        workloads.advance(Duration.ofDays(2));
        assertThat(workloads.ecr.resolve(recent.uri())).isEmpty();
        GetLifecyclePolicyResponse policy = ecr.getLifecyclePolicy(r -> r.repositoryName("api"));
        assertThat(policy.lifecyclePolicyText()).contains("untagged older than 1 day");
        assertThat(policy.lastEvaluatedAt()).isEqualTo(workloads.clock.instant());
    }

    @Test
    void aCountRuleKeepsTheNewestAndAHigherPriorityRuleProtectsWhatItMatches() {
        workloads.ecr.ensureRepository("api");
        for (int i = 1; i <= 4; i++) {
            workloads.ecr.push("api", List.of("release-" + i), ImageBehaviour.healthy());
            workloads.ecr.push("api", List.of("prod-" + i), ImageBehaviour.healthy());
            workloads.advance(Duration.ofMinutes(1));
        }

        // Rule 1 matches the prod- images and keeps 10: rule 2 ("any", keep 2) cannot expire them
        // ("An image that matches the tagging requirements of a higher priority rule cannot be expired
        // by a rule with a lower priority").
        ecr.putLifecyclePolicy(r -> r.repositoryName("api").lifecyclePolicyText("""
                {"rules": [
                  {"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["prod-"],
                     "countType": "imageCountMoreThan", "countNumber": 10}, "action": {"type": "expire"}},
                  {"rulePriority": 2, "selection": {"tagStatus": "any",
                     "countType": "imageCountMoreThan", "countNumber": 2}, "action": {"type": "expire"}}]}"""));

        List<String> left = ecr.listImages(r -> r.repositoryName("api")).imageIds().stream()
                .map(ImageIdentifier::imageTag).toList();
        assertThat(left).containsExactlyInAnyOrder("prod-1", "prod-2", "prod-3", "prod-4", "release-3", "release-4");
    }

    @Test
    void anInvalidPolicyIsRefusedAndAMissingOneIsNotFound() {
        workloads.ecr.ensureRepository("api");
        assertThatThrownBy(() -> ecr.getLifecyclePolicy(r -> r.repositoryName("api")))
                .isInstanceOf(LifecyclePolicyNotFoundException.class);
        // "Lifecycle policy properties": tagged needs a tagPrefixList or tagPatternList.
        assertThatThrownBy(() -> ecr.putLifecyclePolicy(r -> r.repositoryName("api").lifecyclePolicyText("""
                {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "tagged",
                   "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}""")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Lifecycle policy validation failure: a 'tagged' rule needs a tagPrefixList");
        // A rule with tagStatus "any" must have the highest rulePriority.
        assertThatThrownBy(() -> ecr.putLifecyclePolicy(r -> r.repositoryName("api").lifecyclePolicyText("""
                {"rules": [
                  {"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan",
                     "countNumber": 1}, "action": {"type": "expire"}},
                  {"rulePriority": 2, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan",
                     "countNumber": 1}, "action": {"type": "expire"}}]}""")))
                .hasMessageContaining("must have the highest rulePriority");
        ecr.putLifecyclePolicy(r -> r.repositoryName("api").lifecyclePolicyText("""
                {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan",
                   "countNumber": 1}, "action": {"type": "expire"}}]}"""));
        ecr.deleteLifecyclePolicy(r -> r.repositoryName("api"));
        assertThatThrownBy(() -> ecr.getLifecyclePolicy(r -> r.repositoryName("api")))
                .isInstanceOf(LifecyclePolicyNotFoundException.class);
    }
}
