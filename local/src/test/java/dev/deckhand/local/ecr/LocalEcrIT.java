package dev.deckhand.local.ecr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.testing.AwsJsonHarness;
import dev.deckhand.local.testing.ManualClock;
import dev.deckhand.local.testing.RecordedEvents;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchGetImageResponse;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageFailureCode;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.TagStatus;

class LocalEcrIT {

    private static final String ACCOUNT = "123456789012";
    private static final String REGISTRY = ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com";

    private final ManualClock clock = ManualClock.startingAt("2026-11-23T10:00:00Z");
    private final RecordedEvents events = new RecordedEvents();
    private final LocalEcr ecr = new LocalEcr("us-east-1", ACCOUNT, clock, events);
    private AwsJsonHarness harness;
    private EcrClient client;

    @BeforeEach
    void start() throws Exception {
        harness = AwsJsonHarness.start(ecr);
        client = harness.client(EcrClient.builder());
    }

    @AfterEach
    void stop() {
        client.close();
        harness.close();
    }

    @Test
    void createRepositoryAnswersItsUriAndArn() {
        Repository repository = client.createRepository(r -> r.repositoryName("team/api")).repository();

        assertThat(repository.repositoryUri()).isEqualTo(REGISTRY + "/team/api");
        assertThat(repository.repositoryArn()).isEqualTo("arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/team/api");
        assertThat(repository.registryId()).isEqualTo(ACCOUNT);
        assertThat(repository.createdAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(client.describeRepositories(r -> r.repositoryNames("team/api")).repositories())
                .extracting(Repository::repositoryName).containsExactly("team/api");
    }

    @Test
    void creatingAnExistingRepositoryFailsWithRepositoryAlreadyExists() {
        client.createRepository(r -> r.repositoryName("api"));

        assertThatThrownBy(() -> client.createRepository(r -> r.repositoryName("api")))
                .isInstanceOf(RepositoryAlreadyExistsException.class)
                .hasMessageContaining("The repository with name 'api' already exists");
    }

    @Test
    void describingAMissingRepositoryFailsWithRepositoryNotFound() {
        assertThatThrownBy(() -> client.describeRepositories(r -> r.repositoryNames("nope")))
                .isInstanceOf(RepositoryNotFoundException.class)
                .hasMessageContaining("The repository with name 'nope' does not exist");
        assertThatThrownBy(() -> client.describeImages(r -> r.repositoryName("nope")))
                .isInstanceOf(RepositoryNotFoundException.class);
    }

    @Test
    void pushEmitsOneImageActionEventPerTagShapedAsEcrDocuments() {
        ecr.ensureRepository("api");

        EcrImage image = ecr.push("api", List.of("v1", "latest"), ImageBehaviour.healthy());

        // Shape from "Amazon ECR events and EventBridge", "Event for a completed image push".
        List<ObjectNode> pushes = events.ofType("ECR Image Action");
        assertThat(pushes).hasSize(2);
        assertThat(pushes).extracting(e -> e.path("detail").path("image-tag").asText()).containsExactly("v1", "latest");
        ObjectNode first = pushes.get(0);
        assertThat(first.path("version").asText()).isEqualTo("0");
        assertThat(first.path("source").asText()).isEqualTo("aws.ecr");
        assertThat(first.path("account").asText()).isEqualTo(ACCOUNT);
        assertThat(first.path("region").asText()).isEqualTo("us-east-1");
        assertThat(first.path("time").asText()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(first.path("resources").isArray()).isTrue();
        assertThat(first.path("resources")).isEmpty();
        assertThat(first.path("id").asText()).isNotEqualTo(pushes.get(1).path("id").asText());
        assertThat(first.path("detail").path("result").asText()).isEqualTo("SUCCESS");
        assertThat(first.path("detail").path("action-type").asText()).isEqualTo("PUSH");
        assertThat(first.path("detail").path("repository-name").asText()).isEqualTo("api");
        assertThat(first.path("detail").path("image-digest").asText()).isEqualTo(image.digest());
    }

    @Test
    void pushingTheSameContentAgainGivesTheSameDigestAndNoEventForUnchangedTags() {
        ecr.ensureRepository("api");
        EcrImage first = ecr.push("api", List.of("v1"), ImageBehaviour.healthy());
        EcrImage again = ecr.push("api", List.of("v1"), ImageBehaviour.healthy());
        EcrImage other = ecr.push("api", List.of("v2"), ImageBehaviour.healthy());

        assertThat(again.digest()).isEqualTo(first.digest()).matches("sha256:[0-9a-f]{64}");
        assertThat(other.digest()).isNotEqualTo(first.digest());
        assertThat(first.uri()).isEqualTo(REGISTRY + "/api@" + first.digest());
        assertThat(events.ofType("ECR Image Action")).hasSize(2);
    }

    @Test
    void batchGetImageReturnsTheManifestWhoseSha256IsTheDigest() throws Exception {
        ecr.ensureRepository("api");
        EcrImage image = ecr.push("api", List.of("v1"), ImageBehaviour.migrationExit(3));

        BatchGetImageResponse response = client.batchGetImage(r -> r.repositoryName("api")
                .imageIds(ImageIdentifier.builder().imageTag("v1").build(),
                        ImageIdentifier.builder().imageTag("v9").build()));

        assertThat(response.images()).hasSize(1);
        String manifest = response.images().get(0).imageManifest();
        String sha = "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(manifest.getBytes(StandardCharsets.UTF_8)));
        assertThat(sha).isEqualTo(image.digest());
        assertThat(response.images().get(0).imageId().imageDigest()).isEqualTo(image.digest());
        assertThat(response.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.failureCode()).isEqualTo(ImageFailureCode.IMAGE_NOT_FOUND);
            assertThat(failure.imageId().imageTag()).isEqualTo("v9");
        });
    }

