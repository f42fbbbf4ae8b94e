package dev.deckhand.local.cli;

import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecr.ImageManifest;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;

/**
 * {@code deckhand push}: what a CI job's {@code docker push} does to the local ECR (PutImage, one
 * call and one ECR event per tag), then follows the deployments those events start.
 */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = {"Pushes an image to the local ECR of a running './deckhand up' and follows the deployments "
                + "its ECR events start.",
                "The image does what --behaviour says when it runs: healthy, unhealthy, slow-start:<seconds>, "
                        + "crash-on-start[:<exit code>], migration-exit:<exit code>, production-regression (healthy "
                        + "until production traffic reaches it), hangs, pull-failure.",
                "Where the target environment runs a migration (every storefront environment does), the migration "
                        + "is the first task to run the new image, so crash-on-start, hangs and pull-failure fail it: "
                        + "FAILED, the service untouched, as on AWS. To watch such an image fail the rollout itself, "
                        + "push it where nothing migrates, e.g. acme/billing-worker-staging:<tag>."})
final class PushCommand extends ClientCommand {

    private static final Duration START_WAIT = Duration.ofSeconds(15);

    @Parameters(index = "0", paramLabel = "<repository>:<tag>[,<tag>...]",
            description = "e.g. acme/storefront:main-3, or several tags of one image: acme/storefront:v1.2.0,latest")
    String image;

    @Option(names = "--behaviour", defaultValue = "healthy", paramLabel = "BEHAVIOUR",
            description = "What the image does when it runs (default: ${DEFAULT-VALUE}).")
    String behaviour;

    @Option(names = "--build", paramLabel = "LABEL",
            description = "The image's content: equal build and behaviour give an equal digest (default: the first tag).")
    String build;

    @Mixin
    Watch watch;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = out();
        int colon = image.lastIndexOf(':');
        if (colon <= 0 || colon < image.lastIndexOf('/') || colon == image.length() - 1) {
            throw new UserError("'" + image + "' names no tag", "write <repository>:<tag>, e.g. acme/storefront:main-3");
        }
        String repository = image.substring(0, colon);
        List<String> tags = Arrays.stream(image.substring(colon + 1).split(",")).map(String::trim)
                .filter(tag -> !tag.isEmpty()).toList();
        ImageBehaviour chosen;
        try {
            chosen = ImageBehaviour.parse(behaviour);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), "e.g. --behaviour unhealthy");
        }
        ImageManifest manifest = ImageManifest.forPush(chosen, build == null ? tags.get(0) : build);

        String stateMachineArn = connection.stateMachineArn();
        try (EcrClient ecr = connection.ecr(); SfnClient sfn = connection.sfn()) {
            Set<String> before = new HashSet<>(executions(sfn, stateMachineArn));
            int events = 0;
            for (String tag : tags) {
                try {
                    ecr.putImage(request -> request.repositoryName(repository).imageManifest(manifest.json())
                            .imageTag(tag));
                    events++;
                    out.printf("pushed %s:%s = %s (%s)%n", repository, tag, manifest.digest(), chosen.label());
                } catch (ImageAlreadyExistsException e) {
                    out.printf("%s:%s already names %s: ECR sends no event for it%n", repository, tag, manifest.digest());
                } catch (RepositoryNotFoundException e) {
                    throw new UserError("the local ECR has no repository '" + repository + "'",
                            "the repositories are those of the configuration './deckhand up' runs (deckhand.yml)");
                }
            }
            out.flush();
            if (events == 0) {
                return 0;
            }
            List<String> started = startedFor(sfn, stateMachineArn, manifest.digest(), before, events);
            if (started.isEmpty()) {
                throw new UserError("no deployment started within " + START_WAIT.toSeconds() + " s of the push",
                        "is the push rule enabled? './deckhand up' prints the state machine it starts");
            }
            int exit = 0;
            for (String executionArn : started) {
                exit = Math.max(exit, watch.follow(sfn, connection, executionArn, out));
            }
            return exit;
        }
    }

    /** The executions ECR's events started for the digest (EventBridge delivers them asynchronously). */
    private List<String> startedFor(SfnClient sfn, String stateMachineArn, String digest, Set<String> before,
            int expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(START_WAIT);
        List<String> started = new ArrayList<>();
        Set<String> seen = new HashSet<>(before);
        while (started.size() < expected && Instant.now().isBefore(deadline)) {
            for (String arn : executions(sfn, stateMachineArn)) {
                if (seen.add(arn) && sfn.describeExecution(request -> request.executionArn(arn)).input().contains(digest)) {
                    started.add(arn);
                }
            }
            if (started.size() < expected) {
                Thread.sleep(connection.local() ? 20 : 1000);
            }
        }
        return started;
    }

    private static List<String> executions(SfnClient sfn, String stateMachineArn) {
        return sfn.listExecutionsPaginator(request -> request.stateMachineArn(stateMachineArn)).executions().stream()
                .map(ExecutionListItem::executionArn).toList();
    }
}
