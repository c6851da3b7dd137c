package dev.bourse.operator.assembly;

import dev.bourse.operator.model.LedgerReconciliation;
import dev.bourse.operator.reconciliation.ReconcileJob;
import dev.bourse.operator.reconciliation.ReconciliationMetrics;
import dev.bourse.operator.reconciliation.ReconciliationSettings;
import dev.bourse.operator.reconciliation.RunController;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.List;

/**
 * Runs {@code LedgerReconciliation}s as Jobs ({@link RunController}); the Jobs' informer wakes a run when its Job
 * starts or finishes. The operator writes the status itself (with optimistic locking), so JOSDK never patches the
 * run.
 */
@ControllerConfiguration(name = "ledger-reconciliation")
public class LedgerReconciliationReconciler implements Reconciler<LedgerReconciliation> {
    private final RunController runs;

    public LedgerReconciliationReconciler(ReconciliationSettings settings, MeterRegistry registry) {
        this(settings, registry, Clock.systemUTC());
    }

    public LedgerReconciliationReconciler(ReconciliationSettings settings, MeterRegistry registry, Clock clock) {
        this.runs = new RunController(settings, new ReconciliationMetrics(registry), clock);
    }

    @Override
    public List<EventSource<?, LedgerReconciliation>> prepareEventSources(EventSourceContext<LedgerReconciliation> ctx) {
        var jobs = InformerEventSourceConfiguration.from(Job.class, LedgerReconciliation.class)
                .withName("reconciliation-jobs")
                .withLabelSelector(ReconcileJob.COMPONENT_SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.<Job>fromOwnerReferences(LedgerReconciliation.class))
                .build();
        return List.of(new InformerEventSource<>(jobs, ctx));
    }

    @Override
    public UpdateControl<LedgerReconciliation> reconcile(LedgerReconciliation run, Context<LedgerReconciliation> ctx) {
        UpdateControl<LedgerReconciliation> control = UpdateControl.noUpdate();
        return runs.reconcile(ctx.getClient(), run).map(control::rescheduleAfter).orElse(control);
    }
}
