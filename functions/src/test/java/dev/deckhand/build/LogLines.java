package dev.deckhand.build;

import dev.deckhand.json.JsonHandler;
import dev.deckhand.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;

/**
 * Logs as a handler does (through {@link JsonHandler}, so under Powertools with a correlation id):
 * a Deckhand line with an exception, a library's warning, and a library's info line that the
 * configuration drops. For {@code LambdaJarLoggingIT}, which runs it in fresh JVMs.
 */
public final class LogLines {

    private LogLines() {
    }

    public static void main(String[] args) {
        byte[] event = "{\"target\":{\"deploymentId\":\"storefront.dev.0123456789abcdef\"}}".getBytes(StandardCharsets.UTF_8);
        JsonHandler.handle(new ByteArrayInputStream(event), new ByteArrayOutputStream(), new TestContext("deckhand-deploy"),
                input -> {
                    LoggerFactory.getLogger("dev.deckhand.deploy.DeployService")
                            .info("registered revision {}", 7, new IllegalStateException("a cause"));
                    LoggerFactory.getLogger("software.amazon.awssdk.core.Retry").warn("retrying");
                    LoggerFactory.getLogger("software.amazon.awssdk.core.Retry").info("not logged at INFO");
                    return "done";
                });
    }
}
