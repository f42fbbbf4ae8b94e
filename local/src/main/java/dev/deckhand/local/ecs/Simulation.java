package dev.deckhand.local.ecs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.local.ecr.EcrImage;
import dev.deckhand.local.ecr.ImageBehaviour;
import dev.deckhand.local.ecr.LocalEcr;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the parts of the simulated ECS share: the account and region, timing, the schedule of what
 * happens next, the registry images are pulled from, and the outbox of events waiting to be
 * published (they are published after the state lock is released).
 */
final class Simulation {

    static final ObjectMapper JSON = new ObjectMapper();

    final String region;
    final String accountId;
    final Clock clock;
    final WorkloadTiming timing;
    final LocalEcr ecr;
    final SimulatedSchedule schedule = new SimulatedSchedule();
    final List<ObjectNode> outbox = new ArrayList<>();
    final EcsEvents events;
    /** Lifecycle hook invocations that are due, invoked outside the state lock (LocalEcs). */
    final List<HookCall> hookCalls = new ArrayList<>();
    /** A CloudWatch alarm's state by name (ALARM, OK, INSUFFICIENT_DATA); null when unknown. */
    volatile java.util.function.Function<String, String> alarmStates = name -> null;
    /** Where one-off containers' awslogs output goes; none until the local cloud's logs are attached. */
    volatile ContainerOutput output;

    Simulation(String region, String accountId, Clock clock, WorkloadTiming timing, LocalEcr ecr) {
        this.region = region;
        this.accountId = accountId;
        this.clock = clock;
        this.timing = timing;
        this.ecr = ecr;
        this.events = new EcsEvents(region, accountId);
    }

    String arn(String resource) {
        return "arn:aws:ecs:" + region + ":" + accountId + ":" + resource;
    }

    void emit(ObjectNode event) {
        outbox.add(event);
    }

    /**
     * The image a container names, as ECR resolves it; empty when it is unknown to the local ECR,
     * which ECS reports as a pull failure.
     */
    Optional<EcrImage> pull(String image) {
        return ecr.resolve(image);
    }

    /** ECS's CannotPullContainerError text when the image cannot be pulled, otherwise null. */
    String pullFailure(String image) {
        Optional<EcrImage> found = pull(image);
        if (found.isEmpty()) {
            return "CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref "
                    + image + ": not found";
        }
        if (found.get().behaviour() instanceof ImageBehaviour.PullFailure) {
            return "CannotPullContainerError: pull access denied for " + image
                    + ", repository does not exist or may require authorization";
        }
        return null;
    }

    String alarmState(String name) {
        return alarmStates.apply(name);
    }

    /** A task id as ECS prints it: 32 lowercase hex digits. */
    static String newTaskId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
