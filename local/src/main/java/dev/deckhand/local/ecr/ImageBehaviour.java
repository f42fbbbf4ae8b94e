package dev.deckhand.local.ecr;

import java.time.Duration;
import java.util.Locale;

/**
 * How a locally pushed image behaves when the simulated ECS runs it. It is chosen at push time
 * and travels with the image digest, so every task definition that names the image (by tag or by
 * digest) runs the same way.
 *
 * <p>As a service: {@link Healthy}, {@link MigrationExit} and {@link Hangs} roll out and then
 * answer health checks (200, 200, never); {@link Unhealthy} rolls out but answers 503, like an
 * application whose load balancer health check ECS does not watch; {@link SlowStart} answers 503
 * until it has been running for its warm-up; {@link ProductionRegression} answers 200 until
 * production traffic reaches its revision, 503 from then on; {@link CrashOnStart} and {@link PullFailure} never
 * reach RUNNING, so the rollout fails. As a one-off task: containers exit 0 after a run, except
 * {@link CrashOnStart} (its exit code soon after start), {@link MigrationExit} (its exit code),
 * {@link Hangs} (never exits) and {@link PullFailure} (never starts).
 */
public sealed interface ImageBehaviour {

    /** Starts, answers 200 on every health check; as a one-off task it exits 0. */
    record Healthy() implements ImageBehaviour {
        @Override
        public String label() {
            return "healthy";
        }
    }

    /** Starts and keeps running, but every health check answers 503. */
    record Unhealthy() implements ImageBehaviour {
        @Override
        public String label() {
            return "unhealthy";
        }
    }

    /** Starts, answers 503 until it has been running for {@code warmUp}, then 200. */
    record SlowStart(Duration warmUp) implements ImageBehaviour {
        public SlowStart {
            if (warmUp == null || warmUp.isNegative()) {
                throw new IllegalArgumentException("warm-up must be zero or positive, was " + warmUp);
            }
        }

        @Override
        public String label() {
            return "slow-start:" + warmUp.toSeconds();
        }
    }

    /** The container exits with {@code exitCode} right after it starts, every time. */
    record CrashOnStart(int exitCode) implements ImageBehaviour {
        @Override
        public String label() {
            return "crash-on-start:" + exitCode;
        }
    }

    /** Serves like {@link Healthy}; run as a one-off task (a migration) it exits with {@code exitCode}. */
    record MigrationExit(int exitCode) implements ImageBehaviour {
        @Override
        public String label() {
            return "migration-exit:" + exitCode;
        }
    }

    /**
     * A regression that only shows under production traffic: while its revision gets none (a
     * blue/green, linear or canary deployment's test traffic) it answers 200; once any production
     * traffic reaches the revision (a canary or linear step, or the whole of it) it answers 503.
     */
    record ProductionRegression() implements ImageBehaviour {
        @Override
        public String label() {
            return "production-regression";
        }
    }

    /** Starts and never answers: health checks get no response, one-off tasks never exit. */
    record Hangs() implements ImageBehaviour {
        @Override
        public String label() {
            return "hangs";
        }
    }

    /** The image is in the repository but cannot be pulled (as with a missing registry permission). */
    record PullFailure() implements ImageBehaviour {
        @Override
        public String label() {
            return "pull-failure";
        }
    }

    /** A short, stable text for this behaviour, e.g. {@code slow-start:30}; {@link #parse} reads it back. */
    String label();

    /** Starts and answers 200. */
    static ImageBehaviour healthy() {
        return new Healthy();
    }

    /** Runs but answers 503. */
    static ImageBehaviour unhealthy() {
        return new Unhealthy();
    }

    /** Answers 503 until it has run for {@code warmUp}. */
    static ImageBehaviour slowStart(Duration warmUp) {
        return new SlowStart(warmUp);
    }

    /** Exits with code 1 right after it starts. */
    static ImageBehaviour crashOnStart() {
        return new CrashOnStart(1);
    }

    /** Serves like healthy; as a one-off task exits with {@code exitCode}. */
    static ImageBehaviour migrationExit(int exitCode) {
        return new MigrationExit(exitCode);
    }

    /** Answers 200 until production traffic reaches its revision, then 503. */
    static ImageBehaviour productionRegression() {
        return new ProductionRegression();
    }

    /** Never answers and never exits. */
    static ImageBehaviour hangs() {
        return new Hangs();
    }

    /** Cannot be pulled. */
    static ImageBehaviour pullFailure() {
        return new PullFailure();
    }

    /**
     * Reads a label such as {@code healthy}, {@code unhealthy}, {@code slow-start:30} (seconds),
     * {@code crash-on-start}, {@code crash-on-start:2}, {@code migration-exit:3},
     * {@code production-regression}, {@code hangs} or {@code pull-failure}, as typed on the command line.
     *
     * @throws IllegalArgumentException naming the accepted labels when the text is none of them
     */
    static ImageBehaviour parse(String label) {
        String text = label == null ? "" : label.trim().toLowerCase(Locale.ROOT);
        int colon = text.indexOf(':');
        String kind = colon < 0 ? text : text.substring(0, colon);
        String argument = colon < 0 ? null : text.substring(colon + 1);
        try {
            return switch (kind) {
                case "healthy" -> noArgument(argument, new Healthy(), label);
                case "unhealthy" -> noArgument(argument, new Unhealthy(), label);
                case "production-regression" -> noArgument(argument, new ProductionRegression(), label);
                case "hangs" -> noArgument(argument, new Hangs(), label);
                case "pull-failure" -> noArgument(argument, new PullFailure(), label);
                case "slow-start" -> new SlowStart(Duration.ofSeconds(Long.parseLong(required(argument, label))));
                case "crash-on-start" -> new CrashOnStart(argument == null ? 1 : Integer.parseInt(argument));
                case "migration-exit" -> new MigrationExit(Integer.parseInt(required(argument, label)));
                default -> throw unknown(label);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + label + "' needs a whole number after the colon", e);
        }
    }

    private static ImageBehaviour noArgument(String argument, ImageBehaviour behaviour, String label) {
        if (argument != null) {
            throw unknown(label);
        }
        return behaviour;
    }

    private static String required(String argument, String label) {
        if (argument == null || argument.isEmpty()) {
            throw new IllegalArgumentException("'" + label + "' needs a number, e.g. slow-start:30 or migration-exit:1");
        }
        return argument;
    }

    private static IllegalArgumentException unknown(String label) {
        return new IllegalArgumentException("Unknown image behaviour '" + label + "'; expected one of: healthy, "
                + "unhealthy, slow-start:<seconds>, crash-on-start[:<exit code>], migration-exit:<exit code>, "
                + "production-regression, hangs, pull-failure");
    }
}
