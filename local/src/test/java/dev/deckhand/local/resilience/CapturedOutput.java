package dev.deckhand.local.resilience;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Everything a run writes while open: standard output and error, every Log4j event of every
 * logger (the handlers log through SLF4J and Powertools into Log4j; Deckhand's loggers are opened
 * to ALL, what an operator can set with POWERTOOLS_LOG_LEVEL) with its context data and exception,
 * and every java.util.logging record (the local cloud's System.Logger).
 */
final class CapturedOutput implements AutoCloseable {

    private static final String DECKHAND_LOGGER = "dev.deckhand";

    private final StringBuffer captured = new StringBuffer();
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final Map<LoggerConfig, Level> levels = new LinkedHashMap<>();
    private final Appender appender;
    private final Handler julHandler;
    private final java.util.concurrent.atomic.AtomicInteger log4jEvents = new java.util.concurrent.atomic.AtomicInteger();

    CapturedOutput() {
        System.setOut(new PrintStream(new Tee(out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err), true, StandardCharsets.UTF_8));
        appender = new AbstractAppender("captured-output", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                log4jEvents.incrementAndGet();
                captured.append(event.getLoggerName()).append(' ').append(event.getLevel()).append(' ')
                        .append(event.getMessage().getFormattedMessage()).append(' ')
                        .append(event.getContextData().toMap()).append('\n');
                if (event.getThrown() != null) {
                    captured.append(stackTrace(event.getThrown())).append('\n');
                }
            }
        };
        appender.start();
        Configuration configuration = context.getConfiguration();
        configuration.addAppender(appender);
        LoggerConfig deckhand = configuration.getLoggerConfig(DECKHAND_LOGGER);
        for (LoggerConfig logger : configuration.getLoggers().values()) {
            logger.addAppender(appender, Level.ALL, null);
        }
        configuration.getRootLogger().addAppender(appender, Level.ALL, null);
        levels.put(deckhand, deckhand.getLevel());
        deckhand.setLevel(Level.ALL);
        context.updateLoggers();
        julHandler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                captured.append(record.getLoggerName()).append(' ').append(record.getLevel()).append(' ')
                        .append(record.getMessage()).append('\n');
                if (record.getThrown() != null) {
                    captured.append(stackTrace(record.getThrown())).append('\n');
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("").addHandler(julHandler);
    }

    /** All that was written so far. */
    String text() {
        return captured.toString();
    }

    /** How many Log4j events were captured: evidence that the capture saw the handlers' logs. */
    int log4jEvents() {
        return log4jEvents.get();
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
        java.util.logging.Logger.getLogger("").removeHandler(julHandler);
        Configuration configuration = context.getConfiguration();
        for (LoggerConfig logger : configuration.getLoggers().values()) {
            logger.removeAppender(appender.getName());
        }
        configuration.getRootLogger().removeAppender(appender.getName());
        levels.forEach(LoggerConfig::setLevel);
        context.updateLoggers();
        appender.stop();
    }

    private static String stackTrace(Throwable thrown) {
        java.io.StringWriter trace = new java.io.StringWriter();
        thrown.printStackTrace(new java.io.PrintWriter(trace));
        return trace.toString();
    }

    /** Writes through to the original stream and into the capture. */
    private final class Tee extends OutputStream {
        private final PrintStream original;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Tee(PrintStream original) {
            this.original = original;
        }

        @Override
        public synchronized void write(int b) {
            original.write(b);
            line.write(b);
            if (b == '\n') {
                captured.append(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
        }

        @Override
        public synchronized void flush() {
            captured.append(line.toString(StandardCharsets.UTF_8));
            line.reset();
            original.flush();
        }
    }
}
