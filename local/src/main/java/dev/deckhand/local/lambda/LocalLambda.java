package dev.deckhand.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.local.iam.Authorization;
import dev.deckhand.local.iam.PolicyDocument;
import dev.deckhand.local.iam.PolicyEvaluator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The local Lambda functions that AWS services invoke on a caller's behalf (ECS lifecycle hooks),
 * and the roles they invoke them as. An invocation is authorized as AWS authorizes it: the service
 * assumes the role, so the role's trust policy must name the service principal, and the role's
 * policy must allow {@code lambda:InvokeFunction} on the function's ARN (Service Authorization
 * Reference, list_awslambda: InvokeFunction on resource type {@code function}). Functions run
 * in-process, JSON in, JSON out. Thread-safe.
 */
public final class LocalLambda {

    /** A role: the service principals its trust policy admits and its identity policy. */
    public record Role(String arn, List<String> trustedServices, PolicyDocument policy) {
        public Role {
            Objects.requireNonNull(arn, "arn");
            trustedServices = List.copyOf(trustedServices);
            Objects.requireNonNull(policy, "policy");
        }
    }

    /** Why an invocation did not return an answer, as Lambda's Invoke reports it (error code, message). */
    public static final class InvocationException extends RuntimeException {
        private final String errorCode;

        public InvocationException(String errorCode, String message) {
            super(message);
            this.errorCode = errorCode;
        }

        /** e.g. {@code AccessDeniedException}, {@code ResourceNotFoundException}, or the function's error type. */
        public String errorCode() {
            return errorCode;
        }
    }

    private final Map<String, UnaryOperator<JsonNode>> functions = new ConcurrentHashMap<>();
    private final Map<String, Role> roles = new ConcurrentHashMap<>();

    /** Registers (or replaces) the function {@code functionArn}; {@code handler} gets the payload and returns the answer. */
    public void function(String functionArn, UnaryOperator<JsonNode> handler) {
        functions.put(Objects.requireNonNull(functionArn, "functionArn"), Objects.requireNonNull(handler, "handler"));
    }

    /** Registers (or replaces) a role. */
    public void role(Role role) {
        roles.put(role.arn(), role);
    }

    /** Shorthand for {@link #role(Role)}. */
    public void role(String roleArn, List<String> trustedServices, PolicyDocument policy) {
        role(new Role(roleArn, trustedServices, policy));
    }

    /**
     * Invokes {@code functionArn} as {@code servicePrincipal} (e.g. {@code ecs.amazonaws.com})
     * assuming {@code roleArn}.
     *
     * @throws InvocationException AccessDeniedException when the role does not exist, does not
     *     trust the service or does not allow lambda:InvokeFunction on the function;
     *     ResourceNotFoundException when there is no such function; the exception's class name
     *     (as the Lambda runtime reports it) when the function throws
     */
    public JsonNode invoke(String servicePrincipal, String roleArn, String functionArn, JsonNode payload) {
        Role role = roleArn == null ? null : roles.get(roleArn);
        if (role == null || !role.trustedServices().contains(servicePrincipal)) {
            throw new InvocationException("AccessDeniedException", servicePrincipal + " could not assume role "
                    + roleArn + ": it does not exist or its trust policy does not allow " + servicePrincipal);
        }
        if (PolicyEvaluator.decide(role.policy(), Authorization.of("lambda:InvokeFunction", functionArn))
                != PolicyEvaluator.Decision.ALLOWED) {
            throw new InvocationException("AccessDeniedException", "User: " + roleArn
                    + " is not authorized to perform: lambda:InvokeFunction on resource: " + functionArn);
        }
        UnaryOperator<JsonNode> handler = functions.get(functionArn);
        if (handler == null) {
            throw new InvocationException("ResourceNotFoundException", "Function not found: " + functionArn);
        }
        try {
            return handler.apply(payload.deepCopy());
        } catch (RuntimeException e) {
            throw new InvocationException(e.getClass().getName(), String.valueOf(e.getMessage()));
        }
    }
}
