package dev.deckhand.local.iam;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deckhand.local.aws.AwsErrorException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local cloud's IAM: each function signs with its own access key id, and its requests are
 * authorized against its policy (the catalogue's rendering, {@code Policies}) by
 * {@link ActionTable} and {@link PolicyEvaluator}. A request signed with any other key acts as
 * the account's administrator, as a user's own AWS CLI does. Denials answer AWS's
 * AccessDeniedException, naming the assumed role, the action and the resource.
 */
public final class IamEnforcement {

    /**
     * A function's identity: the key it signs with and the role whose policy it acts under, in
     * {@code account} ({@code null}: the local cloud's own; another for a role assumed there).
     */
    public record Identity(String accessKeyId, String functionName, String roleName, PolicyDocument policy,
            String account) {

        public Identity(String accessKeyId, String functionName, String roleName, PolicyDocument policy) {
            this(accessKeyId, functionName, roleName, policy, null);
        }
    }

    /** A denied request, for the progress and the summary. */
    public record Denial(String functionName, String action, String resource) {
    }

    private final Map<String, Identity> byAccessKey = new ConcurrentHashMap<>();
    private final ActionTable.Scope scope;
    private final AtomicLong authorized = new AtomicLong();
    private final Map<String, AtomicLong> authorizedByKey = new ConcurrentHashMap<>();
    private final List<Denial> denials = new java.util.concurrent.CopyOnWriteArrayList<>();

    public IamEnforcement(ActionTable.Scope scope) {
        this.scope = scope;
    }

    public void register(Identity identity) {
        byAccessKey.put(identity.accessKeyId(), identity);
    }

    /**
     * Authorizes one request.
     *
     * @param accessKeyId the key of the request's SigV4 credential scope (null when unsigned)
     * @param service the IAM service prefix (the signing name: ecs, dynamodb, sns, ...)
     * @throws AwsErrorException AccessDenied (HTTP {@code deniedStatus}, code {@code deniedCode}) when the policy denies it
     */
    public void authorize(String accessKeyId, String service, String operation, JsonNode request, int deniedStatus,
            String deniedCode) {
        Identity identity = accessKeyId == null ? null : byAccessKey.get(accessKeyId);
        if (identity == null) {
            return; // the account's administrator
        }
        String action = iamPrefix(service) + ":" + operation;
        if (!ActionTable.knows(action)) {
            // Fail closed: a call no row describes cannot be judged, so it is refused.
            throw denied(identity, action, "*", deniedStatus, deniedCode,
                    " (the local cloud has no authorization rule for it: add one to ActionTable)");
        }
        ActionTable.Scope where = identity.account() == null ? scope
                : scope.in(identity.account());
        for (Authorization needed : ActionTable.authorizations(action, request, where)) {
            PolicyEvaluator.Decision decision = PolicyEvaluator.decide(identity.policy(), needed);
            if (decision != PolicyEvaluator.Decision.ALLOWED) {
                throw denied(identity, needed.action(), needed.resource(), deniedStatus, deniedCode,
                        decision == PolicyEvaluator.Decision.EXPLICITLY_DENIED
                                ? " with an explicit deny in an identity-based policy" : "");
            }
        }
        authorized.incrementAndGet();
        authorizedByKey.computeIfAbsent(accessKeyId, key -> new AtomicLong()).incrementAndGet();
    }

    /**
     * The IAM service prefix of a SigV4 signing name: they agree except where a service signs with its
     * endpoint prefix — CloudWatch signs as {@code monitoring}, its actions are {@code cloudwatch:*}
     * (Service Authorization Reference, list_amazoncloudwatch: "service prefix: cloudwatch").
     */
    static String iamPrefix(String signingName) {
        return "monitoring".equals(signingName) ? "cloudwatch" : signingName;
    }

    /** Requests of function identities authorized so far. */
    public long authorized() {
        return authorized.get();
    }

    /** Requests signed with {@code accessKeyId} (one function's) authorized so far. */
    public long authorized(String accessKeyId) {
        AtomicLong count = authorizedByKey.get(accessKeyId);
        return count == null ? 0 : count.get();
    }

    public List<Denial> denials() {
        return List.copyOf(denials);
    }

    private AwsErrorException denied(Identity identity, String action, String resource, int status, String code,
            String why) {
        denials.add(new Denial(identity.functionName(), action, resource));
        String because = why.startsWith(" with an explicit deny") ? why
                : " because no identity-based policy allows the " + action + " action" + why;
        return new AwsErrorException(status, code, "User: arn:aws:sts::"
                + (identity.account() == null ? scope.account() : identity.account()) + ":assumed-role/"
                + identity.roleName() + "/" + identity.functionName() + " is not authorized to perform: " + action
                + " on resource: " + resource + because);
    }
}
