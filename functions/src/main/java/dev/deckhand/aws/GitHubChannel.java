package dev.deckhand.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.config.GitHubTarget;
import dev.deckhand.config.NotificationSettings;
import dev.deckhand.json.DeckhandJson;
import dev.deckhand.notify.DeploymentReport;
import dev.deckhand.notify.GitHubDeployments;
import dev.deckhand.notify.NotificationChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Shows an environment's deployments on GitHub through the REST API: a deployment of the image's
 * commit, its statuses in_progress then success, failure or inactive, with {@code log_url} the
 * deployment's status URL, and an issue when a rollback failed. The token is read from Secrets
 * Manager when sending and never appears in a log, a message or an exception.
 */
public final class GitHubChannel implements NotificationChannel {

    /** GitHub's REST API (docs.github.com, "Getting started with the REST API"). */
    public static final URI GITHUB_API = URI.create("https://api.github.com");
    private static final String API_VERSION = "2022-11-28";

    private final AwsJsonClient secrets;
    private final URI api;
    private final Optional<URI> statusBase;

    /**
     * @param api GitHub's API root ({@link #GITHUB_API}, a GitHub Enterprise Server's, or a test's)
     * @param statusBase the Deckhand API whose {@code /deployments/<id>} is each deployment's
     *     status, or {@code null} when it is not known (no {@code log_url} then)
     */
    public GitHubChannel(AwsJsonClient secrets, URI api, URI statusBase) {
        this.secrets = secrets;
        this.api = api;
        this.statusBase = Optional.ofNullable(statusBase);
    }

    @Override
    public String name() {
        return "github";
    }

    @Override
    public boolean send(DeploymentReport report, NotificationSettings settings) throws Exception {
        GitHubTarget github = settings == null ? null : settings.github();
        Optional<String> state = GitHubDeployments.finalState(report.outcome());
        Optional<String> ref = GitHubDeployments.ref(report.tag());
        if (github == null || state.isEmpty() || ref.isEmpty() || report.environment() == null) {
            return false;
        }
        String token = AwsCalls.call("read GitHub token secret " + github.tokenSecret(),
                // API_GetSecretValue: the text of the AWSCURRENT version is SecretString.
                () -> secrets.call("GetSecretValue", DeckhandJson.MAPPER.createObjectNode()
                        .put("SecretId", github.tokenSecret())).path("SecretString").asText());
        String repository = "/repos/" + github.repository();
        String description = GitHubDeployments.description(report.summary());

        // "Create a deployment": Deckhand deploys an image already built, so GitHub must neither merge
        // the default branch into the ref (auto_merge) nor wait for commit statuses (required_contexts []).
        ObjectNode deployment = DeckhandJson.MAPPER.createObjectNode()
                .put("ref", ref.get())
                .put("task", "deploy")
                .put("auto_merge", false)
                .put("environment", github.environment() != null ? github.environment() : report.environment())
                .put("description", description);
        deployment.putArray("required_contexts");
        deployment.putObject("payload").put("deploymentId", report.deploymentId()).put("image", report.image())
                .put("service", report.service()).put("environment", report.environment());
        JsonNode created = post(token, repository + "/deployments", deployment, 201);
        long id = created.path("id").asLong();

        for (String status : new String[] {"in_progress", state.get()}) {
            ObjectNode body = DeckhandJson.MAPPER.createObjectNode().put("state", status)
                    .put("description", status.equals("in_progress") ? "Deckhand is deploying " + ref.get()
                            : description);
            statusBase.ifPresent(base -> body.put("log_url", base.toString().replaceAll("/$", "")
                    + "/deployments/" + report.deploymentId()));
            post(token, repository + "/deployments/" + id + "/statuses", body, 201);
        }

        if (GitHubDeployments.opensIssue(report.outcome())) {
            ObjectNode issue = DeckhandJson.MAPPER.createObjectNode()
                    .put("title", "Deckhand: rollback failed for " + report.service() + "/" + report.environment())
                    .put("body", report.summary() + "\n\nDeployment: " + report.deploymentId()
                            + "\nImage: " + report.image()
                            + (report.executionArn() == null ? "" : "\nExecution: " + report.executionArn()));
            post(token, repository + "/issues", issue, 201);
        }
        return true;
    }

    private JsonNode post(String token, String path, ObjectNode body, int expected) throws IOException,
            InterruptedException {
        HttpResponse<String> response;
        try {
            response = WebhookHttp.client().send(HttpRequest.newBuilder(api.resolve(api.getPath().replaceAll("/$", "") + path))
                            .timeout(Duration.ofSeconds(10))
                            .header("Accept", "application/vnd.github+json")
                            .header("X-GitHub-Api-Version", API_VERSION)
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            // The request (and its Authorization header) never goes into the message.
            throw new IOException("GitHub did not answer POST " + path + " (" + e.getClass().getSimpleName() + ")");
        }
        if (response.statusCode() != expected) {
            throw new IOException("GitHub answered HTTP " + response.statusCode() + " to POST " + path);
        }
        return DeckhandJson.MAPPER.readTree(response.body());
    }
}
