package dev.deckhand.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deckhand.catalogue.DeployerFunction;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.health.HttpHealthProbe;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The one wiring point builds, for every function of the catalogue, the handler the catalogue names. */
class WiringTest {

    private static final AwsClients CLIENTS = AwsClients.forEndpoint(URI.create("http://127.0.0.1:9"),
            Region.EU_WEST_1, AnonymousCredentialsProvider.create());

    private final Wiring wiring = new Wiring(new Wiring.Parts(CLIENTS, new AssumedRoles(CLIENTS.sts(), Clock.systemUTC()),
            Clock.systemUTC(), () -> ConfigurationSource.of(null), () -> "history", () -> "locks", () -> "waits", () -> "freezes",
            () -> "arn:aws:sns:eu-west-1:111122223333:deckhand", () -> "default", Optional.empty(), null,
            () -> metrics -> { }, new HttpHealthProbe(), duration -> { }, () -> "arn:aws:states:eu-west-1:1:stateMachine:d", () -> null));

    @Test
    void everyStreamFunctionOfTheCatalogueGetsTheHandlerItNames() {
        for (DeployerFunction function : DeployerFunction.values()) {
            if (function == DeployerFunction.DEPLOYMENT_API) {
                assertThatThrownBy(() -> wiring.handler(function)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("deploymentApi()");
            } else {
                assertThat(wiring.handler(function)).as(function.name()).isInstanceOf(function.handlerClass());
            }
        }
    }
}
