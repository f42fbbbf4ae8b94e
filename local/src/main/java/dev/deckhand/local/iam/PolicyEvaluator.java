package dev.deckhand.local.iam;

import dev.deckhand.local.iam.PolicyDocument.PolicyStatement;
import java.util.List;
import java.util.Map;

/**
 * The rules of AWS's policy evaluation logic the local cloud relies on, for one identity-based
 * policy (IAM User Guide, reference_policies_evaluation-logic):
 * <ul>
 *   <li>an explicit Deny in any matching statement wins; otherwise an Allow allows; otherwise the
 *       request is denied (default deny);</li>
 *   <li>actions match case-insensitively, resources case-sensitively, both with the wildcards
 *       {@code *} (any run of characters) and {@code ?} (one character);</li>
 *   <li>conditions: every operator and every key of a statement must hold (AND); the values of
 *       one key are alternatives (OR); a key the request does not carry makes its condition false;
 *       {@code StringEquals} compares exactly, {@code StringLike} with wildcards, {@code ArnEquals}
 *       and {@code ArnLike} compare ARNs with wildcards (IAM treats the two alike).</li>
 * </ul>
 */
public final class PolicyEvaluator {

    /** The outcome for one authorization. */
    public enum Decision { ALLOWED, EXPLICITLY_DENIED, IMPLICITLY_DENIED }

    private PolicyEvaluator() {
    }

    public static Decision decide(PolicyDocument policy, Authorization request) {
        boolean allowed = false;
        for (PolicyStatement statement : policy.statements()) {
            if (matches(statement, request)) {
                if (!statement.allow()) {
                    return Decision.EXPLICITLY_DENIED;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOWED : Decision.IMPLICITLY_DENIED;
    }

    private static boolean matches(PolicyStatement statement, Authorization request) {
        return statement.actions().stream().anyMatch(action -> Wildcards.matches(action, request.action(), true))
                && statement.resources().stream().anyMatch(resource -> Wildcards.matches(resource, request.resource(), false))
                && conditionsHold(statement.conditions(), request.context());
    }

    private static boolean conditionsHold(Map<String, Map<String, List<String>>> conditions, Map<String, String> context) {
        for (Map.Entry<String, Map<String, List<String>>> operator : conditions.entrySet()) {
            for (Map.Entry<String, List<String>> key : operator.getValue().entrySet()) {
                String value = valueOf(context, key.getKey());
                if (value == null) {
                    return false;
                }
                boolean any = key.getValue().stream().anyMatch(expected -> switch (operator.getKey()) {
                    case "StringEquals" -> expected.equals(value);
                    case "StringLike", "ArnEquals", "ArnLike" -> Wildcards.matches(expected, value, false);
                    default -> throw new InvalidPolicyException("condition operator " + operator.getKey()
                            + " is not evaluated locally");
                });
                if (!any) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Condition key names are case-insensitive (reference_policies_elements_condition). */
    private static String valueOf(Map<String, String> context, String key) {
        String exact = context.get(key);
        if (exact != null) {
            return exact;
        }
        return context.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(key))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
