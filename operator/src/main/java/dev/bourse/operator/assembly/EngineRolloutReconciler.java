package dev.bourse.operator.assembly;

import dev.bourse.operator.roller.EngineRoller;
import dev.bourse.operator.roller.RolloutMetrics;
import dev.bourse.operator.roller.RolloutSettings;
import dev.bourse.operator.roller.ShardProbe;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;

/**
 * Safe rollout of the engine StatefulSet ({@link EngineRoller}). The StatefulSet is the primary resource, but the
 * roller never lets JOSDK patch it: it writes only its own annotations, with a merge patch. Not generation-aware:
 * a person clearing a blocked rollout changes an annotation, and the StatefulSet controller reports a new update
 * revision in the status; neither bumps the generation, and both must wake the roller. While a rollout is in
 * progress it polls (pods, switches and runs are read live, so no informers on them are needed).
 */
@ControllerConfiguration(name = "engine-rollout", generationAwareEventProcessing = false)
public class EngineRolloutReconciler implements Reconciler<StatefulSet> {
    private final RolloutSettings settings;
    private final EngineRoller roller;

    public EngineRolloutReconciler(RolloutSettings settings, ShardProbe probe, MeterRegistry registry) {
        this(settings, probe, registry, Clock.systemUTC());
    }

    public EngineRolloutReconciler(RolloutSettings settings, ShardProbe probe, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.roller = new EngineRoller(settings, probe, new RolloutMetrics(registry), clock);
    }

    /** Registers the reconciler for the StatefulSet named by the settings only (other StatefulSets are ignored). */
    public RegisteredController<StatefulSet> registerWith(Operator operator) {
        return registerWith(operator, null);
    }

    /** As {@link #registerWith(Operator)}, watching only {@code namespace} (the operator's own) when not null. */
    public RegisteredController<StatefulSet> registerWith(Operator operator, String namespace) {
        String name = settings.statefulSet();
        return operator.register(this, o -> {
            o.withGenericFilter(sts -> name.equals(sts.getMetadata().getName()));
            if (namespace != null) {
                o.settingNamespaces(java.util.Set.of(namespace));
            }
        });
    }

    @Override
    public UpdateControl<StatefulSet> reconcile(StatefulSet sts, Context<StatefulSet> ctx) {
        UpdateControl<StatefulSet> control = UpdateControl.noUpdate();
        return roller.advance(ctx.getClient(), sts.getMetadata().getNamespace(), sts.getMetadata().getName())
                .map(control::rescheduleAfter).orElse(control);
    }
}
