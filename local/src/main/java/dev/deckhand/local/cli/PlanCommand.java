package dev.deckhand.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.deckhand.aws.EcsRevisionPreviews;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.deployment.ImageDigest;
import dev.deckhand.deployment.ImageRef;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.plan.Plan;
import dev.deckhand.plan.PlanService;
import dev.deckhand.resolve.DeploymentRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * {@code deckhand plan}: what a push of {@code <repository>:<tag>} (or a promotion) would do, read
 * from the configuration, ECR and ECS, with nothing changed: no revision registered, no execution,
 * no history, no lock.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Shows what a push (or --promote) would deploy and where, what applies to it, and the "
                + "task-definition revision it would register as a diff against the live one. Changes nothing.")
final class PlanCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "<repository>:<tag>", description = "e.g. acme/storefront:main-7")
    String pushed;

    @ArgGroup(exclusive = false)
    Promote promote;

    static final class Promote {
        @Option(names = "--promote", required = true, paramLabel = "<service>", description = "Plan a promotion of this service.")
        String service;

        @Option(names = "--from", required = true, paramLabel = "ENV", description = "The environment that verified the image.")
        String from;

        @Option(names = "--to", required = true, paramLabel = "ENV", description = "The environment it would deploy to.")
        String to;

        @Option(names = "--digest", required = true, paramLabel = "sha256:…", description = "The image to promote.")
        String digest;
    }

    @Option(names = {"-c", "--config"}, paramLabel = "<file>", defaultValue = "deckhand.yml",
            description = "Deckhand configuration (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Mixin
    Connection connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((pushed == null) == (promote == null)) {
            throw new UserError("plan a push (<repository>:<tag>) or a promotion (--promote), one of them",
                    "e.g. ./deckhand plan acme/storefront:main-7");
        }
        DeploymentRequest request;
        Plan plan;
        try (EcrClient ecr = connection.ecr()) {
            request = pushed != null ? push(ecr) : promotion(ecr);
            plan = new PlanService(ConfigurationSource.of(CliFiles.configuration(config)),
                    new EcsRevisionPreviews(connection.aws().ecs())).plan(request);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(DeckhandJson.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(plan));
        } else {
            print(plan, out);
        }
        out.flush();
        return 0;
    }

    private static void print(Plan plan, PrintWriter out) {
        if (!"DEPLOY".equals(plan.outcome())) {
            out.printf("IGNORED: %s%n", plan.reason());
            return;
        }
        out.printf("DEPLOY %s to %s/%s%n", plan.image(), plan.service(), plan.environment());
        out.printf("  why        %s%n", plan.reason());
        out.printf("  strategy   %s%n", plan.strategy());
        out.printf("  gates      %s%n", String.join("; ", plan.gates()));
        out.printf("  migration  %s%n", plan.migration() == null ? "none" : String.join(" ", plan.migration()));
        out.printf("  health     %s%n", plan.healthCheck() == null ? "none (the ECS rollout alone)" : plan.healthCheck());
        out.printf("  live       %s%n", plan.liveRevision());
        if (plan.diff().isEmpty()) {
            out.println("  the new revision would be identical to the live one");
        }
        plan.diff().forEach(out::println);
    }

    private DeploymentRequest push(EcrClient ecr) {
        int colon = pushed.lastIndexOf(':');
        if (colon <= 0 || colon == pushed.length() - 1) {
            throw new UserError("'" + pushed + "' is not <repository>:<tag>", "e.g. acme/storefront:main-7");
        }
        String repository = pushed.substring(0, colon);
        String tag = pushed.substring(colon + 1);
        ImageDetail image = describe(ecr, repository, tag);
        ImageRef ref = registry(ecr, repository, new ImageDigest(image.imageDigest()), tag);
        String[] host = ref.registry().split("\\.");
        return new DeploymentRequest.ImagePushed(host[0], host[3], repository, ref.digest(), tag);
    }

    private DeploymentRequest promotion(EcrClient ecr) {
        if (!ImageDigest.isValid(promote.digest)) {
            throw new UserError("--digest '" + promote.digest + "' is not sha256: and 64 hex digits", null);
        }
        String repository = CliFiles.configuration(config).service(promote.service)
                .flatMap(service -> service.environment(promote.from)).map(environment -> environment.repository())
                .orElseThrow(() -> new UserError("no environment " + promote.service + "/" + promote.from
                        + " in " + config, "./deckhand config check"));
        ImageRef image = registry(ecr, repository, new ImageDigest(promote.digest), null);
        return new DeploymentRequest.PromotionRequested(promote.service, promote.from, promote.to, image, null, null);
    }

    private static ImageDetail describe(EcrClient ecr, String repository, String tag) {
        try {
            return ecr.describeImages(request -> request.repositoryName(repository).imageIds(id -> id.imageTag(tag)))
                    .imageDetails().get(0);
        } catch (ImageNotFoundException | RepositoryNotFoundException e) {
            throw new UserError("ECR has no image " + repository + ":" + tag + ": " + e.awsErrorDetails().errorMessage(),
                    null);
        }
    }

    /** The image as a task definition names it: the repository's registry host, pinned by digest. */
    private static ImageRef registry(EcrClient ecr, String repository, ImageDigest digest, String tag) {
        String uri;
        try {
            uri = ecr.describeRepositories(request -> request.repositoryNames(repository)).repositories().get(0)
                    .repositoryUri();
        } catch (RepositoryNotFoundException e) {
            throw new UserError("ECR has no repository " + repository, null);
        }
        return new ImageRef(uri.substring(0, uri.indexOf('/')), repository, digest, tag);
    }
}
