package dev.deckhand.infra;

import dev.deckhand.deployment.DeploymentId;
import dev.deckhand.deployment.ImageDigest;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.JsonSchema;
import software.amazon.awscdk.services.apigateway.JsonSchemaType;
import software.amazon.awscdk.services.apigateway.JsonSchemaVersion;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.Model;
import software.amazon.awscdk.services.apigateway.RequestValidator;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The promote and status API: a regional REST API, IAM-authorised, limited to the account by its
 * resource policy, throttled, with access logs. {@code POST /promotions} bodies are validated
 * against a JSON schema model before the handler runs.
 */
public final class PromoteApi extends Construct {

    /** Service and environment names: the configuration's own rule for names. */
    static final String NAME_PATTERN = "^" + DeploymentId.NAME.pattern() + "$";
    static final String DIGEST_PATTERN = "^" + ImageDigest.FORMAT.pattern() + "$";
    /** Steady requests per second and burst: people and CI jobs promoting, never a flood. */
    static final int RATE_LIMIT = 5;
    static final int BURST_LIMIT = 10;

    private final RestApi api;

    public PromoteApi(Construct scope, String id, DeckhandFunction handler) {
        super(scope, id);
        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.api = RestApi.Builder.create(this, "Api")
                .description("Deckhand: promote an image to an environment, read deployment status")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                // Callers sign with SigV4; the resource policy also limits them to this account
                // (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html).
                .policy(PolicyDocument.Builder.create()
                        .statements(List.of(PolicyStatement.Builder.create()
                                .effect(Effect.ALLOW)
                                .principals(List.of(new AccountRootPrincipal()))
                                .actions(List.of("execute-api:Invoke"))
                                .resources(List.of("execute-api:/*"))
                                .build()))
                        .build())
                .defaultMethodOptions(MethodOptions.builder().authorizationType(AuthorizationType.IAM).build())
                // Execution logging needs the account's API Gateway CloudWatch role.
                .cloudWatchRole(true)
                .cloudWatchRoleRemovalPolicy(RemovalPolicy.RETAIN)
                .deployOptions(StageOptions.builder()
                        .stageName("v1")
                        .throttlingRateLimit(RATE_LIMIT)
                        .throttlingBurstLimit(BURST_LIMIT)
                        .accessLogDestination(new LogGroupLogDestination(accessLogs))
                        .accessLogFormat(AccessLogFormat.jsonWithStandardFields())
                        .loggingLevel(MethodLoggingLevel.ERROR)
                        .metricsEnabled(true)
                        .tracingEnabled(true)
                        .build())
                .build();

        LambdaIntegration integration = new LambdaIntegration(handler.alias());
        RequestValidator bodyValidator = RequestValidator.Builder.create(this, "BodyValidator")
                .restApi(api)
                .validateRequestBody(true)
                .validateRequestParameters(true)
                .build();
        RequestValidator parameterValidator = RequestValidator.Builder.create(this, "ParameterValidator")
                .restApi(api)
                .validateRequestParameters(true)
                .build();

        api.getRoot().addResource("promotions").addMethod("POST", integration, MethodOptions.builder()
                .requestValidator(bodyValidator)
                .requestModels(Map.of("application/json", promotionModel()))
                .build());
        Resource deployment = api.getRoot().addResource("deployments").addResource("{id}");
        deployment.addMethod("GET", integration,
                MethodOptions.builder()
                        .requestValidator(parameterValidator)
                        .requestParameters(Map.of("method.request.path.id", true))
                        .build());
        // An answer to a deployment waiting for approval. The id (<service>.<env>.<hex>) is in the path,
        // so an identity policy allows approvals per environment:
        // .../POST/deployments/storefront.prod.*/approval.
        deployment.addResource("approval").addMethod("POST", integration, MethodOptions.builder()
                .requestValidator(bodyValidator)
                .requestParameters(Map.of("method.request.path.id", true))
                .requestModels(Map.of("application/json", approvalModel()))
                .build());
        Resource environment = api.getRoot().addResource("services").addResource("{service}")
                .addResource("environments").addResource("{env}");
        environment.addResource("deployments").addMethod("GET", integration, MethodOptions.builder()
                .requestValidator(parameterValidator)
                .requestParameters(Map.of("method.request.path.service", true, "method.request.path.env", true))
                .build());
        // DORA figures (GET /metrics?service=&environment=&since=30d), IAM-authorized like the rest.
        api.getRoot().addResource("metrics").addMethod("GET", integration, MethodOptions.builder()
                .requestValidator(parameterValidator)
                .requestParameters(Map.of("method.request.querystring.service", false,
                        "method.request.querystring.environment", false, "method.request.querystring.since", false))
                .build());
        // The target is in the path, so the resource IAM authorizes names it: an identity policy can
        // allow .../POST/services/<service>/environments/prod/promotions to a few principals only.
        environment.addResource("promotions").addMethod("POST", integration, MethodOptions.builder()
                .requestValidator(bodyValidator)
                .requestParameters(Map.of("method.request.path.service", true, "method.request.path.env", true))
                .requestModels(Map.of("application/json", targetedPromotionModel()))
                .build());
        // Ad-hoc freezes, authorized per environment the same way: .../PUT/services/<service>/environments/prod/freeze
        // (the service may be "all": .../PUT/services/all/environments/prod/freeze freezes every service's prod).
        Resource freeze = environment.addResource("freeze");
        freeze.addMethod("PUT", integration, MethodOptions.builder()
                .requestValidator(bodyValidator)
                .requestParameters(Map.of("method.request.path.service", true, "method.request.path.env", true))
                .requestModels(Map.of("application/json", freezeModel()))
                .build());
        freeze.addMethod("DELETE", integration, MethodOptions.builder()
                .requestValidator(parameterValidator)
                .requestParameters(Map.of("method.request.path.service", true, "method.request.path.env", true))
                .build());
        // Likewise a deliberate rollback: .../POST/services/<service>/environments/<env>/rollbacks.
        environment.addResource("rollbacks").addMethod("POST", integration, MethodOptions.builder()
                .requestValidator(bodyValidator)
                .requestParameters(Map.of("method.request.path.service", true, "method.request.path.env", true))
                .requestModels(Map.of("application/json", rollbackModel()))
                .build());
        AcceptedFindings.promoteApi(this);
    }

