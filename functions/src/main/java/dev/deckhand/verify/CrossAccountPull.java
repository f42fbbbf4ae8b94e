package dev.deckhand.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an ECR repository policy lets another account pull: ECS in that account needs
 * {@code ecr:BatchGetImage} and {@code ecr:GetDownloadUrlForLayer} on the repository, granted to the
 * account (its root ARN or its id) or to a principal of it, by an Allow statement no Deny statement
 * undoes. Conditions are not evaluated: a conditional Allow counts, a conditional Deny does not.
 */
public final class CrossAccountPull {

    /** The actions a pull from another account needs (ECR user guide, repository policy examples). */
    public static final List<String> ACTIONS = List.of("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer");

    private static final ObjectMapper JSON = new ObjectMapper();

    private CrossAccountPull() {
    }

    /** The pull actions {@code policyText} does not grant {@code account}; empty when it may pull. */
    public static List<String> missing(String policyText, String account) {
        JsonNode policy;
        try {
            policy = JSON.readTree(policyText);
        } catch (JsonProcessingException e) {
            return ACTIONS;
        }
        JsonNode statements = policy.path("Statement");
        List<JsonNode> all = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(all::add);
        } else if (statements.isObject()) {
            all.add(statements);
        }
        List<String> missing = new ArrayList<>();
        for (String action : ACTIONS) {
            boolean allowed = all.stream().anyMatch(statement -> "Allow".equals(statement.path("Effect").asText())
                    && names(statement, account) && grants(statement, action));
            boolean denied = all.stream().anyMatch(statement -> "Deny".equals(statement.path("Effect").asText())
                    && !statement.has("Condition") && names(statement, account) && grants(statement, action));
            if (!allowed || denied) {
                missing.add(action);
            }
        }
        return missing;
    }

    /** The statement that grants the pull, for the fix line. */
    public static String statement(String account) {
        return "{\"Sid\":\"DeckhandPull" + account + "\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + account + ":root\"},\"Action\":[\"" + String.join("\",\"", ACTIONS) + "\"]}";
    }

    private static boolean names(JsonNode statement, String account) {
        JsonNode principal = statement.path("Principal");
        if (principal.isTextual()) {
            return principal.asText().equals("*");
        }
        for (String each : values(principal.path("AWS"))) {
            if (each.equals("*") || each.equals(account) || each.matches("arn:[a-z-]+:(iam|sts)::" + account + ":.+")) {
                return true;
            }
        }
        return false;
    }

    private static boolean grants(JsonNode statement, String action) {
        return values(statement.path("Action")).stream().anyMatch(pattern -> matches(pattern, action));
    }

    /** IAM action patterns are case-insensitive, with {@code *} and {@code ?} wildcards. */
    private static boolean matches(String pattern, String action) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toLowerCase().toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return action.toLowerCase().matches(regex.toString());
    }

    private static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(each -> values.add(each.asText()));
        }
        return values;
    }
}
