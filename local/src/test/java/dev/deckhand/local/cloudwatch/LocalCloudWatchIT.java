package dev.deckhand.local.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deckhand.local.Clients;
import dev.deckhand.local.LocalCloud;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The local CloudWatch alarms through the SDK's own client — which speaks Smithy RPC v2 CBOR to
 * CloudWatch — and over AWS JSON 1.0, against the CloudWatch API reference.
 */
class LocalCloudWatchIT {

    private static LocalCloud cloud;
    private static CloudWatchClient cloudWatch;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start();
        cloudWatch = Clients.cloudWatch(cloud);
    }

    @AfterAll
    static void stop() {
        cloudWatch.close();
        cloud.close();
    }

    private static void putAlarm(String name) {
        cloudWatch.putMetricAlarm(r -> r.alarmName(name).namespace("AWS/ApplicationELB")
                .metricName("HTTPCode_Target_5XX_Count").statistic(Statistic.SUM).period(60).evaluationPeriods(1)
                .threshold(5.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
    }

    @Test
    void aNewAlarmHasInsufficientDataUntilItsStateIsSet() {
        putAlarm("orders-5xx");

        // API_PutMetricAlarm: "When this operation creates an alarm, the alarm state is immediately set to INSUFFICIENT_DATA."
        MetricAlarm created = cloudWatch.describeAlarms(r -> r.alarmNames("orders-5xx")).metricAlarms().get(0);
        assertThat(created.stateValue()).isEqualTo(StateValue.INSUFFICIENT_DATA);
        assertThat(created.alarmArn()).isEqualTo(cloud.cloudWatch().alarmArn("orders-5xx"));
        assertThat(created.threshold()).isEqualTo(5.0);
        assertThat(created.stateUpdatedTimestamp()).isNotNull();

        cloudWatch.setAlarmState(r -> r.alarmName("orders-5xx").stateValue(StateValue.ALARM)
                .stateReason("5xx above 5").stateReasonData("{\"breached\":true}"));

        MetricAlarm alarming = cloudWatch.describeAlarms(r -> r.alarmNames("orders-5xx")).metricAlarms().get(0);
        assertThat(alarming.stateValue()).isEqualTo(StateValue.ALARM);
        assertThat(alarming.stateReason()).isEqualTo("5xx above 5");
        // "When you update an existing alarm, its state is left unchanged."
        putAlarm("orders-5xx");
        assertThat(cloud.cloudWatch().state("orders-5xx")).contains("ALARM");
        assertThat(cloudWatch.describeAlarms(r -> r.alarmNames("orders-5xx").stateValue(StateValue.OK)).metricAlarms())
                .isEmpty();
    }

    @Test
    void answersTheDocumentedErrors() {
        putAlarm("errors-alarm");

        // API_SetAlarmState, Errors: ResourceNotFound (404) for an unknown alarm, InvalidFormat for data that is not JSON.
        // CloudWatch is awsQueryCompatible: the SDK reports the query code (x-amzn-query-error).
        assertThatThrownBy(() -> cloudWatch.setAlarmState(r -> r.alarmName("missing").stateValue(StateValue.ALARM)
                .stateReason("x"))).isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFound");
                });
        assertThatThrownBy(() -> cloudWatch.setAlarmState(r -> r.alarmName("errors-alarm").stateValue(StateValue.OK)
                .stateReason("x").stateReasonData("not json")))
                .isInstanceOfSatisfying(CloudWatchException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidFormat"));
        // API_DescribeAlarms: AlarmNames "Maximum number of 100 items"; MaxRecords 1-100; AlarmNamePrefix excludes AlarmNames.
        assertThatThrownBy(() -> cloudWatch.describeAlarms(r -> r.alarmNames(
                IntStream.range(0, 101).mapToObj(i -> "a" + i).toList())))
                .isInstanceOfSatisfying(CloudWatchException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> cloudWatch.describeAlarms(r -> r.maxRecords(101)))
                .isInstanceOfSatisfying(CloudWatchException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
        assertThatThrownBy(() -> cloudWatch.describeAlarms(r -> r.alarmNames("errors-alarm").alarmNamePrefix("err")))
                .isInstanceOfSatisfying(CloudWatchException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterCombination"));
        // SetAlarmState: AlarmName, StateValue and StateReason "Required: Yes"; StateReason at most 1023 characters.
        assertThatThrownBy(() -> cloudWatch.setAlarmState(r -> r.alarmName("errors-alarm").stateValue(StateValue.OK)))
                .isInstanceOf(CloudWatchException.class);
        assertThatThrownBy(() -> cloudWatch.setAlarmState(r -> r.alarmName("errors-alarm").stateValue(StateValue.OK)
                .stateReason("x".repeat(1024)))).isInstanceOf(CloudWatchException.class);
        // API_DeleteAlarms: "If you specify any alarms that do not exist, the operation fails and no alarms are deleted."
        assertThatThrownBy(() -> cloudWatch.deleteAlarms(r -> r.alarmNames("errors-alarm", "missing")))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThat(cloud.cloudWatch().state("errors-alarm")).contains("INSUFFICIENT_DATA");
    }

    @Test
    void describeAlarmsPagesWithMaxRecordsAndFiltersByPrefix() {
        IntStream.range(0, 5).forEach(i -> putAlarm("paged-" + i));

        var first = cloudWatch.describeAlarms(r -> r.alarmNamePrefix("paged-").maxRecords(3));
        var rest = cloudWatch.describeAlarms(r -> r.alarmNamePrefix("paged-").maxRecords(3).nextToken(first.nextToken()));

        assertThat(first.metricAlarms()).extracting(MetricAlarm::alarmName).containsExactly("paged-0", "paged-1", "paged-2");
        assertThat(rest.metricAlarms()).extracting(MetricAlarm::alarmName).containsExactly("paged-3", "paged-4");
        assertThat(rest.nextToken()).isNull();
    }

    @Test
    void answersAwsJsonToo() throws Exception {
        putAlarm("json-alarm");
        // CloudWatch also speaks AWS JSON 1.0 (X-Amz-Target GraniteServiceVersion20100801.<Operation>), the protocol
        // Deckhand's light client uses.
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + cloud.port() + "/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "GraniteServiceVersion20100801.DescribeAlarms")
                .POST(HttpRequest.BodyPublishers.ofString("{\"AlarmNames\":[\"json-alarm\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(answer.body()).at("/MetricAlarms/0/StateValue").asText())
                .isEqualTo("INSUFFICIENT_DATA");
    }
}
