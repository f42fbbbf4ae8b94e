package dev.deckhand.local.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.aws.EventPublisher;
import dev.deckhand.local.aws.JsonProtocolService;
import dev.deckhand.local.aws.Paging;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Amazon ECR for the local cloud: repositories, a local push that files tags under a digest and
 * emits the "ECR Image Action" event (in-process, or over the wire with PutImage, which is what
 * {@code deckhand push} calls), and the read operations Deckhand calls (CreateRepository,
 * DescribeRepositories, DescribeImages, ListImages, BatchGetImage, Get/SetRepositoryPolicy) over the AWS
 * JSON 1.1 protocol.
 * Thread-safe.
 */
public final class LocalEcr implements JsonProtocolService {

    /** The {@code X-Amz-Target} prefix the ECR SDK client sends. */
    public static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921";
    // maxResults: "If this parameter is not used, then DescribeImages/ListImages returns up to 100 results
    // and a nextToken value, if applicable." (API_DescribeImages, API_ListImages).
    private static final Paging DESCRIBE_IMAGES = new Paging("DescribeImages", "nextToken", "maxResults", 100,
            "InvalidParameterException");
    private static final Paging LIST_IMAGES = new Paging("ListImages", "nextToken", "maxResults", 100,
            "InvalidParameterException");

    // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html (repositoryName pattern)
    private static final Pattern REPOSITORY_NAME =
            Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String region;
    private final String accountId;
    private final Clock clock;
    private final EventPublisher events;
    private final Map<String, Repository> repositories = new LinkedHashMap<>();
    /** The last push's time: pushes one after the other never share a millisecond, as on ECR. */
    private Instant lastPush = Instant.EPOCH;

