package dev.deckhand.local.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.local.Clients;
import dev.deckhand.local.LocalCloud;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** The local CloudWatch Logs through the SDK's own client, against the API reference's behaviour. */
class LogStoreIT {

    private static LocalCloud cloud;
    private static CloudWatchLogsClient logs;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start();
        logs = Clients.logs(cloud);
    }

    @AfterAll
    static void stop() {
        logs.close();
        cloud.close();
    }

    private static List<InputLogEvent> events(long from, int count) {
        return IntStream.range(0, count).mapToObj(i -> InputLogEvent.builder().timestamp(from + i)
                .message("line " + i).build()).toList();
    }

    @Test
    void getLogEventsReturnsTheLatestEventsByDefaultAndTheFirstFromTheHead() {
        logs.createLogGroup(r -> r.logGroupName("/ecs/tail"));
        logs.createLogStream(r -> r.logGroupName("/ecs/tail").logStreamName("ecs/web/abc"));
        long now = Instant.now().toEpochMilli();
        logs.putLogEvents(r -> r.logGroupName("/ecs/tail").logStreamName("ecs/web/abc").logEvents(events(now, 100)));

        // API_GetLogEvents, startFromHead: "If the value is false, the latest log events are returned
        // first. The default value is false."
        var latest = logs.getLogEvents(r -> r.logGroupName("/ecs/tail").logStreamName("ecs/web/abc").limit(3));
        var first = logs.getLogEvents(r -> r.logGroupName("/ecs/tail").logStreamName("ecs/web/abc").limit(3)
                .startFromHead(true));

        assertThat(latest.events()).extracting(OutputLogEvent::message).containsExactly("line 97", "line 98", "line 99");
        assertThat(first.events()).extracting(OutputLogEvent::message).containsExactly("line 0", "line 1", "line 2");
        var next = logs.getLogEvents(r -> r.logGroupName("/ecs/tail").logStreamName("ecs/web/abc").limit(2)
                .startFromHead(true).nextToken(first.nextForwardToken()));
        assertThat(next.events()).extracting(OutputLogEvent::message).containsExactly("line 3", "line 4");
    }

    @Test
    void answersTheDocumentedErrors() {
        logs.createLogGroup(r -> r.logGroupName("/ecs/errors"));

        // API_CreateLogGroup and API_CreateLogStream, Errors: ResourceAlreadyExistsException, ResourceNotFoundException.
        assertThatThrownBy(() -> logs.createLogGroup(r -> r.logGroupName("/ecs/errors")))
                .isInstanceOf(ResourceAlreadyExistsException.class);
        assertThatThrownBy(() -> logs.createLogStream(r -> r.logGroupName("/ecs/missing").logStreamName("s")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("log group does not exist");
        assertThatThrownBy(() -> logs.getLogEvents(r -> r.logGroupName("/ecs/errors").logStreamName("missing")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("log stream does not exist");
        // logGroupName pattern [\.\-_/#A-Za-z0-9]+; GetLogEvents limit 1-10,000.
        assertThatThrownBy(() -> logs.createLogGroup(r -> r.logGroupName("bad name")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> logs.getLogEvents(r -> r.logGroupName("/ecs/errors").logStreamName("s").limit(10_001)))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void putLogEventsRefusesABatchOutOfChronologicalOrderOrTooLarge() {
        logs.createLogGroup(r -> r.logGroupName("/ecs/batches"));
        logs.createLogStream(r -> r.logGroupName("/ecs/batches").logStreamName("s"));
        long now = Instant.now().toEpochMilli();

        // API_PutLogEvents: events "must be in chronological order by their timestamp".
        assertThatThrownBy(() -> logs.putLogEvents(r -> r.logGroupName("/ecs/batches").logStreamName("s").logEvents(
                InputLogEvent.builder().timestamp(now).message("b").build(),
                InputLogEvent.builder().timestamp(now - 1).message("a").build())))
                .isInstanceOf(InvalidParameterException.class);
        // "The maximum batch size is 1,048,576 bytes … the sum of all event messages in UTF-8, plus 26
        // bytes for each log event": two events of 524,263 bytes are 1,048,578.
        String half = "x".repeat(524_263);
        assertThatThrownBy(() -> logs.putLogEvents(r -> r.logGroupName("/ecs/batches").logStreamName("s").logEvents(
                InputLogEvent.builder().timestamp(now).message(half).build(),
                InputLogEvent.builder().timestamp(now).message(half).build())))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(logs.getLogEvents(r -> r.logGroupName("/ecs/batches").logStreamName("s")).events()).isEmpty();
    }

    @Test
    void describeLogGroupsFiltersByPrefix() {
        logs.createLogGroup(r -> r.logGroupName("/describe/a"));
        logs.createLogGroup(r -> r.logGroupName("/describe/b"));
        logs.createLogGroup(r -> r.logGroupName("/other"));

        var described = logs.describeLogGroups(r -> r.logGroupNamePrefix("/describe/"));

        assertThat(described.logGroups()).extracting(group -> group.logGroupName())
                .containsExactly("/describe/a", "/describe/b");
        assertThat(described.logGroups().get(0).arn())
                .isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/describe/a:*");
    }

    @Test
    void describeLogGroupsRefusesAPrefixTogetherWithAPattern() {
        // API_DescribeLogGroups: logGroupNamePrefix and logGroupNamePattern are mutually exclusive.
        assertThatThrownBy(() -> logs.describeLogGroups(r -> r.logGroupNamePrefix("/describe/").logGroupNamePattern("a")))
                .isInstanceOfSatisfying(software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(400));
    }
}
