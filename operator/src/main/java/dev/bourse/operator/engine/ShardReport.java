package dev.bourse.operator.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One shard as the operator saw it in this reconcile: the pod and its {@code /status}, or why there is none.
 *
 * @param status  null when the pod could not be asked
 * @param problem why {@code status} is null
 */
public record ShardReport(EnginePod pod, EngineStatus status, String problem) {
    public int shard() {
        return pod.shard();
    }

    public Optional<EngineStatus> statusIfKnown() {
        return Optional.ofNullable(status);
    }

    /** Asks every pod that exists for its status (one after another: a handful of shards, cheap calls). */
    public static List<ShardReport> readAll(List<EnginePod> pods, EngineClient client) {
        List<ShardReport> out = new ArrayList<>(pods.size());
        for (EnginePod p : pods) {
            if (!p.exists()) {
                out.add(new ShardReport(p, null, "pod " + p.name() + " does not exist"));
                continue;
            }
            try {
                out.add(new ShardReport(p, client.status(p), null));
            } catch (EngineException e) {
                out.add(new ShardReport(p, null, e.getMessage()));
            }
        }
        return out;
    }

    /** The shard that has {@code instId} loaded, if any pod reports it. */
    public static Optional<ShardReport> ownerOf(List<ShardReport> reports, String instId) {
        return reports.stream().filter(r -> r.status() != null && r.status().hasLoaded(instId)).findFirst();
    }
}
