package dev.deckhand.cleanup;

import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.config.ServiceDefinition;
import dev.deckhand.deploy.EcsDeployment;
import dev.deckhand.deploy.EcsDeployments;
import dev.deckhand.history.DeploymentHistory;
import dev.deckhand.history.VerifiedRevision;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a successful deployment, deregisters the revisions of the service's family that Deckhand
 * registered, keeping the environment's newest {@code keepRevisions} and never one that runs (any
 * deployment of the service) or is the last verified revision of any environment. It never fails:
 * a deployment that succeeded stays SUCCEEDED; what went wrong is logged and said in the note.
 */
public final class RevisionCleanup {

    private static final Logger LOG = LoggerFactory.getLogger(RevisionCleanup.class);

    private final ConfigurationSource configuration;
    private final DeploymentHistory history;
    private final EcsDeployments ecs;
    private final TaskDefinitionFamilies families;

    public RevisionCleanup(ConfigurationSource configuration, DeploymentHistory history, EcsDeployments ecs,
            TaskDefinitionFamilies families) {
        this.configuration = configuration;
        this.history = history;
        this.ecs = ecs;
        this.families = families;
    }

    /**
     * What the cleanup did.
     *
     * @param deregistered the revisions now INACTIVE, oldest first
     * @param note one line for the outcome
     */
    public record Report(List<String> deregistered, String note) {
    }

    /** Cleans up after {@code release} (the revision just verified) went live on {@code cluster/ecsService}. */
    public Report afterSuccess(String service, String environment, String cluster, String ecsService, String release) {
        try {
            DeckhandConfiguration config = configuration.load();
            java.util.Optional<EnvironmentDefinition> target = config.service(service)
                    .map(ServiceDefinition::environments).map(environments -> environments.get(environment));
            if (target.filter(EnvironmentDefinition::crossAccount).isPresent()) {
                // Its revisions live in the other account, which the record function's role does not act in
                // (only deploy, migration and rollback assume the deployment role): no call its policy denies.
                String note = "cleanup skipped: " + service + "/" + environment + " lives in account "
                        + target.get().account() + ", where Deckhand does not deregister revisions (the deployment is unaffected)";
                LOG.info("Cleanup: {}", note);
                return new Report(List.of(), note);
            }
            int keep = target.map(EnvironmentDefinition::keepRevisions)
                    .orElse(EnvironmentDefinition.DEFAULT_KEEP_REVISIONS);
            String family = KeepRule.family(release);
            Set<String> kept = new HashSet<>();
            kept.add(release);
            ecs.describeService(cluster, ecsService).deployments().stream()
                    .map(EcsDeployment::taskDefinitionArn).forEach(kept::add);
            for (ServiceDefinition each : config.services().values()) {
                for (String name : each.environments().keySet()) {
                    history.lastVerified(each.name(), name).map(VerifiedRevision::taskDefinition).ifPresent(kept::add);
                }
            }
            List<String> doomed = KeepRule.toDeregister(families.registeredByDeckhand(family), keep, kept);
            List<String> deregistered = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (String arn : doomed) {
                try {
                    families.deregister(arn);
                    deregistered.add(arn);
                } catch (RuntimeException e) {
                    LOG.warn("Could not deregister {}: {}", arn, e.getMessage());
                    failed.add(arn);
                }
            }
            String note = "kept the newest " + keep + " revisions of " + family + " that Deckhand registered, deregistered "
                    + deregistered.size() + (failed.isEmpty() ? "" : "; could not deregister " + failed.size()
                    + " (" + String.join(", ", failed) + "), the deployment is unaffected");
            LOG.info("Cleanup: {}", note);
            return new Report(deregistered, note);
        } catch (RuntimeException e) {
            LOG.warn("Task-definition cleanup skipped: {}", e.getMessage());
            return new Report(List.of(), "cleanup skipped (the deployment is unaffected): " + e.getMessage());
        }
    }
}