    /**
     * @param region the region in repository URIs and ARNs, e.g. {@code us-east-1}
     * @param accountId the 12-digit registry (account) id
     * @param clock the (possibly simulated) time stamped on pushes and events
     * @param events where the "ECR Image Action" events go (the local EventBridge)
     */
    public LocalEcr(String region, String accountId, Clock clock, EventPublisher events) {
        this.region = Objects.requireNonNull(region, "region");
        this.accountId = Objects.requireNonNull(accountId, "accountId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public String targetPrefix() {
        return TARGET_PREFIX;
    }

    /** The registry host, {@code <account>.dkr.ecr.<region>.amazonaws.com}. */
    public String registryHost() {
        return accountId + ".dkr.ecr." + region + ".amazonaws.com";
    }

    /** The URI a task definition uses for the repository: {@code <registry host>/<name>}. */
    public String repositoryUri(String repositoryName) {
        return registryHost() + "/" + repositoryName;
    }

    /** Creates the repository if it does not exist yet (the seeding counterpart of CreateRepository). */
    public synchronized void ensureRepository(String repositoryName) {
        if (!repositories.containsKey(repositoryName)) {
            createRepository(repositoryName);
        }
    }

    /**
     * Pushes an image whose content is identified by its first tag (so pushing {@code v1} twice
     * with the same behaviour gives the same digest). See {@link #push(String, List, ImageBehaviour, String)}.
     */
    public EcrImage push(String repositoryName, List<String> tags, ImageBehaviour behaviour) {
        return push(repositoryName, tags, behaviour, tags.isEmpty() ? "untagged" : tags.get(0));
    }

    /**
     * Pushes an image, as {@code docker push} does: the digest is the SHA-256 of a manifest built
     * from {@code behaviour} and {@code build} (equal content, equal digest); each tag is moved to
     * this digest. Emits one "ECR Image Action" event per tag that now points here and did not
     * before, as ECR does for a push of several tags (and one event without a tag for an untagged
     * push of a new image).
     *
     * @throws AwsErrorException {@code RepositoryNotFoundException} when the repository does not exist
     */
    public EcrImage push(String repositoryName, List<String> tags, ImageBehaviour behaviour, String build) {
        Objects.requireNonNull(behaviour, "behaviour");
        return store(repositoryName, tags, ImageManifest.of(behaviour, Objects.requireNonNull(build, "build")),
                behaviour);
    }

    private EcrImage store(String repositoryName, List<String> tags, ImageManifest manifest, ImageBehaviour behaviour) {
        List<ObjectNode> pushEvents = new ArrayList<>();
        synchronized (this) {
            Repository repository = repository(repositoryName);
            // Simulated time stands still while the deployer is busy; ECR's clock does not, and
            // Deckhand orders pushes by imagePushedAt, so each push is at least a millisecond later.
            Instant clockNow = clock.instant();
            Instant now = clockNow.isAfter(lastPush) ? clockNow : lastPush.plusMillis(1);
            lastPush = now;
            boolean newImage = !repository.images.containsKey(manifest.digest());
            repository.images.putIfAbsent(manifest.digest(), new StoredImage(manifest, behaviour, now));
            for (String tag : tags) {
                validateTag(tag);
                String previous = repository.tags.put(tag, manifest.digest());
                if (!manifest.digest().equals(previous)) {
                    pushEvents.add(imageActionEvent(repositoryName, manifest.digest(), tag, now));
                }
            }
            if (tags.isEmpty() && newImage) {
                pushEvents.add(imageActionEvent(repositoryName, manifest.digest(), null, now));
            }
        }
        pushEvents.forEach(events::publish);
        return new EcrImage(repositoryName, manifest.digest(),
                repositoryUri(repositoryName) + "@" + manifest.digest(), behaviour);
    }

    /**
     * Finds the image a container definition names: {@code <registry host>/<repo>@sha256:…},
     * {@code <registry host>/<repo>:<tag>} or {@code <registry host>/<repo>} (tag {@code latest}).
     * Empty when the registry, repository, tag or digest is unknown, which ECS reports as
     * {@code CannotPullContainerError}.
     */
    public synchronized Optional<EcrImage> resolve(String imageUri) {
        expireImages();
        String prefix = registryHost() + "/";
        if (imageUri == null || !imageUri.startsWith(prefix)) {
            return Optional.empty();
        }
        String path = imageUri.substring(prefix.length());
        String repositoryName;
        String digest;
        int at = path.indexOf('@');
        if (at >= 0) {
            repositoryName = path.substring(0, at);
            digest = path.substring(at + 1);
        } else {
            int colon = path.lastIndexOf(':');
            boolean tagged = colon > path.lastIndexOf('/');
            repositoryName = tagged ? path.substring(0, colon) : path;
            Repository repository = repositories.get(repositoryName);
            digest = repository == null ? null : repository.tags.get(tagged ? path.substring(colon + 1) : "latest");
        }
        Repository repository = repositories.get(repositoryName);
        StoredImage image = repository == null || digest == null ? null : repository.images.get(digest);
        return Optional.ofNullable(image).map(found -> new EcrImage(repositoryName, found.manifest.digest(),
                repositoryUri(repositoryName) + "@" + found.manifest.digest(), found.behaviour));
    }

    @Override
    public JsonNode handle(String operation, JsonNode request) {
        // PutImage emits its events after releasing this registry's lock (see store).
        return operation.equals("PutImage") ? putImage(request) : read(operation, request);
    }

    private synchronized JsonNode read(String operation, JsonNode request) {
        expireImages();
        return switch (operation) {
            case "CreateRepository" -> repositoryResponse(createRepository(text(request, "repositoryName")));
            case "DescribeRepositories" -> describeRepositories(request);
            case "DescribeImages" -> describeImages(request);
            case "ListImages" -> listImages(request);
            case "BatchGetImage" -> batchGetImage(request);
            case "BatchDeleteImage" -> batchDeleteImage(request);
            case "PutLifecyclePolicy" -> putLifecyclePolicy(request);
            case "GetLifecyclePolicy" -> lifecyclePolicyResponse(repository(text(request, "repositoryName")), false);
            case "DeleteLifecyclePolicy" -> lifecyclePolicyResponse(repository(text(request, "repositoryName")), true);
            case "SetRepositoryPolicy" -> setRepositoryPolicy(request);
            case "GetRepositoryPolicy" -> repositoryPolicyResponse(repository(text(request, "repositoryName")));
            default -> throw AwsErrorException.unsupportedOperation(operation);
        };
    }

    /**
     * Deletes one image and every tag on it, as BatchDeleteImage with its digest does; a task that
     * names it afterwards fails to pull it. Does nothing when the image is not there.
     */
    public synchronized void deleteImage(String repositoryName, String digest) {
        Repository repository = repository(repositoryName);
        repository.images.remove(digest);
        repository.tags.values().removeIf(digest::equals);
    }

    /**
     * Applies every repository's lifecycle policy on the local clock, as ECR does in the background
     * (within 24 hours on AWS; here before every request and every pull, so it is never late).
     */
    public synchronized void expireImages() {
        Instant now = clock.instant();
        for (Repository repository : repositories.values()) {
            if (repository.policy == null) {
                continue;
            }
            List<LifecyclePolicy.Image> images = repository.images.entrySet().stream()
                    .map(e -> new LifecyclePolicy.Image(e.getKey(), repository.tagsOf(e.getKey()), e.getValue().pushedAt()))
                    .toList();
            repository.policy.expired(images, now).forEach(digest -> {
                repository.images.remove(digest);
                repository.tags.values().removeIf(digest::equals);
            });
            repository.policyEvaluatedAt = now;
        }
    }

    /**
     * BatchDeleteImage: an identifier with a digest deletes the image and all its tags; one with only
     * a tag removes that tag, and the image with it when it was its last tag. Identifiers that name
     * nothing are reported in failures[], not as an error.
     */
    // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchDeleteImage.html
    private ObjectNode batchDeleteImage(JsonNode request) {
        Repository repository = repository(text(request, "repositoryName"));
        ObjectNode response = JSON.createObjectNode();
        ArrayNode deleted = response.putArray("imageIds");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode imageId : request.path("imageIds")) {
            String digest = repository.find(imageId);
            if (digest == null) {
                // API_ImageFailure: failureCode ImageNotFound / ImageTagDoesNotMatchDigest.
                boolean mismatch = imageId.hasNonNull("imageDigest") && imageId.hasNonNull("imageTag")
                        && repository.images.containsKey(imageId.get("imageDigest").asText());
                failures.addObject().<ObjectNode>set("imageId", imageId.deepCopy())
                        .put("failureCode", mismatch ? "ImageTagDoesNotMatchDigest" : "ImageNotFound")
                        .put("failureReason", mismatch ? "Invalid image tag for image digest" : "Requested image not found");
                continue;
            }
            if (imageId.hasNonNull("imageDigest")) {
                deleted.addObject().put("imageDigest", digest);
                repository.tagsOf(digest).forEach(tag -> deleted.addObject().put("imageDigest", digest).put("imageTag", tag));
                deleteImage(repository.name, digest);
            } else {
                String tag = imageId.get("imageTag").asText();
                repository.tags.remove(tag);
                deleted.addObject().put("imageDigest", digest).put("imageTag", tag);
                if (repository.tagsOf(digest).isEmpty()) {
                    repository.images.remove(digest);
                }
            }
        }
        return response;
    }

    // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutLifecyclePolicy.html
    private ObjectNode putLifecyclePolicy(JsonNode request) {
        Repository repository = repository(text(request, "repositoryName"));
        String text = text(request, "lifecyclePolicyText");
        try {
            repository.policy = LifecyclePolicy.parse(text);
        } catch (IllegalArgumentException e) {
            throw AwsErrorException.clientError("InvalidParameterException", "Invalid parameter at 'LifecyclePolicyText' "
                    + "failed to satisfy constraint: 'Lifecycle policy validation failure: " + e.getMessage() + "'");
        }
        repository.policyEvaluatedAt = null;
        expireImages();
        return JSON.createObjectNode().put("registryId", accountId).put("repositoryName", repository.name)
                .put("lifecyclePolicyText", text);
    }

    /** GetLifecyclePolicy, or DeleteLifecyclePolicy when {@code delete}: the same answer, the policy then gone. */
    // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetLifecyclePolicy.html
    private ObjectNode lifecyclePolicyResponse(Repository repository, boolean delete) {
        if (repository.policy == null) {
            throw AwsErrorException.clientError("LifecyclePolicyNotFoundException", "Lifecycle policy does not exist "
                    + "for the repository with name '" + repository.name + "' in the registry with id '" + accountId + "'");
        }
        ObjectNode response = JSON.createObjectNode().put("registryId", accountId).put("repositoryName", repository.name)
                .put("lifecyclePolicyText", repository.policy.text());
        if (repository.policyEvaluatedAt != null) {
            response.put("lastEvaluatedAt", repository.policyEvaluatedAt.toEpochMilli() / 1000.0);
        }
        if (delete) {
            repository.policy = null;
            repository.policyEvaluatedAt = null;
        }
        return response;
    }

