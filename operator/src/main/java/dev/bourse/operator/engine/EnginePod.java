package dev.bourse.operator.engine;

import java.net.URI;

/**
 * One engine pod of the StatefulSet: ordinal = shard.
 *
 * @param exists  the Pod object exists (a deleted pod is recreated by the StatefulSet controller)
 * @param ready   its Ready condition is True (the engine's /health/ready answered)
 * @param address where its HTTP port answers
 */
public record EnginePod(int shard, String name, boolean exists, boolean ready, URI address) {
    @Override
    public String toString() {
        return name + "(shard " + shard + ")";
    }
}
