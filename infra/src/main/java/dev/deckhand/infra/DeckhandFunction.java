package dev.deckhand.infra;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One Deckhand handler as Lambda runs it: Java 21 on arm64 from the shared jar, SnapStart on a
 * published version reached through the alias {@value #ALIAS}, its own role (nothing attached
 * but what the stack grants), its own log group with a retention, Powertools settings, X-Ray.
 */
public final class DeckhandFunction extends Construct {

    /** The alias every caller uses: SnapStart applies only to published versions, never to $LATEST. */
    public static final String ALIAS = "live";
    /** Powertools' service name, shared by every handler so logs and metrics group together. */
    public static final String SERVICE_NAME = "deckhand";
    /** The CloudWatch namespace of Deckhand's own metrics (Powertools metrics). */
    public static final String METRICS_NAMESPACE = "Deckhand";

    private final FunctionSpec spec;
    private final Role role;
    private final LogGroup logGroup;
    private final Function function;
    private final Alias alias;

    /**
     * @param environment variables every handler reads (e.g. the configuration parameter); the
     *     Powertools settings are added here
     */
    public DeckhandFunction(Construct scope, FunctionSpec spec, Code code, Map<String, String> environment) {
        this(scope, spec, code, environment, null);
    }

    /**
     * @param roleName the role's fixed name, or {@code null} to let CloudFormation name it; fixed
     *     when another account's deployment role trusts it by ARN
     */
    public DeckhandFunction(Construct scope, FunctionSpec spec, Code code, Map<String, String> environment,
            String roleName) {
        super(scope, spec.name());
        this.spec = spec;
        this.role = Role.Builder.create(this, "Role")
                .roleName(roleName)
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Deckhand " + spec.name() + ": only what this handler needs")
                .build();
        this.logGroup = LogGroup.Builder.create(this, "Logs")
                // Deployment logs are an audit trail people read when a release goes wrong weeks later.
                .retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        logGroup.grantWrite(role);
        Map<String, String> variables = new LinkedHashMap<>(environment);
        variables.put("POWERTOOLS_SERVICE_NAME", SERVICE_NAME);
        variables.put("POWERTOOLS_LOG_LEVEL", "INFO");
        variables.put("POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE);
        Function.Builder builder = Function.Builder.create(this, "Function")
                .description(spec.description())
                // Java 21: the newest Java runtime Powertools 2 and SnapStart on arm64 are documented for.
                .runtime(Runtime.JAVA_21)
                // Graviton: about 20% cheaper per GB-second, and SnapStart supports it for Java 21.
                .architecture(Architecture.ARM_64)
                .code(code)
                .handler(spec.handler())
                .memorySize(spec.memoryMb())
                .timeout(spec.timeout())
                .role(role)
                .logGroup(logGroup)
                .environment(variables)
                .tracing(Tracing.ACTIVE)
                // https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html: restores a snapshot of the
                // initialised JVM (SDK clients, Jackson, configuration source) instead of cold-starting it.
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
        if (spec.reservedConcurrency() != null) {
            builder.reservedConcurrentExecutions(spec.reservedConcurrency());
        }
        this.function = builder.build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "Every caller invokes the alias below, which points at a published version (currentVersion).");
        this.alias = Alias.Builder.create(this, "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
        AcceptedFindings.function(this);
    }

    public FunctionSpec spec() {
        return spec;
    }

    /** The role the function runs with; grant to it, never to a shared role. */
    public Role role() {
        return role;
    }

    public LogGroup logGroup() {
        return logGroup;
    }

    public Function function() {
        return function;
    }

    /** The published alias: what the state machine, rules and the API invoke. */
    public Alias alias() {
        return alias;
    }
}
