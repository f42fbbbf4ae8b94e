package dev.deckhand.infra;

import dev.deckhand.config.DeckhandConfiguration;
import dev.deckhand.deployment.Outcome;
import dev.deckhand.notify.OutcomeMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 * What a platform team watches: alarms to the notification topic (failed executions, rollbacks of
 * each configured service environment, handler errors, events stuck in the dead-letter queue) and
 * a dashboard of deployments by outcome, their duration, health-check rounds and DORA figures, per
 * configured service environment. The metrics are the ones the notify step emits ({@link OutcomeMetrics}).
 */
public final class Operations extends Construct {

    /** The dimensions {@link OutcomeMetrics#of} gives its metrics (it names them without constants). */
    static final String SERVICE = OutcomeMetrics.SERVICE;
    static final String ENVIRONMENT = OutcomeMetrics.ENVIRONMENT;
    static final String OUTCOME = OutcomeMetrics.OUTCOME;

    /**
     * The outcomes reported for a service environment: not RUNNING (no outcome yet), not IGNORED
     * (a push no environment wants is counted by outcome alone), not ABORTED (found by the lock
     * cleanup, which records it without reporting).
     */
    static final List<Outcome> TARGET_OUTCOMES = Arrays.stream(Outcome.values())
            .filter(outcome -> outcome != Outcome.RUNNING && outcome != Outcome.IGNORED && outcome != Outcome.ABORTED)
            .toList();

    private static final Duration PERIOD = Duration.minutes(5);

    private final List<Alarm> alarms = new ArrayList<>();

    public Operations(Construct scope, String id, StateMachine deployer, ITopic topic, IQueue deadLetters,
            List<DeckhandFunction> functions, DeckhandConfiguration configuration) {
        super(scope, id);
        SnsAction notify = new SnsAction(topic);
        MetricOptions sum = MetricOptions.builder().statistic("Sum").period(PERIOD).build();
        List<Target> targets = targets(configuration);

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
        for (Target target : targets) {
            alarm("Rollbacks-" + target.service() + "-" + target.environment(),
                    "A deployment of " + target + " was rolled back (or its rollback failed)",
                    metric(OutcomeMetrics.ROLLBACKS, target.dimensions(), "Sum"), notify);
        }
        alarm("DeadLetters", "An event could not reach the deployer or the lock cleanup and waits in the dead-letter queue",
                deadLetters.metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder().statistic("Maximum").period(PERIOD).build()), notify);
        for (DeckhandFunction function : functions) {
            alarm(function.spec().name() + "Errors", "Deckhand " + function.spec().name() + " handler errors",
                    function.function().metricErrors(sum), notify);
        }

        List<IWidget> widgets = new ArrayList<>();
        List<IMetric> durations = new ArrayList<>();
        List<IMetric> rounds = new ArrayList<>();
        for (Target target : targets) {
            widgets.add(graph("Deployments by outcome: " + target, TARGET_OUTCOMES.stream()
                    .map(outcome -> outcome(target, outcome)).toList()));
            durations.add(metric(OutcomeMetrics.DURATION, target.dimensions(), "p90")
                    .with(MetricOptions.builder().label(target + " p90 (s)").build()));
            rounds.add(metric(OutcomeMetrics.HEALTH_CHECK_ROUNDS, target.dimensions(), "Average")
                    .with(MetricOptions.builder().label(target + " average").build()));
        }
        for (Target target : targets) {
            widgets.add(dora(target));
        }
        widgets.add(graph("Deployment duration", durations));
        widgets.add(graph("Health-check rounds per deployment", rounds));
        widgets.add(graph("Pushes no environment deploys", List.of(
                metric(OutcomeMetrics.DEPLOYMENTS, Map.of(OUTCOME, Outcome.IGNORED.name()), "Sum")
                        .with(MetricOptions.builder().label(Outcome.IGNORED.name()).period(Duration.hours(1)).build()))));
        widgets.add(graph("Deployer executions", List.of(
                deployer.metricSucceeded(sum), deployer.metricFailed(sum), deployer.metricTimedOut(sum))));
        Dashboard.Builder.create(this, "Dashboard").build().addWidgets(widgets.toArray(IWidget[]::new));
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    /** One configured environment of one service: the dimensions of its metrics. */
    record Target(String service, String environment) {

        Map<String, String> dimensions() {
            return Map.of(SERVICE, service, ENVIRONMENT, environment);
        }

        @Override
        public String toString() {
            return service + "/" + environment;
        }
    }

    static List<Target> targets(DeckhandConfiguration configuration) {
        List<Target> targets = new ArrayList<>();
        configuration.services().forEach((name, service) -> service.environments().keySet()
                .forEach(environment -> targets.add(new Target(name, environment))));
        return List.copyOf(targets);
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

    /**
     * DORA per target, a day at a time: deployment frequency (successful deployments), the change
     * failure rate (failed changes over changes of the service, in percent) and the median lead
     * time from push to verified. Time to restore needs the history: {@code deckhand metrics}.
     */
    private static GraphWidget dora(Target target) {
        Duration day = Duration.days(1);
        Map<String, String> succeeded = new java.util.LinkedHashMap<>(target.dimensions());
        succeeded.put(OUTCOME, Outcome.SUCCEEDED.name());
        IMetric deployments = metric(OutcomeMetrics.DEPLOYMENTS, succeeded, "Sum")
                .with(MetricOptions.builder().label("deployments per day").period(day).build());
        IMetric failureRate = MathExpression.Builder.create()
                .expression("100 * FILL(failed, 0) / changes")
                .usingMetrics(Map.of(
                        "failed", metric(OutcomeMetrics.FAILED_CHANGES, target.dimensions(), "Sum"),
                        "changes", metric(OutcomeMetrics.CHANGES, target.dimensions(), "Sum")))
                .period(day)
                .label("change failure rate (%)")
                .build();
        IMetric leadTime = metric(OutcomeMetrics.LEAD_TIME, target.dimensions(), "p50")
                .with(MetricOptions.builder().label("median lead time, push to verified (s)").period(day).build());
        return GraphWidget.Builder.create().title("DORA: " + target).left(List.of(deployments, failureRate))
                .right(List.of(leadTime)).width(12).build();
    }

    private static Metric outcome(Target target, Outcome outcome) {
        Map<String, String> dimensions = new java.util.LinkedHashMap<>(target.dimensions());
        dimensions.put(OUTCOME, outcome.name());
        return metric(OutcomeMetrics.DEPLOYMENTS, dimensions, "Sum")
                .with(MetricOptions.builder().label(outcome.name()).period(Duration.hours(1)).build());
    }

    private static Metric metric(String name, Map<String, String> dimensions, String statistic) {
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
}
