package dev.deckhand.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.local.LocalCloud;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecr.LocalEcr;
import dev.deckhand.local.ecs.LocalEcs;
import dev.deckhand.local.sfn.LocalStepFunctions;
import dev.deckhand.statemachine.StateMachineDefinition;
import dev.deckhand.statemachine.StepFunctionsEngine;
import dev.deckhand.statemachine.TaskResources;
import dev.deckhand.statemachine.clock.RealTimeClock;
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
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.ListTasksResponse;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;

/**
 * Every list operation of the local cloud honours maxResults and nextToken, walked with the SDK's
 * own paginators: each page holds at most maxResults items, the pages together hold every item
 * exactly once, and a token the service did not issue is refused with the service's error
 * (API_ListTasks, API_ListTaskDefinitions, API_ListServiceDeployments, API_DescribeImages,
 * API_ListImages, API_ListExecutions, API_GetExecutionHistory: maxResults, nextToken, Errors).
 */
class ListPagingIT {

    private static final StepFunctionsEngine ENGINE = new StepFunctionsEngine(new RealTimeClock(), new TaskResources(),
            LocalCloud.DEFAULT_REGION, LocalCloud.DEFAULT_ACCOUNT);
    private static LocalCloud cloud;
    private static LocalEcr registry;
    private static EcsClient ecs;
    private static EcrClient ecr;
    private static SfnClient sfn;
    private static String image;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false)
                .service(context -> new LocalStepFunctions(ENGINE, context.events()))
                .service(context -> registry = new LocalEcr(context.region(), context.account(), Clock.systemUTC(),
                        context.events()))
                .service(context -> new LocalEcs(context.region(), context.account(), Clock.systemUTC(), registry,
                        context.events()))
                .build().start();
        ecs = client(EcsClient.builder());
        ecr = client(EcrClient.builder());
        sfn = client(SfnClient.builder());
        registry.ensureRepository("acme/api");
        for (int i = 1; i <= 5; i++) {
            image = registry.push("acme/api", List.of("v" + i), ImageBehaviour.healthy()).uri();
        }
        ecs.createCluster(r -> r.clusterName("paging"));
    }

    @AfterAll
    static void stop() {
        List.of(ecs, ecr, sfn).forEach(software.amazon.awssdk.core.SdkClient::close);
        cloud.close();
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static String register(String family) {
        return ecs.registerTaskDefinition(r -> r.family(family).requiresCompatibilitiesWithStrings("EC2")
                .containerDefinitions(ContainerDefinition.builder().name("app").image(image).memory(128).build()))
                .taskDefinition().taskDefinitionArn();
    }

    @Test
    void listTaskDefinitionsPagesByMaxResults() {
        List<String> registered = IntStream.range(0, 5).mapToObj(i -> register("paged")).toList();

        List<ListTaskDefinitionsResponse> pages = ecs.listTaskDefinitionsPaginator(r -> r.familyPrefix("paged")
                .maxResults(2)).stream().toList();

        assertThat(pages).extracting(page -> page.taskDefinitionArns().size()).containsExactly(2, 2, 1);
        assertThat(pages.stream().flatMap(page -> page.taskDefinitionArns().stream())).containsExactlyElementsOf(registered);
        assertThat(pages.get(2).nextToken()).isNull();
    }

    @Test
    void listTasksPagesByMaxResultsAndRefusesAnotherOperationsToken() {
        String definition = register("worker");
        ecs.runTask(r -> r.cluster("paging").taskDefinition(definition).count(4));
        ecs.runTask(r -> r.cluster("paging").taskDefinition(definition).count(3));

        List<ListTasksResponse> pages = ecs.listTasksPaginator(r -> r.cluster("paging").family("worker").maxResults(3))
                .stream().toList();

        assertThat(pages).extracting(page -> page.taskArns().size()).containsExactly(3, 3, 1);
        assertThat(pages.stream().flatMap(page -> page.taskArns().stream()).distinct()).hasSize(7);
        String listTasksToken = pages.get(0).nextToken();
        assertThatThrownBy(() -> ecs.listTaskDefinitions(r -> r.nextToken(listTasksToken)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("was not issued by ListTaskDefinitions");
        assertThatThrownBy(() -> ecs.listTasks(r -> r.cluster("paging").nextToken("not-a-token")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void listServiceDeploymentsPagesByMaxResults() {
        String first = register("svc");
        String second = register("svc");
        ecs.createService(r -> r.cluster("paging").serviceName("svc").taskDefinition(first).desiredCount(1));
        ecs.updateService(r -> r.cluster("paging").service("svc").taskDefinition(second));
        ecs.updateService(r -> r.cluster("paging").service("svc").taskDefinition(first));

        // The SDK has no paginator for this operation: walk nextToken as one would.
        List<List<ServiceDeploymentBrief>> pages = new java.util.ArrayList<>();
        String token = null;
        do {
            String current = token;
            var page = ecs.listServiceDeployments(r -> r.cluster("paging").service("svc").maxResults(1).nextToken(current));
            pages.add(page.serviceDeployments());
            token = page.nextToken();
        } while (token != null && pages.size() < 10);

        assertThat(pages).hasSizeGreaterThanOrEqualTo(2).allSatisfy(page -> assertThat(page).hasSizeLessThanOrEqualTo(1));
        List<ServiceDeploymentBrief> all = ecs.listServiceDeployments(r -> r.cluster("paging").service("svc"))
                .serviceDeployments();
        assertThat(pages.stream().flatMap(List::stream).map(ServiceDeploymentBrief::serviceDeploymentArn))
                .containsExactlyElementsOf(all.stream().map(ServiceDeploymentBrief::serviceDeploymentArn).toList());
    }

    @Test
    void ecrDescribeImagesAndListImagesPageByMaxResults() {
        assertThat(ecr.describeImagesPaginator(r -> r.repositoryName("acme/api").maxResults(2)).stream()
                .map(page -> page.imageDetails().size()).toList()).containsExactly(2, 2, 1);
        List<ImageIdentifier> ids = ecr.listImagesPaginator(r -> r.repositoryName("acme/api").maxResults(3)).stream()
                .flatMap(page -> page.imageIds().stream()).toList();
        assertThat(ids).extracting(ImageIdentifier::imageTag).containsExactlyInAnyOrder("v1", "v2", "v3", "v4", "v5");
        assertThatThrownBy(() -> ecr.listImages(r -> r.repositoryName("acme/api").nextToken("forged")))
                .isInstanceOf(software.amazon.awssdk.services.ecr.model.InvalidParameterException.class);
        // API_DescribeImages, maxResults: "This option cannot be used when you specify images with imageIds."
        assertThatThrownBy(() -> ecr.describeImages(r -> r.repositoryName("acme/api").maxResults(1)
                .imageIds(ImageIdentifier.builder().imageTag("v1").build())))
                .isInstanceOf(software.amazon.awssdk.services.ecr.model.InvalidParameterException.class);
    }

    @Test
    void listExecutionsAndHistoryPageByMaxResultsAndRefuseAForgedToken() {
        String machine = ENGINE.createStateMachine("paged", StateMachineDefinition.parse("""
                {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"""));
        for (int i = 0; i < 5; i++) {
            sfn.startExecution(r -> r.stateMachineArn(machine).input("{}"));
        }

        List<ListExecutionsResponse> pages = sfn.listExecutionsPaginator(r -> r.stateMachineArn(machine).maxResults(2))
                .stream().toList();

        assertThat(pages).extracting(page -> page.executions().size()).containsExactly(2, 2, 1);
        assertThat(pages.stream().flatMap(page -> page.executions().stream()).map(ExecutionListItem::executionArn)
                .distinct()).hasSize(5);
        String execution = pages.get(0).executions().get(0).executionArn();
        assertThat(sfn.getExecutionHistoryPaginator(r -> r.executionArn(execution).maxResults(1)).stream()
                .allMatch(page -> page.events().size() <= 1)).isTrue();
        assertThatThrownBy(() -> sfn.listExecutions(r -> r.stateMachineArn(machine).nextToken("12")))
                .isInstanceOf(InvalidTokenException.class);
    }
}