    @Test
    void describeImagesShowsTagsMovingToTheNewestPush() {
        ecr.ensureRepository("api");
        EcrImage v1 = ecr.push("api", List.of("v1", "latest"), ImageBehaviour.healthy());
        clock.advance(Duration.ofMinutes(5));
        EcrImage v2 = ecr.push("api", List.of("v2", "latest"), ImageBehaviour.unhealthy());

        List<ImageDetail> details = client.describeImages(r -> r.repositoryName("api")).imageDetails();

        assertThat(details).hasSize(2);
        assertThat(details).filteredOn(d -> d.imageDigest().equals(v1.digest())).singleElement()
                .satisfies(d -> assertThat(d.imageTags()).containsExactly("v1"));
        assertThat(details).filteredOn(d -> d.imageDigest().equals(v2.digest())).singleElement()
                .satisfies(d -> {
                    assertThat(d.imageTags()).containsExactlyInAnyOrder("v2", "latest");
                    assertThat(d.imagePushedAt()).isEqualTo(Instant.parse("2026-11-23T10:05:00Z"));
                });
        assertThat(client.describeImages(r -> r.repositoryName("api").imageIds(
                ImageIdentifier.builder().imageTag("latest").build())).imageDetails())
                .extracting(ImageDetail::imageDigest).containsExactly(v2.digest());
    }

    @Test
    void describeImagesOfAnUnknownTagFailsWithImageNotFound() {
        ecr.ensureRepository("api");

        assertThatThrownBy(() -> client.describeImages(r -> r.repositoryName("api")
                .imageIds(ImageIdentifier.builder().imageTag("v9").build())))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessageContaining("does not exist within the repository with name 'api'");
    }

    @Test
    void describeImagesFiltersUntaggedImages() {
        ecr.ensureRepository("api");
        EcrImage old = ecr.push("api", List.of("latest"), ImageBehaviour.healthy(), "build-1");
        ecr.push("api", List.of("latest"), ImageBehaviour.healthy(), "build-2");

        assertThat(client.describeImages(r -> r.repositoryName("api")
                .filter(f -> f.tagStatus(TagStatus.UNTAGGED))).imageDetails())
                .extracting(ImageDetail::imageDigest).containsExactly(old.digest());
    }

    @Test
    void listImagesNamesEveryTagAndUntaggedImage() {
        ecr.ensureRepository("api");
        EcrImage old = ecr.push("api", List.of("latest"), ImageBehaviour.healthy(), "build-1");
        EcrImage current = ecr.push("api", List.of("v2", "latest"), ImageBehaviour.healthy(), "build-2");

        assertThat(client.listImages(r -> r.repositoryName("api")).imageIds())
                .extracting(id -> id.imageDigest() + " " + id.imageTag())
                .containsExactlyInAnyOrder(old.digest() + " null", current.digest() + " v2", current.digest() + " latest");
    }

