package dev.deckhand.aws;

import dev.deckhand.config.ConfigurationLoader;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.deploy.HookFunction;
import dev.deckhand.health.HealthProbe;
import dev.deckhand.health.HttpHealthProbe;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The Lambda environment the CDK app sets: every variable a handler reads is named here, and
 * {@link #wiring()} builds the services from them, once per container, for the handlers'
 * no-argument constructors. The local Deckhand builds its own {@link Wiring} from the local cloud.
 */
public final class Environment {

    /** The SSM parameter holding {@code deckhand.yml}. */
    public static final String CONFIG_PARAMETER = "DECKHAND_CONFIG_PARAMETER";
    /** Alternatively, a file holding {@code deckhand.yml} (e.g. packaged with the function). */
    public static final String CONFIG_FILE = "DECKHAND_CONFIG_FILE";
    /** The DynamoDB table of the deployment history. */
    public static final String HISTORY_TABLE = "DECKHAND_HISTORY_TABLE";
    /** The DynamoDB table of the per-target locks. */
    public static final String LOCKS_TABLE = "DECKHAND_LOCKS_TABLE";
    /** The SNS topic every outcome is published to. */
    public static final String TOPIC_ARN = "DECKHAND_TOPIC_ARN";
    /** The EventBridge bus outcome events go to; {@code default} unless set. */
    public static final String EVENT_BUS = "DECKHAND_EVENT_BUS";
    /** The deployer state machine, which the promote API starts. */
    public static final String STATE_MACHINE_ARN = "DECKHAND_STATE_MACHINE_ARN";
    /** GitHub's API root for the github notification target (a GitHub Enterprise Server's); api.github.com when unset. */
    public static final String GITHUB_API_URL = "DECKHAND_GITHUB_API_URL";
    /** The deployment API's URL, whose /deployments/{id} is a GitHub deployment's log_url; none when unset. */
    public static final String API_URL = "DECKHAND_API_URL";
    /** The waits table: which task token waits for which ECS event. */
    public static final String WAITS_TABLE = "DECKHAND_WAITS_TABLE";
    /** The lifecycle-hook function's ARN, which UpdateService names as the hook target. */
    public static final String HOOK_FUNCTION_ARN = "DECKHAND_HOOK_FUNCTION_ARN";
    /** The role ECS assumes to invoke the lifecycle-hook function. */
    public static final String HOOK_ROLE_ARN = "DECKHAND_HOOK_ROLE_ARN";
    /** The ad-hoc freezes table. */
    public static final String FREEZES_TABLE = "DECKHAND_FREEZES_TABLE";

    /** The CloudFormation stack the CDK app deploys unless told another name. */
    public static final String DEFAULT_STACK_NAME = "Deckhand";

    private static Wiring wiring;
    private static HealthProbe healthProbe;

    /** The SSM parameter that holds {@code deckhand.yml} for a stack (the CDK app writes it; the local Deckhand too). */
    public static String configurationParameterName(String stackName) {
        return "/deckhand/" + stackName + "/configuration";
    }

    private Environment() {
    }

    /**
     * The services of this container, wired from its variables once. A variable is read when a
     * service needs it, so each function needs only those of its own access.
     */
    public static synchronized Wiring wiring() {
        if (wiring == null) {
            AwsClients clients = AwsClients.fromEnvironment();
            // STS and the health probe's HTTP client are built when first used: most functions need neither.
            AssumedRoles.Sts sts = (role, session, seconds) -> clients.sts().assumeRole(role, session, seconds);
            wiring = new Wiring(new Wiring.Parts(clients, new AssumedRoles(sts, Clock.systemUTC()),
                    Clock.systemUTC(), () -> configurationSource(clients), () -> required(HISTORY_TABLE),
                    () -> required(LOCKS_TABLE), () -> required(WAITS_TABLE), () -> required(FREEZES_TABLE),
                    () -> required(TOPIC_ARN),
                    () -> optional(EVENT_BUS).orElse("default"),
                    Optional.of(optional(GITHUB_API_URL).map(URI::create).orElse(GitHubChannel.GITHUB_API)),
                    optional(API_URL).map(URI::create).orElse(null), PowertoolsMetricsSink::new,
                    (url, timeout) -> healthProbe().probe(url, timeout), duration -> Thread.sleep(duration.toMillis()),
                    () -> required(STATE_MACHINE_ARN), Environment::hookFunction));
        }
        return wiring;
    }

    private static synchronized HealthProbe healthProbe() {
        if (healthProbe == null) {
            healthProbe = new HttpHealthProbe();
        }
        return healthProbe;
    }

    private static ConfigurationSource configurationSource(AwsClients clients) {
        Optional<String> parameter = optional(CONFIG_PARAMETER);
        if (parameter.isPresent()) {
            return new SsmConfigurationSource(clients.ssm(), parameter.get());
        }
        Optional<String> file = optional(CONFIG_FILE);
        if (file.isPresent()) {
            return () -> ConfigurationLoader.load(Path.of(file.get()));
        }
        throw new IllegalStateException("set " + CONFIG_PARAMETER + " (an SSM parameter name) or " + CONFIG_FILE
                + " (a file path) to tell Deckhand where its configuration is");
    }

    /** Deckhand's lifecycle hook as the stack deployed it, or {@code null} where it deployed none. */
    private static HookFunction hookFunction() {
        Optional<String> function = optional(HOOK_FUNCTION_ARN);
        Optional<String> role = optional(HOOK_ROLE_ARN);
        return function.isEmpty() || role.isEmpty() ? null : new HookFunction(function.get(), role.get());
    }

    private static Optional<String> optional(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(value -> !value.isBlank());
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set; the CDK app sets it on every Deckhand function");
        }
        return value;
    }
}
