package dev.deckhand.plan;

import java.util.List;

/**
 * The revision a deployment would register, beside the one the service runs, each rendered as
 * the lines of its registration request (so the diff shows exactly what Deckhand would change).
 *
 * @param liveRevision the ARN of the service's PRIMARY revision
 * @param container the container whose image would change
 */
public record RevisionPreview(String liveRevision, String container, List<String> live, List<String> planned) {

    public RevisionPreview {
        live = List.copyOf(live);
        planned = List.copyOf(planned);
    }
}
