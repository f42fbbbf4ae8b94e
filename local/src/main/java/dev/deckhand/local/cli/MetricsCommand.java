package dev.deckhand.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deckhand metrics}: GET /metrics, the DORA figures of each environment over a period. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "DORA metrics from the history: deployment frequency, lead time, change failure rate, "
                + "time to restore — per service and environment.")
final class MetricsCommand extends ClientCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "<service>", description = "One service (default: all).")
    String service;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<environment>",
            description = "One environment of the service (default: all).")
    String environment;

    @Option(names = "--since", defaultValue = "30d", paramLabel = "PERIOD",
            description = "The period that ends now: 12h, 30d, 4w … at most 365d (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--json", description = "Print the API's JSON answer as it is.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = out();
        StringBuilder path = new StringBuilder("/metrics?since=").append(encode(since));
        if (service != null) {
            path.append("&service=").append(encode(service));
        }
        if (environment != null) {
            path.append("&environment=").append(encode(environment));
        }
        JsonNode body = ApiAnswers.body(connection.api().get(path.toString()));
        if (json) {
            out.println(body.toPrettyString());
            out.flush();
            return 0;
        }
        out.printf("%-16s %-10s %7s %8s %10s %9s %10s%n", "SERVICE", "ENV", "DEPLOYS", "PER DAY", "LEAD TIME",
                "FAILURES", "RESTORE");
        for (JsonNode figures : body.path("metrics")) {
            JsonNode rate = figures.path("changeFailureRate");
            out.printf("%-16s %-10s %7d %8.2f %10s %9s %10s%n", figures.path("service").asText(),
                    figures.path("environment").asText(), figures.path("deployments").asInt(),
                    figures.path("deploymentsPerDay").asDouble(), duration(figures.path("leadTimeSeconds")),
                    rate.isNumber() ? Math.round(rate.asDouble() * 100) + "%" : "-",
                    duration(figures.path("timeToRestoreSeconds")));
        }
        out.printf("over %s (medians; failures = failed changes / changes of the service)%n", since);
        out.flush();
        return 0;
    }

    /** 45s, 12m, 3h20m, 2d4h: short enough for a column. */
    static String duration(JsonNode seconds) {
        if (!seconds.isNumber()) {
            return "-";
        }
        long s = seconds.asLong();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86400) {
            return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
        }
        return s / 86400 + "d" + (s % 86400 / 3600 == 0 ? "" : s % 86400 / 3600 + "h");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