    // API_SetRepositoryPolicy: policyText is the JSON policy document (at most 10,240 characters); the answer
    // echoes it with the registry and repository.
    private ObjectNode setRepositoryPolicy(JsonNode request) {
        Repository repository = repository(text(request, "repositoryName"));
        String text = text(request, "policyText");
        try {
            if (text.length() > 10_240 || !JSON.readTree(text).isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw AwsErrorException.clientError("InvalidParameterException",
                    "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'");
        }
        repository.accessPolicy = text;
        return repositoryPolicyResponse(repository);
    }

    // API_GetRepositoryPolicy: RepositoryPolicyNotFoundException when the repository has no policy, with the
    // message the AWS CLI shows for it.
    private ObjectNode repositoryPolicyResponse(Repository repository) {
        if (repository.accessPolicy == null) {
            throw AwsErrorException.clientError("RepositoryPolicyNotFoundException", "Repository policy does not exist "
                    + "for the repository with name '" + repository.name + "' in the registry with id '" + accountId + "'");
        }
        return JSON.createObjectNode().put("registryId", accountId).put("repositoryName", repository.name)
                .put("policyText", repository.accessPolicy);
    }

    /**
     * PutImage, the call that ends a {@code docker push}: files the manifest under its SHA-256 and
     * moves the tag to it. The image's local behaviour is read from the manifest's
     * {@code dev.deckhand.behaviour} annotation ({@link ImageManifest#forPush}); absent, it is healthy.
     */
    // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html
    private JsonNode putImage(JsonNode request) {
        String repositoryName = text(request, "repositoryName");
        ImageManifest manifest = ImageManifest.parse(text(request, "imageManifest"));
        ImageBehaviour behaviour;
        try {
            behaviour = manifest.behaviour().map(ImageBehaviour::parse).orElse(ImageBehaviour.healthy());
        } catch (IllegalArgumentException e) {
            throw AwsErrorException.clientError("InvalidParameterException", "Invalid parameter at 'imageManifest': "
                    + e.getMessage());
        }
        if (request.hasNonNull("imageDigest") && !request.get("imageDigest").asText().equals(manifest.digest())) {
            throw AwsErrorException.clientError("ImageDigestDoesNotMatchException", "Invalid parameter at "
                    + "'imageDigest': the digest of the manifest is " + manifest.digest());
        }
        String tag = request.hasNonNull("imageTag") ? request.get("imageTag").asText() : null;
        synchronized (this) {
            Repository repository = repository(repositoryName);
            boolean known = repository.images.containsKey(manifest.digest());
            if (known && (tag == null || manifest.digest().equals(repository.tags.get(tag)))) {
                throw AwsErrorException.clientError("ImageAlreadyExistsException", "Image with digest '"
                        + manifest.digest() + "'" + (tag == null ? "" : " and tag '" + tag + "'") + " already exists "
                        + "in the repository with name '" + repositoryName + "' in registry with id '" + accountId + "'");
            }
        }
        EcrImage image = store(repositoryName, tag == null ? List.of() : List.of(tag), manifest, behaviour);
        ObjectNode response = JSON.createObjectNode();
        ObjectNode stored = response.putObject("image").put("registryId", accountId).put("repositoryName", repositoryName);
        ObjectNode id = stored.putObject("imageId").put("imageDigest", image.digest());
        if (tag != null) {
            id.put("imageTag", tag);
        }
        stored.put("imageManifest", manifest.json()).put("imageManifestMediaType", ImageManifest.MEDIA_TYPE);
        return response;
    }

    // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
    private Repository createRepository(String name) {
        if (name == null || name.length() < 2 || name.length() > 256 || !REPOSITORY_NAME.matcher(name).matches()) {
            throw AwsErrorException.clientError("InvalidParameterException", "Invalid parameter at 'repositoryName' "
                    + "failed to satisfy constraint: 'must satisfy regular expression '" + REPOSITORY_NAME + "''");
        }
        if (repositories.containsKey(name)) {
            throw AwsErrorException.clientError("RepositoryAlreadyExistsException", "The repository with name '"
                    + name + "' already exists in the registry with id '" + accountId + "'");
        }
        Repository repository = new Repository(name, clock.instant());
        repositories.put(name, repository);
        return repository;
    }

    private ObjectNode repositoryResponse(Repository repository) {
        ObjectNode response = JSON.createObjectNode();
        response.set("repository", repositoryJson(repository));
        return response;
    }

    private ObjectNode describeRepositories(JsonNode request) {
        ObjectNode response = JSON.createObjectNode();
        ArrayNode list = response.putArray("repositories");
        JsonNode names = request.path("repositoryNames");
        if (names.isArray() && !names.isEmpty()) {
            names.forEach(name -> list.add(repositoryJson(repository(name.asText()))));
        } else {
            repositories.values().forEach(repository -> list.add(repositoryJson(repository)));
        }
        return response;
    }

    // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html
    private ObjectNode describeImages(JsonNode request) {
        Repository repository = repository(text(request, "repositoryName"));
        ObjectNode response = JSON.createObjectNode();
        ArrayNode details = response.putArray("imageDetails");
        JsonNode imageIds = request.path("imageIds");
        if (imageIds.isArray() && !imageIds.isEmpty() && (request.hasNonNull("maxResults") || request.hasNonNull("nextToken"))) {
            // maxResults and nextToken: "This option cannot be used when you specify images with imageIds."
            throw AwsErrorException.clientError("InvalidParameterException",
                    "maxResults and nextToken cannot be used when you specify images with imageIds.");
        }
        if (imageIds.isArray() && !imageIds.isEmpty()) {
            for (JsonNode imageId : imageIds) {
                String digest = repository.find(imageId);
                if (digest == null) {
                    throw AwsErrorException.clientError("ImageNotFoundException", "The image with imageId "
                            + describe(imageId) + " does not exist within the repository with name '"
                            + repository.name + "' in the registry with id '" + accountId + "'");
                }
                details.add(imageDetail(repository, digest));
            }
            return response;
        }
        String tagStatus = request.path("filter").path("tagStatus").asText("ANY");
        List<String> digests = new ArrayList<>();
        for (String digest : repository.images.keySet()) {
            boolean tagged = !repository.tagsOf(digest).isEmpty();
            if (tagStatus.equals("ANY") || tagStatus.equals("TAGGED") == tagged) {
                digests.add(digest);
            }
        }
        Paging.Page<String> page = DESCRIBE_IMAGES.page(digests, request);
        page.items().forEach(digest -> details.add(imageDetail(repository, digest)));
        page.nextToken().ifPresent(token -> response.put("nextToken", token));
        return response;
    }

    private ObjectNode listImages(JsonNode request) {
        Repository repository = repository(text(request, "repositoryName"));
        ObjectNode response = JSON.createObjectNode();
        ArrayNode ids = response.putArray("imageIds");
        List<ObjectNode> all = new ArrayList<>();
        for (String digest : repository.images.keySet()) {
            List<String> tags = repository.tagsOf(digest);
            if (tags.isEmpty()) {
                all.add(JSON.createObjectNode().put("imageDigest", digest));
            }
            tags.forEach(tag -> all.add(JSON.createObjectNode().put("imageDigest", digest).put("imageTag", tag)));
        }
        Paging.Page<ObjectNode> page = LIST_IMAGES.page(all, request);
        page.items().forEach(ids::add);
        page.nextToken().ifPresent(token -> response.put("nextToken", token));
        return response;
    }

    // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchGetImage.html: images that
    // cannot be found are reported in failures[], not as an error.
    private ObjectNode batchGetImage(JsonNode request) {
        Repository repository = repository(text(request, "repositoryName"));
        ObjectNode response = JSON.createObjectNode();
        ArrayNode images = response.putArray("images");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode imageId : request.path("imageIds")) {
            String byTag = imageId.hasNonNull("imageTag") ? repository.tags.get(imageId.get("imageTag").asText()) : null;
            String digest = repository.find(imageId);
            if (digest == null && byTag != null && imageId.hasNonNull("imageDigest")) {
                failures.addObject().<ObjectNode>set("imageId", imageId.deepCopy())
                        .put("failureCode", "ImageTagDoesNotMatchDigest")
                        .put("failureReason", "Invalid image tag and digest combination");
                continue;
            }
            if (digest == null) {
                failures.addObject().<ObjectNode>set("imageId", imageId.deepCopy())
                        .put("failureCode", "ImageNotFound")
                        .put("failureReason", "Requested image not found");
                continue;
            }
            StoredImage image = repository.images.get(digest);
            ObjectNode found = images.addObject()
                    .put("registryId", accountId)
                    .put("repositoryName", repository.name);
            ObjectNode id = found.putObject("imageId").put("imageDigest", digest);
            if (imageId.hasNonNull("imageTag")) {
                id.put("imageTag", imageId.get("imageTag").asText());
            }
            found.put("imageManifest", image.manifest.json());
            found.put("imageManifestMediaType", ImageManifest.MEDIA_TYPE);
        }
        return response;
    }

