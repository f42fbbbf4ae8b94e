package dev.deckhand.cleanup;

import java.util.List;

/** What the cleanup needs from ECS about a task-definition family. Implemented over the SDK in {@code dev.deckhand.aws}. */
public interface TaskDefinitionFamilies {

    /** The ACTIVE revisions of {@code family} that carry Deckhand's deployment tag (ARNs, any order). */
    List<String> registeredByDeckhand(String family);

    /** Marks a revision INACTIVE (DeregisterTaskDefinition). */
    void deregister(String taskDefinitionArn);
}
