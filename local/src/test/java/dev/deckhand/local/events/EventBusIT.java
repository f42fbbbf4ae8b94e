package dev.deckhand.local.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.Clients;
import dev.deckhand.local.Eventually;
import dev.deckhand.local.LocalCloud;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.Rule;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;

/** Behaviour from the EventBridge API reference (PutRule, PutTargets, PutEvents...) through the real SDK. */
class EventBusIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:deployer";
    private static final String PUSH_PATTERN = "{\"source\":[\"aws.ecr\"],\"detail-type\":[\"ECR Image Action\"],"
            + "\"detail\":{\"action-type\":[\"PUSH\"],\"result\":[\"SUCCESS\"]}}";

    private static LocalCloud cloud;
    private static EventBridgeClient events;
    private static final List<JsonNode> started = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start();
        cloud.events().registerTarget("arn:aws:states:", (arn, input) -> started.add(input));
        events = Clients.eventBridge(cloud);
    }

    @AfterAll
    static void stop() {
        events.close();
        cloud.close();
    }

    @BeforeEach
    void forgetStartedExecutions() {
        started.clear();
    }

    /** Callers may not use "aws.*" sources, so the pushes a test puts come from a source of its own. */
    private static final String CI_PUSH_PATTERN = PUSH_PATTERN.replace("aws.ecr", "acme.ci");

    private static PutEventsRequestEntry ecrPush(String repository, String result) {
        return PutEventsRequestEntry.builder().source("acme.ci").detailType("ECR Image Action")
                .resources("arn:aws:ecr:us-east-1:000000000000:repository/" + repository)
                .detail("{\"action-type\":\"PUSH\",\"result\":\"" + result + "\",\"repository-name\":\"" + repository
                        + "\",\"image-digest\":\"sha256:abc\",\"image-tag\":\"v1\"}")
                .build();
    }

    @Test
    void managesRulesAndTargets() {
        String arn = events.putRule(r -> r.name("crud-rule").eventPattern(PUSH_PATTERN).description("pushes")).ruleArn();
        events.putTargets(r -> r.rule("crud-rule").targets(Target.builder().id("deployer").arn(STATE_MACHINE)
                .inputPath("$.detail").build()));

        var described = events.describeRule(r -> r.name("crud-rule"));
        assertThat(arn).isEqualTo("arn:aws:events:us-east-1:000000000000:rule/crud-rule");
        assertThat(described.eventPattern()).isEqualTo(PUSH_PATTERN);
        assertThat(described.state()).isEqualTo(RuleState.ENABLED);
        assertThat(events.listRules(r -> r.namePrefix("crud-")).rules()).extracting(Rule::name).containsExactly("crud-rule");
        assertThat(events.listTargetsByRule(r -> r.rule("crud-rule")).targets())
                .singleElement().satisfies(t -> assertThat(t.inputPath()).isEqualTo("$.detail"));

        events.removeTargets(r -> r.rule("crud-rule").ids("deployer"));
        events.deleteRule(r -> r.name("crud-rule"));

        assertThatThrownBy(() -> events.describeRule(r -> r.name("crud-rule")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void refusesToDeleteARuleThatHasTargets() {
        events.putRule(r -> r.name("busy-rule").eventPattern("{\"source\":[\"deckhand.test.busy\"]}"));
        events.putTargets(r -> r.rule("busy-rule").targets(Target.builder().id("t").arn(STATE_MACHINE).build()));

        assertThatThrownBy(() -> events.deleteRule(r -> r.name("busy-rule")))
                .hasMessageContaining("Rule can't be deleted since it has targets");
    }

    @Test
    void rejectsAnInvalidPatternWithInvalidEventPatternException() {
        assertThatThrownBy(() -> events.putRule(r -> r.name("bad").eventPattern("{\"source\":\"aws.ecr\"}")))
                .isInstanceOf(InvalidEventPatternException.class)
                .hasMessageContaining("Event pattern is not valid");
    }

    @Test
    void answersResourceNotFoundForTargetsOfAnUnknownRule() {
        assertThatThrownBy(() -> events.putTargets(r -> r.rule("nope")
                .targets(Target.builder().id("t").arn(STATE_MACHINE).build())))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void deliversAMatchingPutEventToTheStateMachineTargetWithItsInputPath() {
        events.putRule(r -> r.name("deploy-on-push").eventPattern(CI_PUSH_PATTERN));
        events.putTargets(r -> r.rule("deploy-on-push").targets(Target.builder().id("deployer").arn(STATE_MACHINE)
                .inputPath("$.detail").build()));

        var answer = events.putEvents(r -> r.entries(ecrPush("web", "SUCCESS"), ecrPush("web", "FAILURE")));

        assertThat(answer.failedEntryCount()).isZero();
        assertThat(answer.entries()).allSatisfy(e -> assertThat(e.eventId()).isNotBlank());
        List<JsonNode> inputs = Eventually.poll(() -> List.copyOf(started), list -> !list.isEmpty());
        assertThat(inputs).singleElement().satisfies(input -> {
            assertThat(input.path("repository-name").asText()).isEqualTo("web");
            assertThat(input.path("result").asText()).isEqualTo("SUCCESS");
        });
        List<Delivery> deliveries = Eventually.poll(() -> cloud.events().deliveries().stream()
                .filter(d -> d.ruleName().equals("deploy-on-push")).toList(), list -> !list.isEmpty());
        assertThat(deliveries).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo(Delivery.Outcome.DELIVERED);
            assertThat(d.event().path("account").asText()).isEqualTo("000000000000");
            assertThat(d.event().path("region").asText()).isEqualTo("us-east-1");
            assertThat(d.event().path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        });
        events.removeTargets(r -> r.rule("deploy-on-push").ids("deployer"));
    }

    @Test
    void refusesACallersEntryWithAnAwsSourceAloneAndDeliversNothing() {
        // API_PutEventsResultEntry, ErrorCode: "NotAuthorizedForSourceException: You do not have
        // permissions to publish events with this source onto this event bus"; "aws.*" sources are
        // AWS services' own, and an entry fails alone, in the result.
        events.putRule(r -> r.name("aws-source").eventPattern(PUSH_PATTERN));
        events.putTargets(r -> r.rule("aws-source").targets(Target.builder().id("deployer").arn(STATE_MACHINE).build()));
        PutEventsRequestEntry forged = ecrPush("web", "SUCCESS").toBuilder().source("aws.ecr").build();

        var answer = events.putEvents(r -> r.entries(forged, ecrPush("web", "SUCCESS")));

        assertThat(answer.failedEntryCount()).isEqualTo(1);
        assertThat(answer.entries().get(0).errorCode()).isEqualTo("NotAuthorizedForSourceException");
        assertThat(answer.entries().get(0).eventId()).isNull();
        assertThat(answer.entries().get(1).eventId()).isNotBlank();
        assertThat(cloud.events().events()).noneMatch(e -> e.path("source").asText().equals("aws.ecr")
                && e.path("detail").path("repository-name").asText().equals("web"));
        events.removeTargets(r -> r.rule("aws-source").ids("deployer"));
        events.deleteRule(r -> r.name("aws-source"));
    }

    @Test
    void deliversEventsPublishedByLocalServicesWithAConstantInput() {
        events.putRule(r -> r.name("published").eventPattern("{\"source\":[\"aws.ecs\"]}"));
        events.putTargets(r -> r.rule("published").targets(Target.builder().id("fixed").arn(STATE_MACHINE)
                .input("{\"reason\":\"ecs\"}").build()));
        ObjectNode event = JSON.createObjectNode().put("source", "aws.ecs").put("detail-type", "ECS Task State Change");
        event.putObject("detail").put("lastStatus", "STOPPED");

        cloud.events().publish(event);

        List<JsonNode> inputs = Eventually.poll(() -> List.copyOf(started), list -> !list.isEmpty());
        assertThat(inputs).singleElement().isEqualTo(JSON.createObjectNode().put("reason", "ecs"));
        assertThat(cloud.events().events()).anySatisfy(e -> {
            assertThat(e.path("source").asText()).isEqualTo("aws.ecs");
            assertThat(e.path("id").asText()).isNotBlank();
        });
        events.removeTargets(r -> r.rule("published").ids("fixed"));
    }

    @Test
    void doesNotDeliverToADisabledRule() {
        events.putRule(r -> r.name("disabled").eventPattern("{\"source\":[\"deckhand.test.disabled\"]}"));
        events.putTargets(r -> r.rule("disabled").targets(Target.builder().id("t").arn(STATE_MACHINE).build()));
        events.disableRule(r -> r.name("disabled"));
        events.putRule(r -> r.name("witness").eventPattern("{\"source\":[\"deckhand.test.disabled\"]}"));
        events.putTargets(r -> r.rule("witness").targets(Target.builder().id("w")
                .arn("arn:aws:lambda:us-east-1:000000000000:function:witness").build()));

        events.putEvents(r -> r.entries(e -> e.source("deckhand.test.disabled").detailType("t").detail("{}")));

        // The witness rule's delivery proves the event was routed; the disabled rule must have none.
        List<Delivery> witnessed = Eventually.poll(() -> cloud.events().deliveries().stream()
                .filter(d -> d.ruleName().equals("witness")).toList(), list -> !list.isEmpty());
        assertThat(witnessed).singleElement().extracting(Delivery::outcome).isEqualTo(Delivery.Outcome.NO_TARGET);
        assertThat(cloud.events().deliveries()).noneMatch(d -> d.ruleName().equals("disabled"));
        assertThat(started).isEmpty();
    }

    @Test
    void failsOnlyTheEntriesWithMalformedDetail() {
        var answer = events.putEvents(r -> r.entries(
                e -> e.source("deckhand.test").detailType("t").detail("{not json"),
                e -> e.source("deckhand.test").detailType("t").detail("{}")));

        assertThat(answer.failedEntryCount()).isEqualTo(1);
        assertThat(answer.entries().get(0).errorCode()).isEqualTo("MalformedDetail");
        assertThat(answer.entries().get(1).eventId()).isNotBlank();
    }
}
