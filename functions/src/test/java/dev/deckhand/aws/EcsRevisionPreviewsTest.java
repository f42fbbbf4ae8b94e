package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deckhand.json.DeckhandJson;
import org.junit.jupiter.api.Test;

/** How a registration request is shown in a plan: indented {@code name: value} lines, empty members left out. */
class EcsRevisionPreviewsTest {

    @Test
    void rendersTheRequestAsIndentedLinesInItsOwnOrder() throws Exception {
        var request = DeckhandJson.MAPPER.readTree("""
                {"family":"web","containerDefinitions":[{"name":"web","image":"acme/web@sha256:1","essential":true,
                  "command":["serve","--port","8080"],"environment":[],
                  "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/acme/web"}}}],
                 "volumes":[],"cpu":"256","ipcMode":null,
                 "tags":[{"key":"deckhand:deployment-id","value":"web.dev.0123"}]}""");

        assertThat(EcsRevisionPreviews.lines(request)).containsExactly(
                "family: web",
                "containerDefinitions:",
                "  -",
                "    name: web",
                "    image: acme/web@sha256:1",
                "    essential: true",
                "    command:",
                "      - serve",
                "      - --port",
                "      - 8080",
                "    logConfiguration:",
                "      logDriver: awslogs",
                "      options:",
                "        awslogs-group: /acme/web",
                "cpu: 256",
                "tags:",
                "  -",
                "    key: deckhand:deployment-id",
                "    value: web.dev.0123");
    }
}
