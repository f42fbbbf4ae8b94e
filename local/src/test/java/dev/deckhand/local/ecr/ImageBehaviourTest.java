package dev.deckhand.local.ecr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageBehaviourTest {

    @Test
    void everyBehaviourReadsBackFromItsLabel() {
        List<ImageBehaviour> all = List.of(ImageBehaviour.healthy(), ImageBehaviour.unhealthy(),
                ImageBehaviour.slowStart(Duration.ofSeconds(30)), ImageBehaviour.crashOnStart(),
                new ImageBehaviour.CrashOnStart(2), ImageBehaviour.migrationExit(3), ImageBehaviour.productionRegression(), ImageBehaviour.hangs(),
                ImageBehaviour.pullFailure());

        assertThat(all).allSatisfy(behaviour -> assertThat(ImageBehaviour.parse(behaviour.label())).isEqualTo(behaviour));
    }

    @Test
    void crashOnStartWithoutACodeExitsWithOne() {
        assertThat(ImageBehaviour.parse("crash-on-start")).isEqualTo(new ImageBehaviour.CrashOnStart(1));
    }

    @Test
    void theProductionRegressionIsReadFromItsCommandLineLabel() {
        assertThat(ImageBehaviour.parse(" Production-Regression ")).isEqualTo(ImageBehaviour.productionRegression());
    }

    @Test
    void unknownLabelsAreRejectedNamingTheAcceptedOnes() {
        assertThatThrownBy(() -> ImageBehaviour.parse("flaky"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown image behaviour 'flaky'")
                .hasMessageContaining("slow-start:<seconds>")
                .hasMessageContaining("production-regression");
        assertThatThrownBy(() -> ImageBehaviour.parse("production-regression:5"))
                .hasMessageContaining("Unknown image behaviour 'production-regression:5'");
        assertThatThrownBy(() -> ImageBehaviour.parse("migration-exit"))
                .hasMessageContaining("needs a number");
        assertThatThrownBy(() -> ImageBehaviour.parse("slow-start:soon"))
                .hasMessageContaining("needs a whole number");
    }
}