    @Test
    void resolvesImagesByDigestTagOrImplicitLatestAndNothingElse() {
        ecr.ensureRepository("api");
        EcrImage image = ecr.push("api", List.of("v1", "latest"), ImageBehaviour.unhealthy());

        assertThat(ecr.resolve(image.uri())).contains(image);
        assertThat(ecr.resolve(REGISTRY + "/api:v1")).contains(image);
        assertThat(ecr.resolve(REGISTRY + "/api")).contains(image);
        assertThat(ecr.resolve(REGISTRY + "/api:v2")).isEmpty();
        assertThat(ecr.resolve(REGISTRY + "/other:v1")).isEmpty();
        assertThat(ecr.resolve("999999999999.dkr.ecr.us-east-1.amazonaws.com/api:v1")).isEmpty();
        assertThat(ecr.resolve("nginx:latest")).isEmpty();
    }

    @Test
    void operationsTheLocalCloudDoesNotSimulateAreRejectedByName() {
        assertThatThrownBy(() -> client.deleteRepository(r -> r.repositoryName("api")))
                .isInstanceOf(EcrException.class)
                .hasMessageContaining("Operation DeleteRepository is not supported by the Deckhand local cloud");
    }

    @Test
    void pushingToAMissingRepositoryFailsNamingIt() {
        assertThatThrownBy(() -> ecr.push("ghost", List.of("v1"), ImageBehaviour.healthy()))
                .hasMessageContaining("The repository with name 'ghost' does not exist");
        assertThat(events.all()).isEmpty();
    }

    @Test
    void putImageFilesTheManifestUnderItsSha256MovesTheTagAndEmitsThePushEvent() throws Exception {
        client.createRepository(r -> r.repositoryName("team/api"));
        ImageManifest manifest = ImageManifest.forPush(ImageBehaviour.migrationExit(3), "build-7");

        software.amazon.awssdk.services.ecr.model.Image image = client.putImage(r -> r.repositoryName("team/api")
                .imageManifest(manifest.json()).imageTag("v7")).image();

        String sha256 = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(manifest.json().getBytes(StandardCharsets.UTF_8)));
        assertThat(image.imageId().imageDigest()).isEqualTo(sha256);
        assertThat(image.imageId().imageTag()).isEqualTo("v7");
        assertThat(image.imageManifest()).isEqualTo(manifest.json());
        assertThat(ecr.resolve(REGISTRY + "/team/api:v7")).get()
                .satisfies(found -> assertThat(found.behaviour()).isEqualTo(ImageBehaviour.migrationExit(3)));
        List<ObjectNode> pushes = events.ofType("ECR Image Action");
        assertThat(pushes).hasSize(1);
        assertThat(pushes.get(0).path("detail").path("image-digest").asText()).isEqualTo(sha256);
        assertThat(pushes.get(0).path("detail").path("image-tag").asText()).isEqualTo("v7");
    }

    @Test
    void putImageOfAnUnchangedTagFailsWithImageAlreadyExistsAndEmitsNothing() {
        client.createRepository(r -> r.repositoryName("api"));
        String manifest = ImageManifest.forPush(ImageBehaviour.healthy(), "b1").json();
        client.putImage(r -> r.repositoryName("api").imageManifest(manifest).imageTag("v1"));
        events.clear();

        assertThatThrownBy(() -> client.putImage(r -> r.repositoryName("api").imageManifest(manifest).imageTag("v1")))
                .isInstanceOf(software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException.class)
                .hasMessageContaining("already exists in the repository with name 'api'");
        client.putImage(r -> r.repositoryName("api").imageManifest(manifest).imageTag("v1-again"));
        assertThat(events.ofType("ECR Image Action")).hasSize(1);
    }

    @Test
    void putImageRefusesAMismatchedDigestAnUnknownBehaviourAndAMissingRepository() {
        client.createRepository(r -> r.repositoryName("api"));
        String manifest = ImageManifest.forPush(ImageBehaviour.healthy(), "b1").json();

        assertThatThrownBy(() -> client.putImage(r -> r.repositoryName("api").imageManifest(manifest).imageTag("v1")
                .imageDigest("sha256:" + "0".repeat(64))))
                .isInstanceOf(software.amazon.awssdk.services.ecr.model.ImageDigestDoesNotMatchException.class);
        assertThatThrownBy(() -> client.putImage(r -> r.repositoryName("api").imageTag("v1")
                .imageManifest(manifest.replace("\"healthy\"", "\"sparkly\""))))
                .isInstanceOf(software.amazon.awssdk.services.ecr.model.InvalidParameterException.class)
                .hasMessageContaining("Unknown image behaviour 'sparkly'");
        assertThatThrownBy(() -> client.putImage(r -> r.repositoryName("nope").imageManifest(manifest).imageTag("v1")))
                .isInstanceOf(RepositoryNotFoundException.class);
        assertThat(events.all()).isEmpty();
    }
}
