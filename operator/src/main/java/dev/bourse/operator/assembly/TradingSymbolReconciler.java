package dev.bourse.operator.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.operator.OperatorServices;
import dev.bourse.operator.engine.EngineClient;
import dev.bourse.operator.engine.EngineException;
import dev.bourse.operator.engine.EnginePod;
import dev.bourse.operator.engine.EnginePods;
import dev.bourse.operator.engine.EngineRefusedException;
import dev.bourse.operator.engine.EngineStatus;
import dev.bourse.operator.engine.ShardReport;
import dev.bourse.operator.model.Conditions;
import dev.bourse.operator.model.SymbolState;
import dev.bourse.operator.model.TradingSymbol;
import dev.bourse.operator.model.TradingSymbolSpec;
import dev.bourse.operator.model.TradingSymbolStatus;
import dev.bourse.operator.shards.EngineInstrument;
import dev.bourse.operator.shards.ShardAssigner;
import dev.bourse.operator.shards.SymbolMove;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.Counter;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Lists a TradingSymbol on its shard and keeps it as the resource says:
 * <ul>
 *   <li><b>shard</b>: {@code spec.shard} when pinned, else balanced (the shard with the fewest symbols) and then
 *   stable ({@code status.shard}); a changed pin, or a shard that no longer exists, moves the symbol
 *   ({@link SymbolMove}: halt, drain, reassign, recover, resume);</li>
 *   <li><b>rules</b>: pushed with the resource's generation on every reconcile (the engine answers
 *   {@code unchanged} when nothing changed; tick and lot change only on an empty book);</li>
 *   <li><b>state</b>: set when a new generation is applied or a move ends; a halt the operator did not ask for (the
 *   circuit breaker, or a person through the admin API) is reported, not undone: change the resource to resume.</li>
 * </ul>
 * Conditions: {@code Ready} (listed, loaded on its owner, in the desired state) and {@code Halted} (the engine
 * reports {@code suspend}; the reason says why). Deleting the resource halts the symbol and leaves it listed: the
 * engine cannot delist.
 */
@ControllerConfiguration(name = TradingSymbolReconciler.NAME)
public final class TradingSymbolReconciler implements Reconciler<TradingSymbol>, Cleaner<TradingSymbol> {
    public static final String NAME = "tradingsymbol";
    static final Duration RETRY = Duration.ofSeconds(5);
    static final Duration SETTLE = Duration.ofSeconds(1);

    private final OperatorServices services;
    private final ShardAssigner assigner = new ShardAssigner();

    public TradingSymbolReconciler(OperatorServices services) {
        this.services = services;
    }

