package dev.bourse.operator;

import dev.bourse.operator.engine.EngineClient;
import dev.bourse.operator.engine.EnginePods;
import dev.bourse.operator.events.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the reconcilers share: the settings, the Kubernetes client, the engines' internal API, how to find the
 * engine pods, Events and the metrics registry. {@link BourseOperator} builds one and hands it to every reconciler.
 */
public record OperatorServices(OperatorConfig config, KubernetesClient client, EngineClient engines, EnginePods pods,
                               EventRecorder events, MeterRegistry meters) {
}
