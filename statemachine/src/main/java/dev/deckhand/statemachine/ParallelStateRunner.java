package dev.deckhand.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deckhand.statemachine.clock.EngineClock;
import java.util.List;

/**
 * Runs one Parallel state: every branch at once, each on the same input with its own variable scope,
 * and the branches' outputs as an array in branch order
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html). The first failing
 * branch stops the others and fails the state.
 */
final class ParallelStateRunner {

    private final Interpreter interpreter;
    private final EngineClock clock;
    private final Execution execution;

    ParallelStateRunner(Interpreter interpreter, EngineClock clock, Execution execution) {
        this.interpreter = interpreter;
        this.clock = clock;
        this.execution = execution;
    }

    JsonNode run(StateKind.Parallel parallel, JsonNode branchInput, Variables variables, Execution.Lane lane) {
        interpreter.record(lane, "ParallelStateStarted", null, null);
        List<StateGraph> branches = parallel.branches();
        try {
            List<JsonNode> results = ChildRuns.run(clock, execution, branches.size(), branches.size(), index -> {
                Execution.Lane branchLane = lane.fork();
                StateGraph branch = branches.get(index);
                return interpreter.runGraph(branch, branch.startAt(), branchInput, variables.child(), branchLane, false);
            });
            interpreter.record(lane, "ParallelStateSucceeded", null, null);
            ArrayNode array = Json.MAPPER.createArrayNode();
            results.forEach(array::add);
            return array;
        } catch (StatesError e) {
            ObjectNode failed = Json.MAPPER.createObjectNode();
            failed.put("error", e.error());
            failed.put("cause", e.cause());
            interpreter.record(lane, "ParallelStateFailed", "parallelStateFailedEventDetails", failed);
            throw e;
        }
    }
}
