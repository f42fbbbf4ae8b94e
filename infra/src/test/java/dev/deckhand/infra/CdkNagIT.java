package dev.deckhand.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag's AwsSolutions pack over the whole stack: nothing may be left unexplained. */
class CdkNagIT {

    @TempDir
    static Path work;

    private static Annotations annotations;

    @BeforeAll
    static void synthesizeWithAwsSolutionsChecks() {
        App app = App.Builder.create().outdir(work.resolve("cdk.out").toString()).build();
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        DeckhandStack stack = TestInstallation.stack(app, TestInstallation.settings(work));
        annotations = Annotations.fromStack(stack);
    }

    @Test
    void awsSolutionsPackReportsNoUnsuppressedError() {
        assertThat(describe(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))).isEmpty();
    }

    @Test
    void awsSolutionsPackReportsNoUnsuppressedWarning() {
        assertThat(describe(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))).isEmpty();
    }

    @Test
    void aCrossAccountInstallationsStacksReportNoUnsuppressedFinding() {
        java.util.Map<String, Object> context = new java.util.HashMap<>(TestInstallation.context(work,
                "src/test/resources/configurations/cross-account.yml", TestInstallation.DEFINITION.toString()));
        context.put("deckhandAccount", "111122223333");
        App app = App.Builder.create().context(context).outdir(work.resolve("cross/cdk.out").toString()).build();
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        assertThat(DeckhandApp.run(app, System.err)).isZero();

        for (String id : List.of("Deckhand", "Deckhand-Target-444455556666")) {
            Annotations stack = Annotations.fromStack((software.amazon.awscdk.Stack) app.getNode().findChild(id));
            assertThat(describe(stack.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))).as(id).isEmpty();
            assertThat(describe(stack.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))).as(id).isEmpty();
        }
    }

    private static List<String> describe(List<SynthesisMessage> messages) {
        return messages.stream().flatMap(message -> Stream.of(message.getId() + ": " + message.getEntry().getData()))
                .toList();
    }
}
