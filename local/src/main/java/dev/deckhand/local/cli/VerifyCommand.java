package dev.deckhand.local.cli;

import dev.deckhand.aws.AssumedRoles;
import dev.deckhand.aws.AwsClients;
import dev.deckhand.aws.DynamoDbDeploymentHistory;
import dev.deckhand.aws.EcrImageRegistry;
import dev.deckhand.aws.AwsPreconditions;
import dev.deckhand.catalogue.Tables;
import dev.deckhand.config.ConfigurationSource;
import dev.deckhand.readiness.RollbackReadiness;
import dev.deckhand.verify.Check;
import dev.deckhand.verify.CheckTable;
import dev.deckhand.verify.PreflightService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code deckhand verify}: the pre-flight checks of each environment, one line each, exit 1 if any fails. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Checks each environment (or one service, or one environment) is deployable and could roll "
                + "back: one line per check, with a one-line fix for each failure. Changes nothing.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every check passed", "1:a check failed", "2:usage error"})
final class VerifyCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "<service>", description = "Only this service.")
    String service;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<env>", description = "Only this environment of it.")
    String environment;

    @Option(names = {"-c", "--config"}, paramLabel = "<file>", defaultValue = "deckhand.yml",
            description = "Deckhand configuration (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--history-table", paramLabel = "<name>", defaultValue = "${env:DECKHAND_HISTORY_TABLE}",
            description = "The deployment history table (default: $DECKHAND_HISTORY_TABLE; locally, the local one).")
    String historyTable;

    @Mixin
    Connection connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String table = historyTable != null && !historyTable.isBlank() ? historyTable
                : connection.local() ? Tables.HISTORY.localName() : null;
        if (table == null) {
            throw new UserError("which deployment history? rollback readiness reads it",
                    "pass --history-table, or set DECKHAND_HISTORY_TABLE to the name of the stack's history table");
        }
        AwsClients aws = connection.aws();
        PreflightService preflight = new PreflightService(ConfigurationSource.of(CliFiles.configuration(config)),
                new AwsPreconditions(aws, new AssumedRoles(aws.sts(), Clock.systemUTC())),
                new RollbackReadiness(new DynamoDbDeploymentHistory(aws.dynamoDb(), table), new EcrImageRegistry(aws.ecr())));
        List<Check> checks;
        try {
            checks = preflight.verify(service, environment);
        } catch (IllegalArgumentException unknown) {
            throw new UserError(unknown.getMessage(), "./deckhand config check");
        }
        PrintWriter out = spec.commandLine().getOut();
        CheckTable.lines(checks).forEach(out::println);
        out.flush();
        return CheckTable.exitCode(checks);
    }
}
