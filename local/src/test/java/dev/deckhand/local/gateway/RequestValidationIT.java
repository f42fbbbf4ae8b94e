package dev.deckhand.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.local.LocalCloud;
import dev.deckhand.local.ecr.LocalEcr;
import dev.deckhand.local.ecs.LocalEcs;
import dev.deckhand.local.sfn.LocalStepFunctions;
import dev.deckhand.statemachine.StateMachineDefinition;
import dev.deckhand.statemachine.StepFunctionsEngine;
import dev.deckhand.statemachine.TaskResources;
import dev.deckhand.statemachine.clock.RealTimeClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ValidationException;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The local cloud refuses what AWS's request validation refuses, with the service's error code and
 * AWS's message shape ("1 validation error detected: Value 'v' at 'member' failed to satisfy
 * constraint: …"), through the real SDK v2 clients. Each case names the API reference page whose
 * rule it encodes; required members and enums come from the SDK's own model.
 */
class RequestValidationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASS = """
            {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""";

    private static final StepFunctionsEngine ENGINE = new StepFunctionsEngine(new RealTimeClock(), new TaskResources(),
            LocalCloud.DEFAULT_REGION, LocalCloud.DEFAULT_ACCOUNT);
    private static LocalCloud cloud;
    private static EcsClient ecs;
    private static EcrClient ecr;
    private static SfnClient sfn;
    private static EventBridgeClient events;
    private static SsmClient ssm;
    private static SecretsManagerClient secrets;
    private static String machine;

    @BeforeAll
    static void start() {
        LocalEcr[] registry = new LocalEcr[1];
        cloud = LocalCloud.builder().port(0).dynamoDb(false)
                .service(context -> new LocalStepFunctions(ENGINE, context.events()))
                .service(context -> registry[0] = new LocalEcr(context.region(), context.account(), Clock.systemUTC(),
                        context.events()))
                .service(context -> new LocalEcs(context.region(), context.account(), Clock.systemUTC(), registry[0],
                        context.events()))
                .build().start();
        ecs = client(EcsClient.builder());
        ecr = client(EcrClient.builder());
        sfn = client(SfnClient.builder());
        events = client(EventBridgeClient.builder());
        ssm = client(SsmClient.builder());
        secrets = client(SecretsManagerClient.builder());
        machine = ENGINE.createStateMachine("limits", StateMachineDefinition.parse(PASS));
    }

    @AfterAll
    static void stop() {
        List.of(ecs, ecr, sfn, events, ssm, secrets).forEach(software.amazon.awssdk.core.SdkClient::close);
        cloud.close();
    }

    static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @Test
    void aMissingRequiredMemberIsRefusedWithTheServicesCode() {
        // API_DescribeServices: services "Required: Yes" (the SDK model's RequiredTrait).
        assertThatThrownBy(() -> ecs.describeServices(r -> r.cluster("default")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("1 validation error detected: Value null at 'services' failed to satisfy "
                        + "constraint: Member must not be null");
        // API_GetParameter: Name "Required: Yes".
        assertThatThrownBy(() -> ssm.getParameter(r -> r.withDecryption(true)))
                .isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode())
                        .isEqualTo("ValidationException"))
                .hasMessageContaining("Value null at 'name' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void aValueOutsideAnEnumIsRefusedNamingTheEnumsValues() {
        // API_ListTasks: desiredStatus "Valid Values: RUNNING | PENDING | STOPPED".
        assertThatThrownBy(() -> ecs.listTasks(r -> r.cluster("default").desiredStatus("SLEEPING")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Value 'SLEEPING' at 'desiredStatus' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [RUNNING, PENDING, STOPPED]");
        // API_ListExecutions: statusFilter "Valid Values: RUNNING | SUCCEEDED | FAILED | TIMED_OUT | ABORTED |
        // PENDING_REDRIVE".
        assertThatThrownBy(() -> sfn.listExecutions(r -> r.stateMachineArn(machine).statusFilter("DONE")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Value 'DONE' at 'statusFilter'");
        // API_RegisterTaskDefinition: requiresCompatibilities, "Valid Values: EC2 | FARGATE | EXTERNAL | MANAGED_INSTANCES";
        // each element of a list of enums is checked, nested structures too.
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("api").requiresCompatibilitiesWithStrings("MARS")
                .containerDefinitions(c -> c.name("app").image("nginx"))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Value 'MARS' at 'requiresCompatibilities.1.member' failed to satisfy constraint");
        assertThatThrownBy(() -> ecs.runTask(r -> r.taskDefinition("api").networkConfiguration(n -> n
                .awsvpcConfiguration(a -> a.subnets("subnet-1").assignPublicIp("SOMETIMES")))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Value 'SOMETIMES' at 'networkConfiguration.awsvpcConfiguration.assignPublicIp'");
    }

    @Test
    void maxResultsOutsideItsRangeIsRefused() {
        // API_ListTaskDefinitions: maxResults "can be between 1 and 100".
        assertThatThrownBy(() -> ecs.listTaskDefinitions(r -> r.maxResults(101)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Value '101' at 'maxResults' failed to satisfy constraint: "
                        + "Member must have value less than or equal to 100");
        assertThatThrownBy(() -> ecs.listTaskDefinitions(r -> r.maxResults(0)))
                .hasMessageContaining("Member must have value greater than or equal to 1");
        // API_DescribeImages: maxResults "Valid Range: Minimum value of 1. Maximum value of 1000."
        assertThatThrownBy(() -> ecr.describeImages(r -> r.repositoryName("acme/api").maxResults(1001)))
                .isInstanceOf(software.amazon.awssdk.services.ecr.model.InvalidParameterException.class);
        // API_ListExecutions: maxResults "Valid Range: Minimum value of 0. Maximum value of 1000."
        assertThatThrownBy(() -> sfn.listExecutions(r -> r.stateMachineArn(machine).maxResults(1001)))
                .isInstanceOf(ValidationException.class);
        // API_GetParametersByPath: MaxResults "Valid Range: Minimum value of 1. Maximum value of 10."
        assertThatThrownBy(() -> ssm.getParametersByPath(r -> r.path("/deckhand").maxResults(11)))
                .hasMessageContaining("at 'maxResults'");
    }

    @Test
    void anExecutionInputOver256KiBIsRefusedAndOneOfExactly256KiBIsAccepted() {
        // API_StartExecution, input: "Length constraints apply to the payload size, and are expressed as
        // bytes in UTF-8 encoding." Maximum length of 262144.
        String over = jsonOfUtf8Bytes(257 * 1024);
        assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(machine).name("too-big").input(over)))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("1 validation error detected: Value at 'input' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 262144");
        // Multi-byte characters count by their UTF-8 bytes: 87,382 × "é€" is under 262,144 characters but over in bytes.
        String multiByte = "{\"a\":\"" + "€".repeat(87_382) + "\"}";
        assertThat(multiByte.length()).isLessThan(262_144);
        assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(machine).input(multiByte)))
                .isInstanceOf(ValidationException.class);

        String exactly = jsonOfUtf8Bytes(262_144);
        assertThat(sfn.startExecution(r -> r.stateMachineArn(machine).name("just-fits").input(exactly)).executionArn())
                .endsWith(":just-fits");
    }

    @Test
    void putEventsOver256KiBIsRefusedAsAWhole() {
        // eb-putevent-size: the entry size is the UTF-8 bytes of Source, DetailType, Detail and Resources
        // (+14 for Time), and "The total entry size must be less than 256KB".
        PutEventsRequestEntry big = PutEventsRequestEntry.builder().source("deckhand.test").detailType("Big")
                .detail(jsonOfUtf8Bytes(257 * 1024)).build();
        assertThatThrownBy(() -> events.putEvents(r -> r.entries(big)))
                .isInstanceOf(AwsServiceException.class)
                .hasMessageStartingWith("Total size of the entries in the request is over the limit.")
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode())
                        .isEqualTo("ValidationException"));
        // Two entries of 130 KiB are each under the limit, together over it.
        PutEventsRequestEntry half = big.toBuilder().detail(jsonOfUtf8Bytes(130 * 1024)).build();
        assertThatThrownBy(() -> events.putEvents(r -> r.entries(half, half)))
                .hasMessageStartingWith("Total size of the entries in the request is over the limit.");
        assertThat(events.putEvents(r -> r.entries(half)).failedEntryCount()).isZero();
    }

    @Test
    void lengthsPatternsAndItemCountsFromTheServiceTablesAreRefused() {
        // API_PutRule, Name: "Pattern: [\.\-_A-Za-z0-9]+".
        assertThatThrownBy(() -> events.putRule(r -> r.name("no spaces allowed").eventPattern("{\"source\":[\"x\"]}")))
                .hasMessageContaining("Value 'no spaces allowed' at 'name' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: ");
        // API_GetParameters, Names: "Maximum number of 10 items."
        List<String> eleven = IntStream.range(0, 11).mapToObj(i -> "/p" + i).toList();
        assertThatThrownBy(() -> ssm.getParameters(r -> r.names(eleven)))
                .hasMessageContaining("at 'names' failed to satisfy constraint: Member must have length less than or "
                        + "equal to 10");
        // API_GetSecretValue, SecretId: "Maximum length of 2048."
        assertThatThrownBy(() -> secrets.getSecretValue(r -> r.secretId("s".repeat(2049))))
                .isInstanceOf(software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException.class)
                .hasMessageContaining("at 'secretId' failed to satisfy constraint: Member must have length less than "
                        + "or equal to 2048");
        // API_BatchGetImage, imageIds: "Minimum number of 1 item."
        assertThatThrownBy(() -> ecr.batchGetImage(r -> r.repositoryName("acme/api").imageIds(List.of())))
                .hasMessageContaining("at 'imageIds' failed to satisfy constraint: Member must have length greater than "
                        + "or equal to 1");
        // API_RunTask, count: "You can specify up to 10 tasks for each call."
        assertThatThrownBy(() -> ecs.runTask(r -> r.taskDefinition("api").count(11)))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Value '11' at 'count'");
    }

    @Test
    void everyViolationOfARequestIsReportedInOneError() {
        assertThatThrownBy(() -> ecs.listTasks(r -> r.desiredStatus("SLEEPING").launchType("SPACESHIP").maxResults(500)))
                .hasMessageStartingWith("3 validation errors detected: ")
                .hasMessageContaining("at 'desiredStatus'").hasMessageContaining("at 'launchType'")
                .hasMessageContaining("at 'maxResults'");
    }

    @Test
    void aMemberOfTheWrongJsonTypeIsASerializationException() throws Exception {
        // The SDK never sends one; any other client can, and AWS's JSON protocol answers SerializationException.
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(cloud.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListTaskDefinitions")
                .POST(HttpRequest.BodyPublishers.ofString("{\"maxResults\":\"ten\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        JsonNode body = JSON.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(body.path("__type").asText()).isEqualTo("SerializationException");
        assertThat(body.path("message").asText()).isEqualTo("Expected an integer at 'maxResults'");
    }

    /** A JSON document of exactly {@code bytes} UTF-8 bytes: {"a":"xxx…"}. */
    static String jsonOfUtf8Bytes(int bytes) {
        return "{\"a\":\"" + "x".repeat(bytes - 8) + "\"}";
    }
}
