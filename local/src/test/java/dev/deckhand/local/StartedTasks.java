package dev.deckhand.local;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Tasks of a cluster that {@code startedBy} started, as tests look for them. API_ListTasks:
 * startedBy "must be the only filter that you use", so a desired status cannot go with it; list by
 * desired status and keep the starter from DescribeTasks, as Deckhand's own adapters do.
 */
public final class StartedTasks {

    private StartedTasks() {
    }

    public static List<Task> of(EcsClient ecs, String cluster, String startedBy, DesiredStatus status) {
        List<String> arns = ecs.listTasksPaginator(request -> request.cluster(cluster).desiredStatus(status))
                .taskArns().stream().toList();
        List<Task> started = new ArrayList<>();
        // DescribeTasks takes at most 100 tasks per call.
        for (int from = 0; from < arns.size(); from += 100) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
            ecs.describeTasks(request -> request.cluster(cluster).tasks(batch)).tasks().stream()
                    .filter(task -> startedBy.equals(task.startedBy()))
                    .forEach(started::add);
        }
        return started;
    }
}
