package dev.deckhand.infra;

import dev.deckhand.aws.Environment;
import dev.deckhand.errors.ConfigurationUnavailableException;
import dev.deckhand.errors.InvalidConfigurationException;
import java.io.PrintStream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: {@code cdk synth} / {@code cdk deploy} run it (see {@code infra/cdk.json}). Context
 * keys ({@code -c key=value}): {@code config}, {@code definition}, {@code functionsJar},
 * {@code stackName} (default {@value #DEFAULT_STACK_NAME}), {@code deckhandAccount} (the account
 * Deckhand's stack runs in; needed when an environment names another {@code account}, whose
 * {@link TargetAccountStack} {@code <stackName>-Target-<account>} trusts Deckhand's functions there).
 */
public final class DeckhandApp {

    static final String DEFAULT_STACK_NAME = Environment.DEFAULT_STACK_NAME;

    private DeckhandApp() {
    }

    public static void main(String[] args) {
        System.exit(run(new App(), System.err));
    }

    /**
     * Builds and synthesizes the stack. A bad configuration, a missing file or a configuration too
     * large for SSM is a user's mistake, not a crash: its message goes to {@code err}, with no stack
     * trace, and the result is 1.
     *
     * @return the process exit code
     */
    public static int run(App app, PrintStream err) {
        try {
            Object name = app.getNode().tryGetContext("stackName");
            String stackName = name == null ? DEFAULT_STACK_NAME : name.toString();
            DeckhandSettings settings = DeckhandSettings.fromContext(app.getNode());
            new DeckhandStack(app, stackName, StackProps.builder()
                    .description("Deckhand: event-driven deployer for ECS services")
                    .build(), settings);
            targetAccountStacks(app, stackName, settings);
            dev.deckhand.catalogue.Policies.rolesAdvice(settings.configuration())
                    .ifPresent(advice -> err.println("deckhand: " + advice));
            app.synth();
            return 0;
        } catch (InvalidConfigurationException | ConfigurationUnavailableException | SynthesisException e) {
            err.println("deckhand: " + e.getMessage());
            return 1;
        }
    }

    /** One separately deployable stack per target account of the configuration. */
    private static void targetAccountStacks(App app, String stackName, DeckhandSettings settings) {
        var accounts = dev.deckhand.catalogue.Policies.targetAccounts(settings.configuration());
        if (accounts.isEmpty()) {
            return;
        }
        Object deckhandAccount = app.getNode().tryGetContext("deckhandAccount");
        if (deckhandAccount == null || !deckhandAccount.toString().matches("\\d{12}")) {
            throw new SynthesisException("environments in account(s) " + String.join(", ", accounts) + " need "
                    + "-c deckhandAccount=<the 12-digit account Deckhand runs in>, whose functions their deployment "
                    + "roles trust");
        }
        for (String account : accounts) {
            new TargetAccountStack(app, stackName + "-Target-" + account, settings.configuration(), account,
                    deckhandAccount.toString(), stackName);
        }
    }
}
