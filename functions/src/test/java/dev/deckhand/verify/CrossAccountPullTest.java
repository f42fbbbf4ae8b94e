package dev.deckhand.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Reading an ECR repository policy for a cross-account pull. ECR's repository policy examples grant
 * another account a pull with ecr:BatchGetImage and ecr:GetDownloadUrlForLayer to
 * {@code arn:aws:iam::<account>:root}; IAM action names are case-insensitive and take wildcards
 * (IAM JSON policy elements: Action), an explicit Deny wins over an Allow (policy evaluation logic).
 */
class CrossAccountPullTest {

    private static final String TARGET = "444455556666";

    @Test
    void theStatementOfTheFixGrantsThePull() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + CrossAccountPull.statement(TARGET) + "]}";

        assertThat(CrossAccountPull.missing(policy, TARGET)).isEmpty();
        assertThat(CrossAccountPull.missing(policy, "111122223333")).containsExactlyElementsOf(CrossAccountPull.ACTIONS);
    }

    @Test
    void anAccountIdOrARoleOfTheAccountOrEveryoneIsNamed() {
        assertThat(CrossAccountPull.missing(allow("\"" + TARGET + "\"", "\"ecr:*\""), TARGET)).isEmpty();
        assertThat(CrossAccountPull.missing(allow("[\"arn:aws:iam::" + TARGET + ":role/prod-execution\"]",
                "[\"ECR:BatchGetImage\",\"ecr:GetDownloadUrl*\"]"), TARGET)).isEmpty();
        assertThat(CrossAccountPull.missing("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"ecr:*\"}}", TARGET)).isEmpty();
    }

    @Test
    void aPolicyGrantingOnlyOneActionMissesTheOther() {
        assertThat(CrossAccountPull.missing(allow("\"arn:aws:iam::" + TARGET + ":root\"", "\"ecr:BatchGetImage\""),
                TARGET)).containsExactly("ecr:GetDownloadUrlForLayer");
    }

    @Test
    void anotherAccountsGrantDoesNotCount() {
        assertThat(CrossAccountPull.missing(allow("\"arn:aws:iam::111122223333:root\"", "\"ecr:*\""), TARGET))
                .containsExactlyElementsOf(CrossAccountPull.ACTIONS);
    }

    @Test
    void anExplicitDenyWins() {
        String policy = "{\"Statement\":[" + CrossAccountPull.statement(TARGET) + ",{\"Effect\":\"Deny\","
                + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"ecr:BatchGetImage\"}]}";

        assertThat(CrossAccountPull.missing(policy, TARGET)).containsExactly("ecr:BatchGetImage");
    }

    @Test
    void unreadableTextGrantsNothing() {
        assertThat(CrossAccountPull.missing("not json", TARGET)).containsExactlyElementsOf(CrossAccountPull.ACTIONS);
    }

    private static String allow(String principals, String actions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":" + principals
                + "},\"Action\":" + actions + "}]}";
    }
}