    private ObjectNode repositoryJson(Repository repository) {
        ObjectNode json = JSON.createObjectNode()
                .put("repositoryArn", "arn:aws:ecr:" + region + ":" + accountId + ":repository/" + repository.name)
                .put("registryId", accountId)
                .put("repositoryName", repository.name)
                .put("repositoryUri", repositoryUri(repository.name))
                .put("createdAt", epochSeconds(repository.createdAt))
                .put("imageTagMutability", "MUTABLE");
        json.putObject("imageScanningConfiguration").put("scanOnPush", false);
        json.putObject("encryptionConfiguration").put("encryptionType", "AES256");
        return json;
    }

    private ObjectNode imageDetail(Repository repository, String digest) {
        StoredImage image = repository.images.get(digest);
        ObjectNode detail = JSON.createObjectNode()
                .put("registryId", accountId)
                .put("repositoryName", repository.name)
                .put("imageDigest", digest);
        List<String> tags = repository.tagsOf(digest);
        if (!tags.isEmpty()) {
            ArrayNode tagArray = detail.putArray("imageTags");
            tags.forEach(tagArray::add);
        }
        return detail.put("imageSizeInBytes", image.manifest.sizeInBytes())
                .put("imagePushedAt", epochSeconds(image.pushedAt))
                .put("imageManifestMediaType", ImageManifest.MEDIA_TYPE)
                .put("artifactMediaType", ImageManifest.CONFIG_MEDIA_TYPE);
    }

    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html ("Event for a
    // completed image push"): one event per image push, resources empty, the tag in detail.
    private ObjectNode imageActionEvent(String repositoryName, String digest, String tag, Instant time) {
        ObjectNode event = JSON.createObjectNode()
                .put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", "ECR Image Action")
                .put("source", "aws.ecr")
                .put("account", accountId)
                .put("time", time.truncatedTo(ChronoUnit.SECONDS).toString())
                .put("region", region);
        event.putArray("resources");
        ObjectNode detail = event.putObject("detail")
                .put("result", "SUCCESS")
                .put("repository-name", repositoryName)
                .put("image-digest", digest)
                .put("action-type", "PUSH");
        if (tag != null) {
            detail.put("image-tag", tag);
        }
        return event;
    }

    private Repository repository(String name) {
        Repository repository = repositories.get(name);
        if (repository == null) {
            throw AwsErrorException.clientError("RepositoryNotFoundException", "The repository with name '"
                    + name + "' does not exist in the registry with id '" + accountId + "'");
        }
        return repository;
    }

    // https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageIdentifier.html
    private static void validateTag(String tag) {
        if (tag == null || tag.isEmpty() || tag.length() > 300) {
            throw AwsErrorException.clientError("InvalidParameterException",
                    "Invalid parameter at 'imageTag': a tag must be 1 to 300 characters long");
        }
    }

    private static String describe(JsonNode imageId) {
        return "{imageDigest:'" + imageId.path("imageDigest").asText(null) + "', imageTag:'"
                + imageId.path("imageTag").asText(null) + "'}";
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.path(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw AwsErrorException.clientError("InvalidParameterException",
                    "1 validation error detected: Value null at '" + field + "' failed to satisfy constraint: "
                            + "Member must not be null");
        }
        return value.asText();
    }

    // The JSON protocol sends timestamps as epoch seconds with a fraction.
    private static double epochSeconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    private record StoredImage(ImageManifest manifest, ImageBehaviour behaviour, Instant pushedAt) {
    }

    private static final class Repository {
        final String name;
        final Instant createdAt;
        final Map<String, StoredImage> images = new LinkedHashMap<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        LifecyclePolicy policy;
        Instant policyEvaluatedAt;
        /** The repository (access) policy's text, or null. */
        String accessPolicy;

        Repository(String name, Instant createdAt) {
            this.name = name;
            this.createdAt = createdAt;
        }

        List<String> tagsOf(String digest) {
            return tags.entrySet().stream().filter(e -> e.getValue().equals(digest)).map(Map.Entry::getKey).toList();
        }

        /** The digest an ImageIdentifier names, or null; a tag and digest that disagree name nothing. */
        String find(JsonNode imageId) {
            String digest = imageId.hasNonNull("imageDigest") ? imageId.get("imageDigest").asText() : null;
            String tag = imageId.hasNonNull("imageTag") ? imageId.get("imageTag").asText() : null;
            String byTag = tag == null ? null : tags.get(tag);
            if (digest == null) {
                return byTag;
            }
            if (!images.containsKey(digest) || (tag != null && !digest.equals(byTag))) {
                return null;
            }
            return digest;
        }
    }
}