    @Override
    public UpdateControl<TradingSymbol> reconcile(TradingSymbol sym, Context<TradingSymbol> context) {
        long generation = sym.getMetadata().getGeneration() == null ? 0 : sym.getMetadata().getGeneration();
        String ns = sym.getMetadata().getNamespace();
        TradingSymbolSpec spec = sym.getSpec();
        String instId = spec.instId;
        SymbolState desired = EngineInstrument.desiredState(spec);
        TradingSymbolStatus before = sym.getStatus() == null ? new TradingSymbolStatus()
                : StatusSupport.copy(sym.getStatus(), TradingSymbolStatus.class);
        TradingSymbolStatus status = StatusSupport.copy(before, TradingSymbolStatus.class);
        EngineClient engines = services.engines();

        List<EnginePod> pods;
        List<ShardReport> reports;
        Optional<EngineInstrument.Row> row;
        try {
            pods = services.pods().pods(ns);
            reports = ShardReport.readAll(pods, engines);
            row = findRow(pods, instId);
        } catch (EnginePods.NoEnginesException e) {
            return finish(sym, before, notReady(status, "NoEngines", e.getMessage(), generation),
                    services.config().reconcileInterval());
        } catch (EngineRefusedException e) {
            return finish(sym, before, notReady(status, "EngineRefused", e.engineMessage() + " (code " + e.code() + ")",
                    generation), services.config().reconcileInterval());
        } catch (EngineException e) {
            return finish(sym, before, notReady(status, "EnginesUnavailable", e.getMessage(), generation), RETRY);
        }
        int shards = pods.size();
        if (spec.shard != null && spec.shard >= shards) {
            return finish(sym, before, notReady(status, "ShardNotFound", "spec.shard is " + spec.shard + " but StatefulSet "
                    + services.pods().statefulSetName() + " runs " + shards + " shards (0.." + (shards - 1) + ")",
                    generation), services.config().reconcileInterval());
        }
        int target = target(sym, status, row, shards, reports, context);
        String problemReason = null;
        String problem = null;
        boolean moving = false;
        boolean stateApplied = false;
        Duration next = null;
        try {
            if (row.isEmpty()) {
                JsonNode r = engines.putInstrument(anyPod(pods), instId, EngineInstrument.body(spec, generation, target,
                        desired));
                services.events().normal(sym, "Listed", instId + " listed on shard " + target + " (" + r.path("outcome")
                        .asText() + "), state " + desired);
                stateApplied = true;
                next = SETTLE;
            } else if (row.get().shard() != target || status.movePhase != null) {
                SymbolMove.Step step = SymbolMove.advance(instId, phase(status.movePhase), row.get().shard(), target,
                        desired, generation, moveEngines(pods));
                for (SymbolMove.Note n : step.notes()) {
                    if (n.warning()) {
                        services.events().warning(sym, n.reason(), n.message());
                    } else {
                        services.events().normal(sym, n.reason(), n.message());
                    }
                    if ("Moved".equals(n.reason()) || "MoveFailed".equals(n.reason())) {
                        Counter.builder("bourse.operator.symbol.moves").description("Symbol moves between shards")
                                .tag("result", "Moved".equals(n.reason()) ? "moved" : "failed")
                                .register(services.meters()).increment();
                    }
                }
                if (step.finished()) {
                    status.movePhase = null;
                    status.moveFrom = null;
                    status.moveTo = null;
                    stateApplied = true;
                } else {
                    if (status.movePhase == null) {
                        status.moveFrom = row.get().shard();
                    }
                    status.movePhase = step.phase().name();
                    status.moveTo = target;
                    moving = true;
                    problemReason = step.failed() ? "MoveFailed" : "Moving";
                    problem = "moving from shard " + status.moveFrom + " to " + target + ", " + step.phase() + ": "
                            + step.message();
                    next = step.requeue();
                }
            }
            if (!moving && row.isPresent()) {
                try {
                    engines.putInstrument(anyPod(pods), instId, EngineInstrument.body(spec, generation, target, null));
                } catch (EngineRefusedException e) {
                    problemReason = "EngineRefused";
                    problem = "the engine refused generation " + generation + " of the rules: " + e.engineMessage()
                            + " (code " + e.code() + ")";
                }
            }
            if (!moving && !stateApplied && !Objects.equals(status.observedGeneration, generation)) {
                Optional<EngineInstrument.Row> now = findRow(pods, instId);
                if (now.isPresent() && now.get().symbolState() != desired) {
                    engines.setSymbolState(anyPod(pods), instId, desired.engineName(), reason(sym, generation));
                }
                stateApplied = true;
            }
            row = findRow(pods, instId);
        } catch (EngineRefusedException e) {
            problemReason = "EngineRefused";
            problem = e.engineMessage() + " (code " + e.code() + ")";
            next = services.config().reconcileInterval();
        } catch (EngineException e) {
            problemReason = "EnginesUnavailable";
            problem = e.getMessage();
            next = RETRY;
        }
        observe(sym, status, generation, desired, row, pods, moving, problemReason, problem);
        if (!moving && problem == null && stateApplied) {
            status.observedGeneration = generation;
        }
        String readyReason = Conditions.find(status.conditions, TradingSymbol.READY).map(c -> c.getReason()).orElse("");
        if (next == null && ("Loading".equals(readyReason) || "NotListed".equals(readyReason))) {
            next = SETTLE; // listed or moved a moment ago: look again soon, not only at the next interval
        }
        return finish(sym, before, status, next);
    }

