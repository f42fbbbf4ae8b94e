package dev.deckhand.infra;

import dev.deckhand.catalogue.Access;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awscdk.Duration;

/**
 * One Lambda handler of the functions jar, as the stack deploys it.
 *
 * @param name PascalCase name; the construct id and the definition substitution
 *     {@code ${<name>FunctionArn}} derive from it
 * @param handler {@code class::method} in the functions jar (CDK never loads the class)
 * @param memoryMb memory, which also buys CPU (Lambda allocates CPU in proportion to memory)
 * @param timeout the longest one invocation may run
 * @param reservedConcurrency caps concurrent invocations, or {@code null} for none; set it on
 *     functions that call ECS, so a burst of pushes cannot throttle the ECS API for everyone
 * @param access what the function may touch
 */
public record FunctionSpec(
        String name, String handler, int memoryMb, Duration timeout, Integer reservedConcurrency,
        Set<Access> access, String description) {

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Za-z0-9]{0,40}");

    public FunctionSpec {
        Objects.requireNonNull(handler, "handler");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("function name '" + name + "' must be PascalCase letters and digits");
        }
        access = access.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(access));
    }

    /** The definition substitution that names this function's published alias ARN. */
    public String substitution() {
        return name + "FunctionArn";
    }
}
