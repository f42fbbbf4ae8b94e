package dev.deckhand.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.CfnRule;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * The EventBridge rule on the default bus that starts the deployer for every successful push to
 * a configured repository. Its pattern is exactly {@code EcrPushPattern.forConfiguration}, the
 * one the local cloud matches. An event that cannot start an execution is retried, then kept in
 * a dead-letter queue rather than dropped
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
 */
public final class PushTrigger extends Construct {

    /** EventBridge's own defaults, stated: retry for 24 hours, up to 185 times. */
    static final int RETRY_ATTEMPTS = 185;
    static final Duration MAX_EVENT_AGE = Duration.hours(24);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CfnRule rule;
    private final Queue deadLetters;

    /** @param pattern the event pattern as JSON, deployed as written (key order included) */
    public PushTrigger(Construct scope, String id, String pattern, IStateMachine deployer) {
        super(scope, id);
        this.deadLetters = Queue.Builder.create(this, "DeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                // The longest SQS keeps a message: time for a person to look and redrive.
                .retentionPeriod(Duration.days(14))
                .build();
        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("events.amazonaws.com"))
                .description("Lets the ECR push rule start the Deckhand deployer")
                .build();
        deployer.grantStartExecution(role);
        this.rule = CfnRule.Builder.create(this, "Rule")
                .description("Successful ECR pushes to the repositories in deckhand.yml start the Deckhand deployer")
                .state("ENABLED")
                .eventPattern(parse(pattern))
                .targets(List.of(CfnRule.TargetProperty.builder()
                        .id("Deployer")
                        .arn(deployer.getStateMachineArn())
                        .roleArn(role.getRoleArn())
                        .retryPolicy(CfnRule.RetryPolicyProperty.builder()
                                .maximumRetryAttempts(RETRY_ATTEMPTS)
                                .maximumEventAgeInSeconds(MAX_EVENT_AGE.toSeconds())
                                .build())
                        .deadLetterConfig(CfnRule.DeadLetterConfigProperty.builder()
                                .arn(deadLetters.getQueueArn())
                                .build())
                        .build()))
                .build();
        AcceptedFindings.deadLetterQueue(deadLetters);
        keepDeadLettersOf(rule);
    }

    /** Lets another of Deckhand's rules keep its undeliverable events in this queue; only named rules may. */
    public void keepDeadLettersOf(CfnRule otherRule) {
        deadLetters.addToResourcePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(deadLetters.getQueueArn()))
                .conditions(Map.of("ArnEquals", Map.of("aws:SourceArn", otherRule.getAttrArn())))
                .build());
    }

    /** The JSON pattern as the map CloudFormation's {@code EventPattern} takes, key order kept. */
    static Map<String, Object> parse(String pattern) {
        try {
            return JSON.readValue(pattern, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the event pattern is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    public CfnRule rule() {
        return rule;
    }

    /** Events that could not start an execution. */
    public Queue deadLetters() {
        return deadLetters;
    }
}
