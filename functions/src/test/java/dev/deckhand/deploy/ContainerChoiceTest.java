package dev.deckhand.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.errors.ContainerNotFoundException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerChoiceTest {

    @Test
    void takesTheConfiguredContainer() {
        assertThat(ContainerChoice.choose(List.of("log-router", "web"), "web", "td:1")).isEqualTo("web");
    }

    @Test
    void takesTheOnlyContainerWhenNoneIsConfigured() {
        assertThat(ContainerChoice.choose(List.of("app"), null, "td:1")).isEqualTo("app");
    }

    @Test
    void refusesToGuessAmongSeveralContainers() {
        assertThatThrownBy(() -> ContainerChoice.choose(List.of("log-router", "web"), null, "td:1"))
                .isInstanceOf(ContainerNotFoundException.class)
                .hasMessage("task definition td:1 has 2 containers (log-router, web); set 'container' for the service "
                        + "in deckhand.yml to say which one runs the image");
    }

    @Test
    void namesTheContainersWhenTheConfiguredOneIsMissing() {
        assertThatThrownBy(() -> ContainerChoice.choose(List.of("app"), "web", "td:1"))
                .isInstanceOf(ContainerNotFoundException.class)
                .hasMessage("task definition td:1 has no container 'web' (containers: app)");
    }
}