    /** Ready and Halted from what the owner reports now. */
    private void observe(TradingSymbol sym, TradingSymbolStatus status, long generation, SymbolState desired,
                         Optional<EngineInstrument.Row> row, List<EnginePod> pods, boolean moving, String problemReason,
                         String problem) {
        if (row.isEmpty()) {
            status.appliedState = null;
            status.conditions = Conditions.set(status.conditions, TradingSymbol.READY, Conditions.FALSE,
                    problemReason == null ? "NotListed" : problemReason,
                    problem == null ? "the engines do not list " + sym.getSpec().instId + " yet" : problem, generation);
            status.conditions = StatusSupport.remove(status.conditions, TradingSymbol.HALTED);
            return;
        }
        EngineInstrument.Row r = row.get();
        SymbolState state = r.symbolState();
        status.shard = r.shard();
        status.appliedState = state;
        Optional<EngineStatus> owner = statusOf(pods, r.shard());
        boolean loaded = r.loaded() || owner.map(s -> s.hasLoaded(r.instId())).orElse(false);
        boolean serving = owner.map(EngineStatus::serving).orElse(false);
        if (problem != null) {
            status.conditions = Conditions.set(status.conditions, TradingSymbol.READY, Conditions.FALSE, problemReason,
                    problem, generation);
        } else if (!loaded || !serving) {
            status.conditions = Conditions.set(status.conditions, TradingSymbol.READY, Conditions.FALSE, "Loading",
                    "shard " + r.shard() + (serving ? " has not loaded " + r.instId() + " yet" : " is not serving (recovering, "
                            + "fenced or unreachable)"), generation);
        } else if (state != desired) {
            status.conditions = Conditions.set(status.conditions, TradingSymbol.READY, Conditions.FALSE, "StateDiffers",
                    "the engine reports " + state + ", the resource wants " + desired + (state == SymbolState.Halted
                            ? " (see the Halted condition; change the resource, e.g. its reason, to resume)" : ""),
                    generation);
        } else {
            status.conditions = Conditions.set(status.conditions, TradingSymbol.READY, Conditions.TRUE, "Ready",
                    r.instId() + " runs on shard " + r.shard() + ", state " + state, generation);
        }
        if (state == SymbolState.Halted) {
            String reason;
            String message;
            if (moving) {
                reason = "Moving";
                message = "halted while it moves to shard " + status.moveTo;
            } else if (desired == SymbolState.Halted) {
                reason = "Requested";
                message = "spec.state is Halted" + (sym.getSpec().reason == null ? "" : ": " + sym.getSpec().reason);
            } else if (breakerTrips(pods, r.shard(), r.instId()) > 0) {
                reason = "CircuitBreaker";
                message = "the circuit breaker halted " + r.instId() + " (price moved beyond the limit within its window); "
                        + "resume by changing the resource (e.g. spec.reason) or through the admin API";
            } else {
                reason = "HaltedOutsideOperator";
                message = r.instId() + " was halted outside this resource (admin API); change the resource to resume";
            }
            status.conditions = Conditions.set(status.conditions, TradingSymbol.HALTED, Conditions.TRUE, reason, message,
                    generation);
        } else {
            status.conditions = Conditions.set(status.conditions, TradingSymbol.HALTED, Conditions.FALSE, "NotHalted",
                    "state " + state, generation);
        }
    }

    private long breakerTrips(List<EnginePod> pods, int shard, String instId) {
        if (shard < 0 || shard >= pods.size()) {
            return 0;
        }
        try {
            return services.engines().breakerTrips(pods.get(shard), instId);
        } catch (EngineException e) {
            return 0;
        }
    }

    private static TradingSymbolStatus notReady(TradingSymbolStatus status, String reason, String message,
                                                long generation) {
        status.conditions = Conditions.set(status.conditions, TradingSymbol.READY, Conditions.FALSE, reason, message,
                generation);
        return status;
    }

