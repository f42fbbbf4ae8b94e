package dev.deckhand.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.InvalidNextTokenException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.DescribeParametersResponse;
import software.amazon.awssdk.services.ssm.model.InvalidFilterKeyException;
import software.amazon.awssdk.services.ssm.model.ParameterMetadata;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The read and list operations a user reaches for to look around the local cloud with their own
 * client (SSM DescribeParameters, Secrets Manager ListSecrets and DescribeSecret, SNS
 * ListSubscriptions), in AWS's shapes and with AWS's paging, through the real SDK v2 clients.
 */
class LocalCloudDiscoveryIT {

    private static LocalCloud cloud;
    private static SsmClient ssm;
    private static SecretsManagerClient secrets;
    private static SnsClient sns;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start();
        ssm = Clients.ssm(cloud);
        secrets = Clients.secretsManager(cloud);
        sns = Clients.sns(cloud);
        cloud.parameters().put("/deckhand/config", "String", "version: 1");
        cloud.parameters().put("/deckhand/nested/flag", "String", "on");
        cloud.parameters().put("/other/token", "SecureString", "s3cr3t-value");
        cloud.secrets().put("deckhand/slack-webhook", "{\"url\":\"http://127.0.0.1:1/\"}");
        cloud.secrets().put("deckhand/other", "hush");
        cloud.secrets().put("unrelated", "quiet");
    }

    @AfterAll
    static void stop() {
        ssm.close();
        secrets.close();
        sns.close();
        cloud.close();
    }

    @Test
    void describeParametersListsMetadataWithoutValuesAPageAtATime() {
        // API_DescribeParameters: Parameters of ParameterMetadata (no Value); MaxResults 1-50; NextToken.
        List<ParameterMetadata> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            DescribeParametersResponse page = ssm.describeParameters(r -> r.maxResults(2).nextToken(next));
            seen.addAll(page.parameters());
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(2);
        assertThat(seen).extracting(ParameterMetadata::name)
                .containsExactly("/deckhand/config", "/deckhand/nested/flag", "/other/token");
        assertThat(seen.get(2).type()).isEqualTo(ParameterType.SECURE_STRING);
        assertThat(seen.get(0).arn()).isEqualTo("arn:aws:ssm:" + cloud.region() + ":" + cloud.account()
                + ":parameter/deckhand/config");
        assertThat(seen).allSatisfy(p -> assertThat(p.version()).isEqualTo(1L));
        assertThat(ssm.describeParameters().toString()).doesNotContain("s3cr3t-value");
    }

    @Test
    void describeParametersFiltersByPathAndNameAndRefusesUnknownKeys() {
        assertThat(ssm.describeParameters(r -> r.parameterFilters(ParameterStringFilter.builder().key("Path")
                .values("/deckhand").build())).parameters()).extracting(ParameterMetadata::name)
                .containsExactly("/deckhand/config");
        assertThat(ssm.describeParameters(r -> r.parameterFilters(ParameterStringFilter.builder().key("Path")
                .option("Recursive").values("/deckhand").build())).parameters()).hasSize(2);
        assertThat(ssm.describeParameters(r -> r.parameterFilters(ParameterStringFilter.builder().key("Name")
                .option("BeginsWith").values("/other").build())).parameters()).extracting(ParameterMetadata::name)
                .containsExactly("/other/token");
        assertThatThrownBy(() -> ssm.describeParameters(r -> r.parameterFilters(ParameterStringFilter.builder()
                .key("Colour").values("blue").build()))).isInstanceOf(InvalidFilterKeyException.class);
    }

    @Test
    void listSecretsPagesMetadataFiltersByNameAndNeverShowsAValue() {
        // API_ListSecrets: SecretList of SecretListEntry (no SecretString), MaxResults 1-100, NextToken,
        // Filters with Key "name".
        var first = secrets.listSecrets(r -> r.maxResults(2));
        var second = secrets.listSecrets(r -> r.maxResults(2).nextToken(first.nextToken()));

        assertThat(first.secretList()).extracting(SecretListEntry::name).containsExactly("deckhand/other",
                "deckhand/slack-webhook");
        assertThat(second.secretList()).extracting(SecretListEntry::name).containsExactly("unrelated");
        assertThat(second.nextToken()).isNull();
        assertThat(first.secretList().get(0).secretVersionsToStages().values()).singleElement()
                .isEqualTo(List.of("AWSCURRENT"));
        assertThat(secrets.listSecrets(r -> r.filters(Filter.builder().key(FilterNameStringType.NAME)
                .values("deckhand/").build())).secretList()).hasSize(2);
        assertThat(secrets.listSecrets().toString()).doesNotContain("hush").doesNotContain("127.0.0.1");
        assertThatThrownBy(() -> secrets.listSecrets(r -> r.nextToken("@@"))).isInstanceOf(InvalidNextTokenException.class);
    }

    @Test
    void describeSecretAnswersTheSecretsMetadataByNameOrArn() {
        var byName = secrets.describeSecret(r -> r.secretId("deckhand/slack-webhook"));
        var byArn = secrets.describeSecret(r -> r.secretId(byName.arn()));

        assertThat(byArn.name()).isEqualTo("deckhand/slack-webhook");
        assertThat(byName.createdDate()).isNotNull();
        assertThat(byName.versionIdsToStages().values()).singleElement().isEqualTo(List.of("AWSCURRENT"));
    }

    @Test
    void listSubscriptionsAnswersInSnsShapeAndRefusesAnUnknownTopic() {
        String topic = sns.createTopic(r -> r.name("deckhand-outcomes")).topicArn();

        // API_ListSubscriptions / API_ListSubscriptionsByTopic; "NotFound: Indicates that the
        // requested resource does not exist" (HTTP 404).
        assertThat(sns.listSubscriptions().subscriptions()).isEmpty();
        assertThat(sns.listSubscriptionsByTopic(r -> r.topicArn(topic)).subscriptions()).isEmpty();
        assertThatThrownBy(() -> sns.listSubscriptionsByTopic(r -> r.topicArn(topic + "-nope")))
                .isInstanceOf(NotFoundException.class);
    }
}