    public RestApi api() {
        return api;
    }

    private Model targetedPromotionModel() {
        return Model.Builder.create(this, "TargetedPromotionModel")
                .restApi(api)
                .contentType("application/json")
                .modelName("TargetedPromotion")
                .description("A promotion to the environment the path names: {from, digest?, breakGlass?}")
                .schema(JsonSchema.builder()
                        .schema(JsonSchemaVersion.DRAFT4)
                        .title("TargetedPromotion")
                        .type(JsonSchemaType.OBJECT)
                        .required(List.of("from"))
                        .properties(Map.of(
                                "from", JsonSchema.builder().type(JsonSchemaType.STRING).pattern(NAME_PATTERN).build(),
                                "digest", JsonSchema.builder().type(JsonSchemaType.STRING).pattern(DIGEST_PATTERN).build(),
                                "breakGlass", breakGlassReason()))
                        .additionalProperties(false)
                        .build())
                .build();
    }

    private Model freezeModel() {
        return Model.Builder.create(this, "FreezeModel")
                .restApi(api)
                .contentType("application/json")
                .modelName("Freeze")
                .description("An ad-hoc freeze: {reason, until?} (an instant, or a duration such as 2h)")
                .schema(JsonSchema.builder()
                        .schema(JsonSchemaVersion.DRAFT4)
                        .title("Freeze")
                        .type(JsonSchemaType.OBJECT)
                        .required(List.of("reason"))
                        .properties(Map.of(
                                "reason", JsonSchema.builder().type(JsonSchemaType.STRING).minLength(1)
                                        .maxLength(dev.deckhand.freeze.AdHocFreezeService.MAX_REASON).build(),
                                "until", JsonSchema.builder().type(JsonSchemaType.STRING).maxLength(40).build()))
                        .additionalProperties(false)
                        .build())
                .build();
    }

    private Model approvalModel() {
        return Model.Builder.create(this, "ApprovalModel")
                .restApi(api)
                .contentType("application/json")
                .modelName("Approval")
                .description("An answer to a deployment waiting for approval: {decision: approve|reject, comment?}")
                .schema(JsonSchema.builder()
                        .schema(JsonSchemaVersion.DRAFT4)
                        .title("Approval")
                        .type(JsonSchemaType.OBJECT)
                        .required(List.of("decision"))
                        .properties(Map.of(
                                "decision", JsonSchema.builder().type(JsonSchemaType.STRING)
                                        .enumValue(List.of("approve", "reject")).build(),
                                "comment", JsonSchema.builder().type(JsonSchemaType.STRING)
                                        .maxLength(dev.deckhand.approve.ApprovalService.MAX_COMMENT).build()))
                        .additionalProperties(false)
                        .build())
                .build();
    }

    /** The reason of a break-glass override of a freeze; the handler checks it is printable too. */
    private static JsonSchema breakGlassReason() {
        return JsonSchema.builder().type(JsonSchemaType.STRING).minLength(1)
                .maxLength(dev.deckhand.resolve.DeploymentRequestParser.MAX_BREAK_GLASS).build();
    }

    private Model rollbackModel() {
        return Model.Builder.create(this, "RollbackModel")
                .restApi(api)
                .contentType("application/json")
                .modelName("Rollback")
                .description("A rollback of the environment the path names: {to?} (a deployment id or a digest)")
                .schema(JsonSchema.builder()
                        .schema(JsonSchemaVersion.DRAFT4)
                        .title("Rollback")
                        .type(JsonSchemaType.OBJECT)
                        .properties(Map.of("to", JsonSchema.builder().type(JsonSchemaType.STRING)
                                .pattern("^(" + DeploymentId.NAME.pattern() + "\\." + DeploymentId.NAME.pattern()
                                        + "\\.[0-9a-f]{16}|" + ImageDigest.FORMAT.pattern() + ")$").build()))
                        .additionalProperties(false)
                        .build())
                .build();
    }

    private Model promotionModel() {
        JsonSchema name = JsonSchema.builder().type(JsonSchemaType.STRING).pattern(NAME_PATTERN).build();
        return Model.Builder.create(this, "PromotionModel")
                .restApi(api)
                .contentType("application/json")
                .modelName("Promotion")
                .description("A promotion request: {service, from, to, digest?, breakGlass?}")
                .schema(JsonSchema.builder()
                        .schema(JsonSchemaVersion.DRAFT4)
                        .title("Promotion")
                        .type(JsonSchemaType.OBJECT)
                        .required(List.of("service", "from", "to"))
                        .properties(Map.of(
                                "service", name,
                                "from", name,
                                "to", name,
                                "digest", JsonSchema.builder().type(JsonSchemaType.STRING).pattern(DIGEST_PATTERN).build(),
                                "breakGlass", breakGlassReason()))
                        .additionalProperties(false)
                        .build())
                .build();
    }
}
