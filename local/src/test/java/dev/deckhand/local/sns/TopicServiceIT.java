package dev.deckhand.local.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.local.Clients;
import dev.deckhand.local.LocalCloud;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.Topic;

/** Behaviour from the SNS API reference (CreateTopic, Publish, ListTopics), over the query protocol. */
class TopicServiceIT {

    private static LocalCloud cloud;
    private static SnsClient sns;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().port(0).dynamoDb(false).build().start();
        sns = Clients.sns(cloud);
    }

    @AfterAll
    static void stop() {
        sns.close();
        cloud.close();
    }

    @Test
    void keepsPublishedMessagesWithSubjectAndAttributes() {
        String topic = sns.createTopic(r -> r.name("deployments")).topicArn();

        String id = sns.publish(r -> r.topicArn(topic).subject("web deployed to staging")
                .message("{\"status\":\"SUCCEEDED\"} & <done>")
                .messageAttributes(Map.of("status", MessageAttributeValue.builder().dataType("String")
                        .stringValue("SUCCEEDED").build()))).messageId();

        assertThat(topic).isEqualTo("arn:aws:sns:us-east-1:000000000000:deployments");
        assertThat(cloud.topics().messages(topic)).singleElement().satisfies(message -> {
            assertThat(message.messageId()).isEqualTo(id);
            assertThat(message.subject()).contains("web deployed to staging");
            assertThat(message.message()).isEqualTo("{\"status\":\"SUCCEEDED\"} & <done>");
            assertThat(message.attributes()).containsExactly(Map.entry("status", "SUCCEEDED"));
        });
    }

    @Test
    void createTopicIsIdempotentAndListsTopics() {
        String first = sns.createTopic(r -> r.name("alerts")).topicArn();
        String again = sns.createTopic(r -> r.name("alerts")).topicArn();

        assertThat(again).isEqualTo(first);
        assertThat(sns.listTopics().topics()).extracting(Topic::topicArn).contains(first).doesNotHaveDuplicates();
    }

    @Test
    void answersNotFoundForAnUnknownTopic() {
        assertThatThrownBy(() -> sns.publish(r -> r.topicArn("arn:aws:sns:us-east-1:000000000000:nope").message("m")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void refusesAnInvalidTopicName() {
        assertThatThrownBy(() -> sns.createTopic(r -> r.name("not a valid name")))
                .isInstanceOf(InvalidParameterException.class);
    }

    // API_Publish, Subject: "Subjects must be UTF-8 text with no line breaks or control characters,
    // and less than 100 characters long." SNS answers InvalidParameter.
    @Test
    void refusesASubjectOfOneHundredCharactersOrWithLineBreaksOrControlCharacters() {
        String topic = sns.createTopic(r -> r.name("subjects")).topicArn();

        for (String subject : java.util.List.of("x".repeat(100), "two\nlines", "carriage\rreturn", "tab\there",
                "bell\u0007", "line\u2028separator")) {
            assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topic).subject(subject).message("m")))
                    .as("subject %s", subject).isInstanceOf(InvalidParameterException.class)
                    .hasMessageContaining("Subject");
        }
        sns.publish(r -> r.topicArn(topic).subject("x".repeat(99)).message("m"));
        sns.publish(r -> r.topicArn(topic).subject("caf\u00e9 UTF-8 is text").message("m"));
        assertThat(cloud.topics().messages(topic)).hasSize(2);
    }
}
