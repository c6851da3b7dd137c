package dev.bourse.operator.engine;

import dev.bourse.operator.roller.ShardProbe;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.util.List;

/** The roller's view of the engines, answered by each pod's {@code /internal/v1/status}. */
public final class EngineShardProbe implements ShardProbe {
    private final EnginePods pods;
    private final EngineClient engines;

    public EngineShardProbe(EnginePods pods, EngineClient engines) {
        this.pods = pods;
        this.engines = engines;
    }

    @Override
    public List<String> symbols(StatefulSet engine, int shard) throws Unavailable {
        return status(find(engine.getMetadata().getNamespace(), engine.getMetadata().getName() + "-" + shard)).symbols();
    }

    @Override
    public boolean recovered(Pod pod) throws Unavailable {
        EngineStatus s = status(find(pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
        return s.recovered() && s.ready();
    }

    private EnginePod find(String namespace, String podName) throws Unavailable {
        try {
            for (EnginePod p : pods.pods(namespace)) {
                if (p.name().equals(podName)) {
                    return p;
                }
            }
        } catch (RuntimeException e) {
            throw new Unavailable("cannot list the engine pods: " + e.getMessage(), e);
        }
        throw new Unavailable("pod " + podName + " is not one of the engine StatefulSet's pods");
    }

    private EngineStatus status(EnginePod pod) throws Unavailable {
        try {
            return engines.status(pod);
        } catch (RuntimeException e) {
            throw new Unavailable("engine " + pod.name() + " did not answer its status: " + e.getMessage(), e);
        }
    }
}
