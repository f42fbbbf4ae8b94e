package dev.deckhand.local.sts;

import dev.deckhand.local.aws.AwsErrorException;
import dev.deckhand.local.aws.QueryProtocolService;
import dev.deckhand.local.iam.IamEnforcement;
import dev.deckhand.local.iam.PolicyDocument;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The local STS: {@code AssumeRole} of the deployment roles of other local accounts. As STS API
 * Reference, "AssumeRole", describes it: the role's trust policy must name the caller
 * (here: the caller's role ARN, the only principal form Deckhand's deployment roles trust), or
 * the answer is HTTP 403 {@code AccessDenied}; the answer's {@code Credentials} carry a new key,
 * secret, session token and Expiration (DurationSeconds, 900 up to the role's maximum, 3600 by
 * default). The new key acts in the role's account ({@link #keyAccounts}) under the role's policy
 * (registered with the local IAM), so the assumed credentials are authorized against the target
 * role's policy.
 */
public final class LocalSts implements QueryProtocolService {

    /** A role of another account: whom it trusts (role ARNs) and what its policy allows. */
    public record Role(String arn, List<String> trustedPrincipals, PolicyDocument policy) {

        public Role {
            trustedPrincipals = List.copyOf(trustedPrincipals);
        }

        String account() {
            return arn.split(":")[4];
        }

        String name() {
            return arn.substring(arn.indexOf(":role/") + ":role/".length());
        }
    }

    // AssumeRole: RoleSessionName 2-64 of [\w+=,.@-]; DurationSeconds from 900 s (the role maximum defaults to 1 h).
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final int MIN_SECONDS = 900;
    private static final int MAX_SECONDS = 3600;

    private final String homeAccount;
    private final Clock clock;
    private final BiConsumer<String, String> keyAccounts;
    private final Map<String, Role> roles = new ConcurrentHashMap<>();
    private final Map<String, String> principals = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile IamEnforcement iam;

    /**
     * @param keyAccounts told the account of every key it issues (the gateway routes that key's
     *     requests to that account's services)
     */
    public LocalSts(String homeAccount, Clock clock, BiConsumer<String, String> keyAccounts) {
        this.homeAccount = homeAccount;
        this.clock = clock;
        this.keyAccounts = keyAccounts;
    }

    @Override
    public String signingName() {
        return "sts";
    }

    @Override
    public String xmlNamespace() {
        return "https://sts.amazonaws.com/doc/2011-06-15/";
    }

    /** STS names an IAM refusal AccessDenied (HTTP 403). */
    @Override
    public String accessDeniedCode() {
        return "AccessDenied";
    }

    public void createRole(Role role) {
        roles.put(role.arn(), role);
    }

    /** The principal (a role ARN) that signs with {@code accessKeyId}, as IAM knows a Lambda's role by its credentials. */
    public void principal(String accessKeyId, String principalArn) {
        principals.put(accessKeyId, principalArn);
    }

    /** Where the issued keys' policies are enforced; {@code null} when the local IAM is off. */
    public void enforce(IamEnforcement enforcement) {
        this.iam = enforcement;
    }

    @Override
    public String handle(String action, Map<String, String> parameters) {
        return handle(action, parameters, null);
    }

    @Override
    public String handle(String action, Map<String, String> parameters, String accessKeyId) {
        if (!action.equals("AssumeRole")) {
            throw new AwsErrorException(400, "InvalidAction", "The local STS answers AssumeRole only, not " + action);
        }
        String roleArn = required(parameters, "RoleArn");
        String sessionName = required(parameters, "RoleSessionName");
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw new AwsErrorException(400, "ValidationError", "1 validation error detected: Value '" + sessionName
                    + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression "
                    + "pattern: [\\w+=,.@-]* and have length between 2 and 64");
        }
        int seconds = parameters.containsKey("DurationSeconds") ? Integer.parseInt(parameters.get("DurationSeconds"))
                : MAX_SECONDS;
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw new AwsErrorException(400, "ValidationError", "The requested DurationSeconds " + seconds
                    + " is outside 900 to the role's maximum session duration of 3600 seconds");
        }
        String caller = accessKeyId == null ? null : principals.get(accessKeyId);
        Role role = roles.get(roleArn);
        if (role == null || caller == null || !role.trustedPrincipals().contains(caller)) {
            throw new AwsErrorException(403, "AccessDenied", "User: " + (caller == null
                    ? "arn:aws:iam::" + homeAccount + ":user/" + accessKeyId : caller)
                    + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
        }
        String key = "ASIA" + HexFormat.of().formatHex(bytes(8)).toUpperCase(Locale.ROOT);
        keyAccounts.accept(key, role.account());
        principals.put(key, "arn:aws:sts::" + role.account() + ":assumed-role/" + role.name() + "/" + sessionName);
        IamEnforcement enforcement = iam;
        if (enforcement != null) {
            enforcement.register(new IamEnforcement.Identity(key, sessionName, role.name(), role.policy(), role.account()));
        }
        return "<Credentials><AccessKeyId>" + key + "</AccessKeyId>"
                + "<SecretAccessKey>" + HexFormat.of().formatHex(bytes(20)) + "</SecretAccessKey>"
                + "<SessionToken>" + HexFormat.of().formatHex(bytes(32)) + "</SessionToken>"
                + "<Expiration>" + clock.instant().plus(Duration.ofSeconds(seconds)) + "</Expiration></Credentials>"
                + "<AssumedRoleUser><Arn>arn:aws:sts::" + role.account() + ":assumed-role/" + role.name() + "/"
                + sessionName + "</Arn><AssumedRoleId>AROA" + key.substring(4) + ":" + sessionName
                + "</AssumedRoleId></AssumedRoleUser>";
    }

    private byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String required(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null || value.isEmpty()) {
            throw new AwsErrorException(400, "MissingParameter", "The request must contain the parameter " + name);
        }
        return value;
    }
}
