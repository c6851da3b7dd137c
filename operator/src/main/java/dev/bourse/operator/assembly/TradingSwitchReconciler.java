package dev.bourse.operator.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.operator.OperatorServices;
import dev.bourse.operator.engine.EngineException;
import dev.bourse.operator.engine.EnginePod;
import dev.bourse.operator.engine.EnginePods;
import dev.bourse.operator.engine.EngineRefusedException;
import dev.bourse.operator.engine.ShardReport;
import dev.bourse.operator.model.Conditions;
import dev.bourse.operator.model.TradingSwitch;
import dev.bourse.operator.model.TradingSwitchStatus;
import dev.bourse.operator.switches.EngineSwitch;
import dev.bourse.operator.switches.SwitchProgress;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Pushes a TradingSwitch to the engines' switch board (the engine switch is named like the resource and carries its
 * generation) and reads back every pod's {@code /status}: {@code Applied} is True when every shard enforces it,
 * {@code Drained} (only for {@code drain: true}) when every affected shard has applied it, has an empty queue and
 * writes no batch. Both conditions carry the generation they were computed for, so {@code kubectl wait
 * --for=condition=Drained} cannot pass on the status of an older spec. Deleting the resource deletes the engine
 * switch (finalizer): the explicit resume.
 */
@ControllerConfiguration(name = TradingSwitchReconciler.NAME)
public final class TradingSwitchReconciler implements Reconciler<TradingSwitch>, Cleaner<TradingSwitch> {
    public static final String NAME = "tradingswitch";
    static final Duration DRAIN_POLL = Duration.ofSeconds(1);
    static final Duration PENDING_POLL = Duration.ofSeconds(2);
    static final Duration RETRY = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(TradingSwitchReconciler.class.getName());

    private final OperatorServices services;

    public TradingSwitchReconciler(OperatorServices services) {
        this.services = services;
    }

    @Override
    public UpdateControl<TradingSwitch> reconcile(TradingSwitch sw, Context<TradingSwitch> context) {
        long generation = sw.getMetadata().getGeneration() == null ? 0 : sw.getMetadata().getGeneration();
        String ns = sw.getMetadata().getNamespace();
        String name = sw.getMetadata().getName();
        boolean drain = Boolean.TRUE.equals(sw.getSpec().drain);
        TradingSwitchStatus before = sw.getStatus() == null ? new TradingSwitchStatus()
                : StatusSupport.copy(sw.getStatus(), TradingSwitchStatus.class);
        TradingSwitchStatus status = StatusSupport.copy(before, TradingSwitchStatus.class);
        Duration next = null;

        List<EnginePod> pods;
        long version;
        try {
            pods = services.pods().pods(ns);
            version = push(pods, name, EngineSwitch.body(sw.getSpec(), generation), generation);
        } catch (EnginePods.NoEnginesException e) {
            return finish(sw, before, notApplied(status, "NoEngines", e.getMessage(), generation, drain),
                    services.config().reconcileInterval());
        } catch (EngineRefusedException e) {
            return finish(sw, before, notApplied(status, "EngineRefused", e.engineMessage() + " (code " + e.code() + ")",
                    generation, drain), services.config().reconcileInterval());
        } catch (EngineException e) {
            return finish(sw, before, notApplied(status, "EnginesUnavailable", e.getMessage(), generation, drain), RETRY);
        }

        SwitchProgress progress = SwitchProgress.of(sw.getSpec(), version, ShardReport.readAll(pods, services.engines()));
        status.shards = new ArrayList<>(progress.shards());
        status.boardVersion = version;
        if (progress.applied()) {
            status.observedGeneration = generation;
            status.conditions = Conditions.set(status.conditions, TradingSwitch.APPLIED, Conditions.TRUE, "Applied",
                    "enforced by all " + progress.shards().size() + " shards since switch-board version " + version,
                    generation);
        } else {
            String why = "waiting for shards " + progress.unconfirmed() + " to enforce switch-board version " + version
                    + (progress.problems().isEmpty() ? "" : ": " + String.join("; ", progress.problems()));
            status.conditions = Conditions.set(status.conditions, TradingSwitch.APPLIED, Conditions.FALSE, "Pending", why,
                    generation);
            next = PENDING_POLL;
        }
        if (drain) {
            if (progress.applied() && progress.drained()) {
                status.conditions = Conditions.set(status.conditions, TradingSwitch.DRAINED, Conditions.TRUE, "Drained",
                        progress.affected().isEmpty() ? "no shard runs the switch's symbols"
                                : "shards " + progress.affected() + " enforce the switch, have empty queues and no batch "
                                + "in flight", generation);
            } else {
                status.conditions = Conditions.set(status.conditions, TradingSwitch.DRAINED, Conditions.FALSE, "Draining",
                        progress.describeUndrained(), generation);
                next = DRAIN_POLL;
            }
        } else {
            status.conditions = StatusSupport.remove(status.conditions, TradingSwitch.DRAINED);
        }
        return finish(sw, before, status, next);
    }

