package dev.deckhand.local.iam;

import static dev.deckhand.local.iam.PolicyEvaluator.Decision.ALLOWED;
import static dev.deckhand.local.iam.PolicyEvaluator.Decision.EXPLICITLY_DENIED;
import static dev.deckhand.local.iam.PolicyEvaluator.Decision.IMPLICITLY_DENIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The evaluation rules the local IAM relies on, each as the IAM User Guide states it
 * (reference_policies_evaluation-logic, reference_policies_elements_condition_operators,
 * reference_policies_multi-value-conditions: values of one key are ORed, keys and operators ANDed;
 * a key absent from the request makes its condition false).
 */
class PolicyEvaluatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLUSTER = "arn:aws:ecs:us-east-1:000000000000:cluster/acme-dev";

    private static PolicyDocument policy(String statements) throws Exception {
        return PolicyDocument.parse(JSON.readTree("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}"));
    }

    @Test
    void nothingIsAllowedThatNoStatementAllows() throws Exception {
        PolicyDocument policy = policy("{\"Effect\":\"Allow\",\"Action\":\"sns:Publish\",\"Resource\":\"arn:aws:sns:us-east-1:000000000000:t\"}");
        assertThat(PolicyEvaluator.decide(policy, Authorization.of("sns:Publish", "arn:aws:sns:us-east-1:000000000000:t")))
                .isEqualTo(ALLOWED);
        assertThat(PolicyEvaluator.decide(policy, Authorization.of("sns:Publish", "arn:aws:sns:us-east-1:000000000000:u")))
                .isEqualTo(IMPLICITLY_DENIED);
        assertThat(PolicyEvaluator.decide(policy, Authorization.of("sns:Subscribe", "arn:aws:sns:us-east-1:000000000000:t")))
                .isEqualTo(IMPLICITLY_DENIED);
    }

    @Test
    void anExplicitDenyWinsOverAnyAllow() throws Exception {
        PolicyDocument policy = policy("{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"ecs:StopTask\",\"Resource\":\"arn:aws:ecs:*:*:task/acme-prod/*\"}");
        assertThat(PolicyEvaluator.decide(policy, Authorization.of("ecs:StopTask", "arn:aws:ecs:us-east-1:1:task/acme-prod/abc")))
                .isEqualTo(EXPLICITLY_DENIED);
        assertThat(PolicyEvaluator.decide(policy, Authorization.of("ecs:StopTask", "arn:aws:ecs:us-east-1:1:task/acme-dev/abc")))
                .isEqualTo(ALLOWED);
    }

    @Test
    void resourceWildcardsMatchAnyRunWithStarAndOneCharacterWithQuestionMarkCaseSensitively() throws Exception {
        PolicyDocument policy = policy("{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\","
                + "\"Resource\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:deckhand/slack-??????\"}");
        String base = "arn:aws:secretsmanager:us-east-1:000000000000:secret:deckhand/slack-";
        assertThat(PolicyEvaluator.decide(policy, Authorization.of("secretsmanager:GetSecretValue", base + "AbC123")))
                .isEqualTo(ALLOWED);
        assertThat(PolicyEvaluator.decide(policy, Authorization.of("secretsmanager:GetSecretValue", base + "AbC12")))
                .isEqualTo(IMPLICITLY_DENIED);
        assertThat(PolicyEvaluator.decide(policy, Authorization.of("secretsmanager:GetSecretValue", base + "AbC1234")))
                .isEqualTo(IMPLICITLY_DENIED);
        assertThat(PolicyEvaluator.decide(policy, Authorization.of("secretsmanager:GetSecretValue",
                base.replace("slack", "Slack") + "AbC123"))).isEqualTo(IMPLICITLY_DENIED);
        // Action names are case-insensitive (reference_policies_elements_action).
        assertThat(PolicyEvaluator.decide(policy, Authorization.of("SecretsManager:getsecretvalue", base + "AbC123")))
                .isEqualTo(ALLOWED);
    }

    @Test
    void stringEqualsComparesExactlyAndStringLikeWithWildcards() throws Exception {
        PolicyDocument equals = policy("{\"Effect\":\"Allow\",\"Action\":\"events:PutEvents\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"events:source\":\"deckhand\"}}}");
        PolicyDocument like = policy("{\"Effect\":\"Allow\",\"Action\":\"events:PutEvents\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringLike\":{\"events:source\":\"deck*\"}}}");
        assertThat(PolicyEvaluator.decide(equals, put("deckhand"))).isEqualTo(ALLOWED);
        assertThat(PolicyEvaluator.decide(equals, put("deckhand2"))).isEqualTo(IMPLICITLY_DENIED);
        assertThat(PolicyEvaluator.decide(like, put("deckhand2"))).isEqualTo(ALLOWED);
        assertThat(PolicyEvaluator.decide(like, put("aws.ecr"))).isEqualTo(IMPLICITLY_DENIED);
    }

    @Test
    void arnEqualsAndArnLikeCompareArnsWithWildcards() throws Exception {
        PolicyDocument policy = policy("{\"Effect\":\"Allow\",\"Action\":\"ecs:ListTasks\",\"Resource\":\"*\","
                + "\"Condition\":{\"ArnEquals\":{\"ecs:cluster\":\"arn:aws:ecs:*:000000000000:cluster/acme-dev\"}}}");
        assertThat(PolicyEvaluator.decide(policy, listTasks(CLUSTER))).isEqualTo(ALLOWED);
        assertThat(PolicyEvaluator.decide(policy, listTasks(CLUSTER.replace("acme-dev", "acme-prod"))))
                .isEqualTo(IMPLICITLY_DENIED);
    }

    @Test
    void theValuesOfOneKeyAreAlternativesWhileKeysAndOperatorsMustAllHold() throws Exception {
        PolicyDocument policy = policy("{\"Effect\":\"Allow\",\"Action\":\"ecs:RunTask\",\"Resource\":\"*\","
                + "\"Condition\":{\"ArnEquals\":{\"ecs:cluster\":[\"" + CLUSTER + "\",\"" + CLUSTER.replace("dev", "prod") + "\"]},"
                + "\"StringEquals\":{\"aws:ResourceTag/owner\":\"deckhand\"}}}");
        Map<String, String> both = Map.of("ecs:cluster", CLUSTER.replace("dev", "prod"), "aws:ResourceTag/owner", "deckhand");
        assertThat(PolicyEvaluator.decide(policy, new Authorization("ecs:RunTask", "td", both))).isEqualTo(ALLOWED);
        assertThat(PolicyEvaluator.decide(policy, new Authorization("ecs:RunTask", "td",
                Map.of("ecs:cluster", CLUSTER, "aws:ResourceTag/owner", "someone")))).isEqualTo(IMPLICITLY_DENIED);
    }

    @Test
    void aConditionOnAKeyTheRequestDoesNotCarryIsFalse() throws Exception {
        PolicyDocument policy = policy("{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"ecs-tasks.amazonaws.com\"}}}");
        assertThat(PolicyEvaluator.decide(policy, Authorization.of("iam:PassRole", "arn:aws:iam::1:role/r")))
                .isEqualTo(IMPLICITLY_DENIED);
        assertThat(PolicyEvaluator.decide(policy, new Authorization("iam:PassRole", "arn:aws:iam::1:role/r",
                Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com")))).isEqualTo(ALLOWED);
    }

    @Test
    void aPolicyWithElementsOrOperatorsTheEvaluatorDoesNotKnowIsRefusedWhenRead() {
        assertThatThrownBy(() -> policy("{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}"))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("NotAction");
        assertThatThrownBy(() -> policy("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2020-01-01\"}}}"))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("DateGreaterThan");
        assertThatThrownBy(() -> policy("{\"Effect\":\"Maybe\",\"Action\":\"s3:*\",\"Resource\":\"*\"}"))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("Effect");
    }

    private static Authorization put(String source) {
        return new Authorization("events:PutEvents", "arn:aws:events:us-east-1:0:event-bus/default", Map.of("events:source", source));
    }

    private static Authorization listTasks(String cluster) {
        return new Authorization("ecs:ListTasks", "arn:aws:ecs:us-east-1:000000000000:container-instance/x/*",
                Map.of("ecs:cluster", cluster));
    }
}
