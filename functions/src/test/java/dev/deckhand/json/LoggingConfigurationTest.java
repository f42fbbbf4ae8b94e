package dev.deckhand.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.properties.PropertiesConfiguration;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.junit.jupiter.api.Test;

/**
 * The functions jar's log4j2.properties is the configuration Log4j finds: a file it cannot read
 * would leave Lambda with Log4j's default (errors only, plain text) and no warning in the logs.
 */
class LoggingConfigurationTest {

    @Test
    void deckhandLogsJsonAtInfoAndEverythingElseAtWarn() {
        Configuration configuration = ((LoggerContext) LogManager.getContext(false)).getConfiguration();

        assertThat(configuration).isInstanceOf(PropertiesConfiguration.class);
        assertThat(configuration.getConfigurationSource().getLocation()).endsWith("log4j2.properties");
        ConsoleAppender appender = configuration.getAppender("JsonAppender");
        assertThat(appender.getTarget()).isEqualTo(ConsoleAppender.Target.SYSTEM_OUT);
        assertThat(appender.getLayout()).isInstanceOf(JsonTemplateLayout.class);
        LoggerConfig deckhand = configuration.getLoggerConfig("dev.deckhand.deploy.DeployService");
        assertThat(deckhand.getName()).isEqualTo("dev.deckhand");
        assertThat(deckhand.getLevel()).isEqualTo(System.getenv("POWERTOOLS_LOG_LEVEL") == null
                ? Level.INFO : Level.valueOf(System.getenv("POWERTOOLS_LOG_LEVEL")));
        assertThat(deckhand.isAdditive()).isFalse();
        assertThat(deckhand.getAppenders()).containsOnlyKeys("JsonAppender");
        assertThat(configuration.getRootLogger().getLevel()).isEqualTo(Level.WARN);
        assertThat(configuration.getRootLogger().getAppenders()).containsOnlyKeys("JsonAppender");
    }
}