    /** Applied False (and Drained False for a drain switch) for this generation: never a stale True. */
    private static TradingSwitchStatus notApplied(TradingSwitchStatus status, String reason, String message,
                                                  long generation, boolean drain) {
        status.conditions = Conditions.set(status.conditions, TradingSwitch.APPLIED, Conditions.FALSE, reason, message,
                generation);
        if (drain) {
            status.conditions = Conditions.set(status.conditions, TradingSwitch.DRAINED, Conditions.FALSE, reason, message,
                    generation);
        } else {
            status.conditions = StatusSupport.remove(status.conditions, TradingSwitch.DRAINED);
        }
        return status;
    }

    private UpdateControl<TradingSwitch> finish(TradingSwitch sw, TradingSwitchStatus before, TradingSwitchStatus after,
                                                Duration next) {
        if (StatusSupport.becameTrue(before.conditions, after.conditions, TradingSwitch.APPLIED)) {
            services.events().normal(sw, "Applied", Conditions.find(after.conditions, TradingSwitch.APPLIED)
                    .orElseThrow().getMessage());
        }
        if (StatusSupport.becameTrue(before.conditions, after.conditions, TradingSwitch.DRAINED)) {
            services.events().normal(sw, "Drained", Conditions.find(after.conditions, TradingSwitch.DRAINED)
                    .orElseThrow().getMessage());
        }
        if (StatusSupport.newReason(before.conditions, after.conditions, TradingSwitch.APPLIED, "EngineRefused")) {
            services.events().warning(sw, "EngineRefused", Conditions.find(after.conditions, TradingSwitch.APPLIED)
                    .orElseThrow().getMessage());
        }
        UpdateControl<TradingSwitch> control;
        if (StatusSupport.same(before, after)) {
            control = UpdateControl.noUpdate();
        } else {
            sw.setStatus(after);
            control = UpdateControl.patchStatus(sw);
        }
        return next == null ? control : control.rescheduleAfter(next);
    }

    /**
     * Makes the engines hold this generation of the switch; returns the switch's board version. The board is shared
     * (one database), so one pod that answers is enough; the first one that cannot be reached is skipped.
     */
    private long push(List<EnginePod> pods, String name, ObjectNode body, long generation) {
        EngineException last = null;
        List<String> failures = new ArrayList<>();
        for (EnginePod pod : preferReady(pods)) {
            try {
                Optional<JsonNode> have = services.engines().getSwitch(pod, name);
                if (have.isPresent() && have.get().path("generation").asLong(-1) == generation) {
                    return have.get().path("version").asLong();
                }
                JsonNode put = services.engines().putSwitch(pod, name, body);
                LOG.info(() -> "switch " + name + " generation " + generation + " pushed through " + pod + ": " + put);
                return put.path("version").asLong(put.path("boardVersion").asLong());
            } catch (EngineRefusedException e) {
                throw e;
            } catch (EngineException e) {
                last = e;
                failures.add(e.getMessage());
            }
        }
        throw last != null ? new EngineException(last.pod(), failures.size() == 1 ? failures.get(0) : "no engine pod answered: " + String.join("; ", failures), last) : new EngineException(null, "no engine pod exists to take the switch", null);
    }

    static List<EnginePod> preferReady(List<EnginePod> pods) {
        return pods.stream().filter(EnginePod::exists)
                .sorted(Comparator.comparing((EnginePod p) -> !p.ready()).thenComparingInt(EnginePod::shard))
                .toList();
    }

    /** Deletes the engine switch; the finalizer goes once the switch is off the board (the shared database). */
    @Override
    public DeleteControl cleanup(TradingSwitch sw, Context<TradingSwitch> context) {
        String ns = sw.getMetadata().getNamespace();
        String name = sw.getMetadata().getName();
        List<EnginePod> pods;
        try {
            pods = services.pods().pods(ns);
        } catch (EnginePods.NoEnginesException e) {
            services.events().warning(sw, "NoEngines", e.getMessage() + "; switch " + name
                    + " could not be deleted from the engines' board and stays in their database");
            return DeleteControl.defaultDelete();
        }
        for (EnginePod pod : preferReady(pods)) {
            try {
                JsonNode d = services.engines().deleteSwitch(pod, name);
                List<Integer> unconfirmed = new ArrayList<>();
                d.path("shards").forEach(s -> {
                    if (!s.path("confirmed").asBoolean()) {
                        unconfirmed.add(s.path("shard").asInt());
                    }
                });
                services.events().normal(sw, "Lifted", "switch " + name + " deleted from the engines' board"
                        + (unconfirmed.isEmpty() ? "; every shard confirmed" : "; shards " + unconfirmed
                        + " will drop it when they next read the board"));
                return DeleteControl.defaultDelete();
            } catch (EngineRefusedException e) {
                services.events().warning(sw, "EngineRefused", "deleting switch " + name + ": " + e.engineMessage());
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(services.config().reconcileInterval().toMillis());
            } catch (EngineException e) {
                LOG.warning("deleting switch " + name + " through " + pod + ": " + e.getMessage());
            }
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(RETRY.toMillis());
    }
}
