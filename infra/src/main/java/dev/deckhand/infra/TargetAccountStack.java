package dev.deckhand.infra;

import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.catalogue.Policies;
import dev.deckhand.catalogue.ResourceNames;
import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.config.EnvironmentDefinition;
import dev.deckhand.events.EcsEventPatterns;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.CompositePrincipal;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * What one target account needs for Deckhand to deploy there, deployed separately with that
 * account's credentials: the deployment role each of its cross-account environments names,
 * trusting only the roles of Deckhand's deploy, migration and rollback functions (by ARN), with
 * the least-privilege ECS, Logs and PassRole statements {@link Policies#deploymentRole} renders
 * for the account, the same statements the local cloud enforces. And the forwarding of this
 * account's ECS events: ECS publishes them on this account's default bus, so two rules with
 * Deckhand's ECS patterns (scoped to this account and its environments' clusters) send them to
 * Deckhand's default bus, where Deckhand's own ECS rules hand them to wait-router.
 */
public final class TargetAccountStack extends Stack {

    /** The functions that assume the deployment roles (ASSUME_DEPLOYMENT_ROLES, or ASSUME_MIGRATION_ROLES for migration). */
    static final List<DeployerFunction> ASSUMING = List.of(DeployerFunction.DEPLOY, DeployerFunction.MIGRATION,
            DeployerFunction.ROLLBACK);

    private static final int ROLE_NAME_MAX = 64;

    /**
     * @param account the target account (12 digits), whose environments' roles this stack holds
     * @param deckhandAccount the account Deckhand's own stack runs in
     * @param deckhandStack the name of Deckhand's own stack, which names its functions' roles
     */
    public TargetAccountStack(Construct scope, String id, DeckhandConfiguration configuration, String account,
            String deckhandAccount, String deckhandStack) {
        super(scope, id, StackProps.builder()
                .description("Deckhand deployment roles of account " + account + ", trusted by stack " + deckhandStack
                        + " in " + deckhandAccount)
                .env(Environment.builder().account(account).build())
                .build());
        IPrincipal trusted = new CompositePrincipal(ASSUMING.stream()
                .map(function -> (IPrincipal) new ArnPrincipal("arn:" + Aws.PARTITION + ":iam::" + deckhandAccount
                        + ":role/" + functionRoleName(deckhandStack, function)))
                .toArray(IPrincipal[]::new));
        PolicyDocument policy = PolicyDocument.Builder.create()
                .statements(Policies.deploymentRole(configuration, names(account)).stream().map(CdkStatements::of).toList())
                .build();
        for (String roleArn : rolesIn(configuration, account)) {
            String path = roleArn.substring(roleArn.indexOf(":role/") + ":role".length(), roleArn.lastIndexOf('/') + 1);
            Role role = Role.Builder.create(this, roleArn.substring(roleArn.lastIndexOf('/') + 1))
                    .roleName(roleArn.substring(roleArn.lastIndexOf('/') + 1))
                    .path(path)
                    .description("Deckhand deploys ECS services of this account through this role")
                    .assumedBy(trusted)
                    .inlinePolicies(java.util.Map.of("Deckhand", policy))
                    .build();
            AcceptedFindings.deploymentRole(role, account, clustersIn(configuration, account));
        }
        forwardEcsEvents(configuration, account, deckhandAccount);
    }

    /**
     * Rules on this account's default bus whose target is Deckhand's default bus, in this stack's
     * region. A cross-account event bus target needs a role in the sending account that may
     * events:PutEvents on the receiving bus, and the receiving bus a resource policy allowing the
     * sender ("Sending and receiving events between AWS accounts in Amazon EventBridge",
     * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html; the policy is
     * {@link DeckhandStack}'s). The role may put events on that one bus and nothing else.
     */
    private void forwardEcsEvents(DeckhandConfiguration configuration, String account, String deckhandAccount) {
        String deckhandBus = "arn:" + Aws.PARTITION + ":events:" + Aws.REGION + ":" + deckhandAccount
                + ":event-bus/default";
        Role forwarder = Role.Builder.create(this, "EcsEventForwarder")
                .description("EventBridge puts this account's ECS events on Deckhand's default bus in " + deckhandAccount)
                .assumedBy(new ServicePrincipal("events.amazonaws.com"))
                .inlinePolicies(java.util.Map.of("PutOnDeckhandBus", PolicyDocument.Builder.create()
                        .statements(List.of(PolicyStatement.Builder.create()
                                .actions(List.of("events:PutEvents"))
                                .resources(List.of(deckhandBus))
                                .build()))
                        .build()))
                .build();
        forwardingRule("EcsDeployments", "This account's ECS service deployments that completed or failed, for "
                + "Deckhand's waiting deployer", EcsEventPatterns.deploymentsIn(configuration, account), deckhandBus,
                forwarder);
        forwardingRule("EcsStoppedTasks", "Deckhand's migration tasks in this account that stopped, for Deckhand's "
                + "waiting deployer", EcsEventPatterns.stoppedTasksIn(configuration, account), deckhandBus, forwarder);
    }

    private void forwardingRule(String id, String description, String pattern, String deckhandBus, Role forwarder) {
        CfnRule.Builder.create(this, id)
                .description(description)
                .state("ENABLED")
                .eventPattern(PushTrigger.parse(pattern))
                .targets(List.of(CfnRule.TargetProperty.builder()
                        .id("DeckhandBus")
                        .arn(deckhandBus)
                        .roleArn(forwarder.getRoleArn())
                        .build()))
                .build();
    }

    /**
     * The name of a function's role in Deckhand's stack when it assumes deployment roles: fixed, so
     * a target account's trust policy can name it before the role is ever replaced.
     */
    public static String functionRoleName(String deckhandStack, DeployerFunction function) {
        String name = deckhandStack + "-" + function.functionName();
        if (name.length() > ROLE_NAME_MAX) {
            throw new SynthesisException("the role name '" + name + "' is longer than IAM's 64 characters: "
                    + "choose a shorter stackName for an installation with cross-account environments");
        }
        return name;
    }

    private static Set<String> rolesIn(DeckhandConfiguration configuration, String account) {
        Set<String> roles = new LinkedHashSet<>();
        configuration.services().values().forEach(service -> service.environments().values().stream()
                .filter(EnvironmentDefinition::crossAccount)
                .filter(environment -> environment.account().equals(account))
                .forEach(environment -> roles.add(environment.roleArn())));
        return roles;
    }

    private static Set<String> clustersIn(DeckhandConfiguration configuration, String account) {
        Set<String> clusters = new java.util.TreeSet<>();
        configuration.services().values().forEach(service -> service.environments().values().stream()
                .filter(EnvironmentDefinition::crossAccount)
                .filter(environment -> environment.account().equals(account))
                .forEach(environment -> clusters.add(environment.cluster())));
        return clusters;
    }

    /** The target account's names: its id is literal (it selects its environments), the region this stack's. */
    private static ResourceNames names(String account) {
        return ResourceNames.of(Aws.PARTITION, Aws.REGION, account, resource -> {
            throw new IllegalStateException(resource + " is Deckhand's own; a deployment role never reaches it");
        });
    }
}
