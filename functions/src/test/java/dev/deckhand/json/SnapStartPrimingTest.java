package dev.deckhand.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SnapStartPrimingTest {

    @Test
    void primingReadsARepresentativeStepEventFromTheJar() {
        // The event the JSON door reads on every invocation carries the target and its deployment id.
        assertThat(SnapStartPriming.prime().path("target").path("deploymentId").asText())
                .isEqualTo("storefront.dev.0123456789abcdef");
    }
}