    private UpdateControl<TradingSymbol> finish(TradingSymbol sym, TradingSymbolStatus before, TradingSymbolStatus after,
                                                Duration next) {
        if (StatusSupport.becameTrue(before.conditions, after.conditions, TradingSymbol.READY)) {
            services.events().normal(sym, "Ready", Conditions.find(after.conditions, TradingSymbol.READY).orElseThrow()
                    .getMessage());
        }
        if (StatusSupport.becameTrue(before.conditions, after.conditions, TradingSymbol.HALTED)) {
            var c = Conditions.find(after.conditions, TradingSymbol.HALTED).orElseThrow();
            if (!"Requested".equals(c.getReason()) && !"Moving".equals(c.getReason())) {
                services.events().warning(sym, c.getReason(), c.getMessage());
            }
        }
        for (String reason : List.of("EngineRefused", "ShardNotFound")) {
            if (StatusSupport.newReason(before.conditions, after.conditions, TradingSymbol.READY, reason)) {
                services.events().warning(sym, reason, Conditions.find(after.conditions, TradingSymbol.READY).orElseThrow()
                        .getMessage());
            }
        }
        UpdateControl<TradingSymbol> control;
        if (StatusSupport.same(before, after)) {
            control = UpdateControl.noUpdate();
        } else {
            sym.setStatus(after);
            control = UpdateControl.patchStatus(sym);
        }
        return next == null ? control : control.rescheduleAfter(next);
    }

    /** Where the symbol belongs: the pin; a move's target; its shard; where the engines have it; else balanced. */
    private int target(TradingSymbol sym, TradingSymbolStatus status, Optional<EngineInstrument.Row> row, int shards,
                       List<ShardReport> reports, Context<TradingSymbol> context) {
        TradingSymbolSpec spec = sym.getSpec();
        if (spec.shard != null) {
            return spec.shard;
        }
        if (status.movePhase != null && status.moveTo != null && status.moveTo < shards) {
            return status.moveTo;
        }
        if (row.isPresent() && row.get().shard() >= 0 && row.get().shard() < shards) {
            return row.get().shard();
        }
        if (row.isEmpty() && status.shard != null && status.shard < shards) {
            return status.shard;
        }
        Map<Integer, Set<String>> load = new HashMap<>();
        for (ShardReport r : reports) {
            if (r.status() != null) {
                load.put(r.shard(), new TreeSet<>(r.status().symbols()));
            }
        }
        List<Map.Entry<Integer, String>> claims = new ArrayList<>();
        String fleet = services.pods().namespaceFor(sym.getMetadata().getNamespace());
        context.getPrimaryCache().list(other -> fleet.equals(services.pods().namespaceFor(other.getMetadata().getNamespace()))
                        && !(Objects.equals(other.getMetadata().getNamespace(), sym.getMetadata().getNamespace())
                        && Objects.equals(other.getMetadata().getName(), sym.getMetadata().getName())))
                .forEach(other -> {
                    String id = other.getSpec() == null ? null : other.getSpec().instId;
                    if (id == null) {
                        return;
                    }
                    TradingSymbolStatus s = other.getStatus();
                    for (Integer shard : new Integer[]{other.getSpec().shard, s == null ? null : s.shard,
                            s == null ? null : s.moveTo}) {
                        if (shard != null) {
                            claims.add(new AbstractMap.SimpleEntry<>(shard, id));
                        }
                    }
                });
        return assigner.assign(fleet, spec.instId, shards, load, ShardAssigner.group(claims));
    }

    private static SymbolMove.Phase phase(String name) {
        if (name == null) {
            return null;
        }
        try {
            return SymbolMove.Phase.valueOf(name);
        } catch (IllegalArgumentException e) {
            return SymbolMove.Phase.Halting; // an unknown phase (older operator): start over, every step is idempotent
        }
    }

    private String reason(TradingSymbol sym, long generation) {
        String r = sym.getSpec().reason;
        return r != null && !r.isBlank() ? r
                : "TradingSymbol " + sym.getMetadata().getName() + " generation " + generation;
    }

    // ------------------------------------------------------------------ engine access

    private static EnginePod anyPod(List<EnginePod> pods) {
        List<EnginePod> usable = TradingSwitchReconciler.preferReady(pods);
        if (usable.isEmpty()) {
            throw new EngineException(null, "no engine pod exists", null);
        }
        return usable.get(0);
    }

