package dev.deckhand.catalogue;

import java.util.function.Function;

/**
 * Where the policies are rendered: the account, region and partition ARNs are built in, and the
 * ARNs of Deckhand's own resources. The CDK app answers with CloudFormation references, the local
 * cloud with its concrete names; the statements are the same either way.
 */
public interface ResourceNames {

    String partition();

    String region();

    String account();

    /**
     * The ARN of one of Deckhand's own resources (not one rendered from the configuration:
     * {@link Resource#CONFIGURED_ECS}, {@link Resource#CONFIGURED_ECR_REPOSITORIES},
     * {@link Resource#SLACK_WEBHOOK_SECRETS}).
     */
    String arn(Resource resource);

    /** {@code arn:<partition>:<service>:<region>:<account>:<resource>}. */
    default String arn(String service, String resource) {
        return "arn:" + partition() + ":" + service + ":" + region() + ":" + account() + ":" + resource;
    }

    /** Names in one partition, region and account, with {@code own} for Deckhand's own resources. */
    static ResourceNames of(String partition, String region, String account, Function<Resource, String> own) {
        record Fixed(String partition, String region, String account, Function<Resource, String> own)
                implements ResourceNames {
            @Override
            public String arn(Resource resource) {
                return own.apply(resource);
            }
        }
        return new Fixed(partition, region, account, own);
    }
}
