package dev.deckhand.statemachine;

/**
 * The service integration pattern a Resource ARN asks for
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html).
 */
record IntegrationPattern(String baseResource, Kind kind) {

    enum Kind { REQUEST_RESPONSE, SYNC, WAIT_FOR_TASK_TOKEN }

    static IntegrationPattern of(String resource) {
        if (resource.endsWith(".waitForTaskToken")) {
            return new IntegrationPattern(resource.substring(0, resource.length() - ".waitForTaskToken".length()),
                    Kind.WAIT_FOR_TASK_TOKEN);
        }
        int sync = resource.lastIndexOf(".sync");
        if (sync > 0 && (resource.endsWith(".sync") || resource.substring(sync).matches("\\.sync:\\d+"))) {
            return new IntegrationPattern(resource.substring(0, sync), Kind.SYNC);
        }
        return new IntegrationPattern(resource, Kind.REQUEST_RESPONSE);
    }

    /** History's resourceType/resource split: "arn:aws:states:::lambda:invoke" is lambda / invoke. */
    static String[] typeAndName(String resource) {
        String prefix = "arn:aws:states:::";
        if (resource.startsWith(prefix)) {
            String rest = resource.substring(prefix.length());
            int colon = rest.indexOf(':');
            if (colon > 0) {
                return new String[] {rest.substring(0, colon), rest.substring(colon + 1)};
            }
        }
        if (resource.startsWith("arn:aws:lambda:")) {
            return new String[] {"lambda", resource};
        }
        return new String[] {"activity", resource};
    }
}
