package dev.bourse.operator.roller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bourse_operator_rollout_blocked} (1 while a rollout waits for a person),
 * {@code bourse_operator_rollout_pods_rolled_total} and {@code bourse_operator_rollout_step_seconds{step}};
 * all tagged with the StatefulSet's {@code namespace} and {@code statefulset}.
 */
public final class RolloutMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> blocked = new ConcurrentHashMap<>();

    public RolloutMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void blocked(String namespace, String statefulSet, boolean isBlocked) {
        blocked.computeIfAbsent(namespace + "/" + statefulSet, k -> {
            AtomicInteger v = new AtomicInteger();
            Gauge.builder("bourse.operator.rollout.blocked", v, AtomicInteger::get)
                    .description("1 while the engine rollout is stopped and waits for a person")
                    .tags("namespace", namespace, "statefulset", statefulSet)
                    .register(registry);
            return v;
        }).set(isBlocked ? 1 : 0);
    }

    void podRolled(String namespace, String statefulSet) {
        Counter.builder("bourse.operator.rollout.pods.rolled")
                .description("Engine pods rolled to a new revision (drained, restarted, reconciled, resumed)")
                .tags("namespace", namespace, "statefulset", statefulSet)
                .register(registry)
                .increment();
    }

    void step(String namespace, String statefulSet, RolloutPhase step, Duration took) {
        Timer.builder("bourse.operator.rollout.step")
                .description("Time one rollout step took, from its start to the next step")
                .tags("namespace", namespace, "statefulset", statefulSet, "step", step.name())
                .register(registry)
                .record(took.isNegative() ? Duration.ZERO : took);
    }
}