    /**
     * The engines' row for {@code instId}, asked of the owner when it answers (only the owner knows whether it has
     * the symbol loaded). Empty when no engine lists it; throws when no pod answers.
     */
    private Optional<EngineInstrument.Row> findRow(List<EnginePod> pods, String instId) {
        Optional<EngineInstrument.Row> row = firstAnswer(pods, p -> services.engines().getInstrument(p, instId)
                .map(EngineInstrument.Row::fromJson));
        if (row.isPresent() && row.get().shard() >= 0 && row.get().shard() < pods.size()
                && pods.get(row.get().shard()).exists()) {
            try {
                return services.engines().getInstrument(pods.get(row.get().shard()), instId).map(EngineInstrument.Row::fromJson)
                        .or(() -> row);
            } catch (EngineRefusedException e) {
                throw e;
            } catch (EngineException e) {
                return row;
            }
        }
        return row;
    }

    private static <T> T firstAnswer(List<EnginePod> pods, Function<EnginePod, T> call) {
        EngineException last = null;
        List<String> failures = new ArrayList<>();
        for (EnginePod p : TradingSwitchReconciler.preferReady(pods)) {
            try {
                return call.apply(p);
            } catch (EngineRefusedException e) {
                throw e;
            } catch (EngineException e) {
                last = e;
                failures.add(e.getMessage());
            }
        }
        throw last != null ? new EngineException(last.pod(), failures.size() == 1 ? failures.get(0) : "no engine pod answered: " + String.join("; ", failures), last) : new EngineException(null, "no engine pod exists", null);
    }

    private Optional<EngineStatus> statusOf(List<EnginePod> pods, int shard) {
        if (shard < 0 || shard >= pods.size() || !pods.get(shard).exists()) {
            return Optional.empty();
        }
        try {
            return Optional.of(services.engines().status(pods.get(shard)));
        } catch (EngineException e) {
            return Optional.empty();
        }
    }

    private SymbolMove.Engines moveEngines(List<EnginePod> pods) {
        return new SymbolMove.Engines() {
            @Override
            public Optional<SymbolState> state(String instId) {
                return findRow(pods, instId).map(EngineInstrument.Row::symbolState);
            }

            @Override
            public void setState(String instId, SymbolState state, String reason) {
                services.engines().setSymbolState(anyPod(pods), instId, state.engineName(), reason);
            }

            @Override
            public Optional<EngineStatus> status(int shard) {
                return statusOf(pods, shard);
            }

            @Override
            public JsonNode move(String instId, int toShard, long generation) {
                Optional<EngineInstrument.Row> row = findRow(pods, instId);
                EnginePod via = row.isPresent() && row.get().shard() >= 0 && row.get().shard() < pods.size()
                        && pods.get(row.get().shard()).exists() ? pods.get(row.get().shard()) : anyPod(pods);
                return services.engines().moveInstrument(via, instId, toShard, generation);
            }
        };
    }

    /** Delisting is not supported by the engine: the symbol is halted and stays listed. */
    @Override
    public DeleteControl cleanup(TradingSymbol sym, Context<TradingSymbol> context) {
        String ns = sym.getMetadata().getNamespace();
        String instId = sym.getSpec().instId;
        try {
            List<EnginePod> pods = services.pods().pods(ns);
            Optional<EngineInstrument.Row> row = findRow(pods, instId);
            if (row.isPresent() && row.get().symbolState() != SymbolState.Halted) {
                services.engines().setSymbolState(anyPod(pods), instId, SymbolState.Halted.engineName(),
                        "TradingSymbol " + sym.getMetadata().getName() + " deleted (delisting is not supported)");
            }
            if (row.isPresent()) {
                services.events().normal(sym, "HaltedOnDelete", instId + " halted on shard " + row.get().shard()
                        + " and left listed: the engine cannot delist a symbol");
            }
        } catch (EnginePods.NoEnginesException e) {
            services.events().warning(sym, "NoEngines", e.getMessage() + "; " + instId + " was not halted");
        } catch (EngineRefusedException e) {
            services.events().warning(sym, "EngineRefused", "halting " + instId + " on delete: " + e.engineMessage());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(services.config().reconcileInterval().toMillis());
        } catch (EngineException e) {
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(RETRY.toMillis());
        }
        assigner.release(services.pods().namespaceFor(ns), instId);
        return DeleteControl.defaultDelete();
    }
}
