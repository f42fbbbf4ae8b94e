package dev.deckhand.infra;

import dev.deckhand.config.DeckhandConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * What a platform team watches: alarms to the notification topic (failed executions, rollbacks,
 * handler errors, events stuck in the dead-letter queue) and a dashboard of deployments by
 * outcome per environment, their duration and health-check attempts.
 */
public final class Operations extends Construct {

    private static final Duration PERIOD = Duration.minutes(5);

    private final List<Alarm> alarms = new ArrayList<>();

    public Operations(Construct scope, String id, StateMachine deployer, ITopic topic, IQueue deadLetters,
            List<DeckhandFunction> functions, DeckhandConfiguration configuration) {
        super(scope, id);
        SnsAction notify = new SnsAction(topic);
        MetricOptions sum = MetricOptions.builder().statistic("Sum").period(PERIOD).build();

        alarm("ExecutionsFailed", "A deployer execution failed, timed out or was aborted",
                MathExpression.Builder.create()
                        .expression("failed + timedOut + aborted")
                        .usingMetrics(Map.of(
                                "failed", deployer.metricFailed(sum),
                                "timedOut", deployer.metricTimedOut(sum),
                                "aborted", deployer.metricAborted(sum)))
                        .period(PERIOD)
                        .label("Failed executions")
                        .build(), notify);
        alarm("Rollbacks", "A deployment was rolled back",
                deploymentMetric(DeploymentMetrics.DEPLOYMENTS, Map.of(DeploymentMetrics.OUTCOME,
                        DeploymentMetrics.ROLLED_BACK), "Sum"), notify);
        alarm("DeadLetters", "An ECR push event could not start the deployer and waits in the dead-letter queue",
                deadLetters.metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder().statistic("Maximum").period(PERIOD).build()), notify);
        for (DeckhandFunction function : functions) {
            alarm(function.spec().name() + "Errors", "Deckhand " + function.spec().name() + " handler errors",
                    function.function().metricErrors(sum), notify);
        }

        Dashboard dashboard = Dashboard.Builder.create(this, "Dashboard").build();
        List<IWidget> widgets = new ArrayList<>();
        for (String environment : environments(configuration)) {
            widgets.add(graph("Deployments by outcome: " + environment, List.of(
                    outcome(environment, DeploymentMetrics.SUCCEEDED),
                    outcome(environment, DeploymentMetrics.ROLLED_BACK),
                    outcome(environment, DeploymentMetrics.FAILED))));
        }
        List<IMetric> durations = new ArrayList<>();
        List<IMetric> attempts = new ArrayList<>();
        for (String environment : environments(configuration)) {
            Map<String, String> dimensions = Map.of(DeploymentMetrics.ENVIRONMENT, environment);
            durations.add(deploymentMetric(DeploymentMetrics.DURATION, dimensions, "p90").with(
                    MetricOptions.builder().label(environment + " p90 (s)").build()));
            attempts.add(deploymentMetric(DeploymentMetrics.HEALTH_CHECK_ATTEMPTS, dimensions, "Average").with(
                    MetricOptions.builder().label(environment + " average").build()));
        }
        widgets.add(graph("Deployment duration", durations));
        widgets.add(graph("Health-check attempts per deployment", attempts));
        widgets.add(graph("Deployer executions", List.of(
                deployer.metricSucceeded(sum), deployer.metricFailed(sum), deployer.metricTimedOut(sum))));
        dashboard.addWidgets(widgets.toArray(IWidget[]::new));
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    private void alarm(String id, String description, IMetric metric, SnsAction action) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                // No data means nothing happened, which is fine for every one of these.
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(action);
        alarms.add(alarm);
    }

    private static Metric outcome(String environment, String outcome) {
        return deploymentMetric(DeploymentMetrics.DEPLOYMENTS,
                Map.of(DeploymentMetrics.ENVIRONMENT, environment, DeploymentMetrics.OUTCOME, outcome), "Sum")
                .with(MetricOptions.builder().label(outcome).period(Duration.hours(1)).build());
    }

    private static Metric deploymentMetric(String name, Map<String, String> dimensions, String statistic) {
        return Metric.Builder.create()
                .namespace(DeckhandFunction.METRICS_NAMESPACE)
                .metricName(name)
                .dimensionsMap(dimensions)
                .statistic(statistic)
                .period(PERIOD)
                .build();
    }

    private static GraphWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(List.copyOf(metrics)).width(12).build();
    }

    private static TreeSet<String> environments(DeckhandConfiguration configuration) {
        TreeSet<String> names = new TreeSet<>();
        configuration.services().values().forEach(service -> names.addAll(service.environments().keySet()));
        return names;
    }
}
