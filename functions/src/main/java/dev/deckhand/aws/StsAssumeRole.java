package dev.deckhand.aws;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.w3c.dom.Document;

/**
 * STS {@code AssumeRole} as one signed AWS Query call (form-encoded POST, XML answer), so the
 * Lambda jar does not carry the SDK's sts module for one operation. Shapes from the STS API
 * Reference, "AssumeRole": parameters {@code RoleArn}, {@code RoleSessionName},
 * {@code DurationSeconds} (900 s up to the role's maximum, 3600 by default), answer
 * {@code AssumeRoleResponse/AssumeRoleResult/Credentials} with {@code AccessKeyId},
 * {@code SecretAccessKey}, {@code SessionToken}, {@code Expiration}; errors in the Query
 * protocol's {@code ErrorResponse/Error/Code, Message}.
 */
public final class StsAssumeRole implements AssumedRoles.Sts {

    static final String VERSION = "2011-06-15";

    private final AwsQueryClient sts;

    StsAssumeRole(AwsQueryClient sts) {
        this.sts = sts;
    }

    @Override
    public AssumedRoles.TemporaryCredentials assumeRole(String roleArn, String sessionName, int durationSeconds) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("RoleArn", roleArn);
        parameters.put("RoleSessionName", sessionName);
        parameters.put("DurationSeconds", String.valueOf(durationSeconds));
        Document answer = sts.call("AssumeRole", parameters, true);
        return new AssumedRoles.TemporaryCredentials(AwsQueryClient.text(answer, "AccessKeyId"),
                AwsQueryClient.text(answer, "SecretAccessKey"), AwsQueryClient.text(answer, "SessionToken"),
                Instant.parse(AwsQueryClient.text(answer, "Expiration")));
    }
}
