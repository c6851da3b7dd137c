package dev.bourse.operator.roller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.operator.model.LedgerReconciliation;
import dev.bourse.operator.model.LedgerReconciliationSpec;
import dev.bourse.operator.model.TradingSwitch;
import dev.bourse.operator.reconciliation.P0Pause;
import dev.bourse.operator.reconciliation.RunController;
import dev.bourse.operator.reconciliation.WarningEvents;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Rolls the engine StatefulSet one pod at a time, highest ordinal first:
 * <ol>
 *   <li>{@code Draining}: a {@code rollout-drain-shard-N} switch on the shard's symbols, until {@code Drained=True};</li>
 *   <li>{@code Restarting}: delete the pod, until it is back at the update revision, Ready and recovered;</li>
 *   <li>{@code Reconciling}: a {@code LedgerReconciliation} (trigger Rollout), until it succeeds;</li>
 *   <li>{@code Resuming}: delete the drain switch; then the next pod, or {@code Done}.</li>
 * </ol>
 * Before it drains or deletes a pod, every other pod must be Ready, so two shards are never down at once.
 *
 * <p>Each call advances at most one step and writes the new state to the StatefulSet's annotations before anything
 * further happens, so an operator restart resumes where it was. Every action is idempotent (create-or-keep, delete
 * only a pod still on the old revision), so repeating a step after a crash does no harm. A failed reconciliation, or a
 * step that outlasts the step timeout, blocks the rollout: the drain switch stays, a Warning event is recorded, and
 * nothing happens until a person removes the phase annotation.
 */
public final class EngineRoller {
    private static final Logger LOG = Logger.getLogger(EngineRoller.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RolloutSettings settings;
    private final ShardProbe probe;
    private final RolloutMetrics metrics;
    private final Clock clock;

    public EngineRoller(RolloutSettings settings, ShardProbe probe, RolloutMetrics metrics, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Advances the rollout of the StatefulSet by at most one step; returns when to look again (empty: idle). */
    public Optional<Duration> advance(KubernetesClient client, String namespace, String name) {
        // the cache may not hold the annotations just written; the state machine must never act on an old state
        StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        if (sts == null) {
            return Optional.empty();
        }
        return new Step(client, sts).run();
    }

    /** One reconcile of one StatefulSet. */
    private final class Step {
        private final KubernetesClient client;
        private final StatefulSet sts;
        private final String ns;
        private final String name;
        private final RolloutState state;
        private final Instant now;

        Step(KubernetesClient client, StatefulSet sts) {
            this.client = client;
            this.sts = sts;
            this.ns = sts.getMetadata().getNamespace();
            this.name = sts.getMetadata().getName();
            this.state = RolloutState.of(sts);
            this.now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        }

        Optional<Duration> run() {
            if (state.phase() == RolloutPhase.Blocked) {
                if (!RolloutPhase.Blocked.name().equals(rawPhase())) {
                    return block(state.message()); // a phase the roller does not know: stop, and say so
                }
                metrics.blocked(ns, name, true);
                return Optional.empty();
            }
            metrics.blocked(ns, name, false);
            String strategy = sts.getSpec().getUpdateStrategy() == null ? null
                    : sts.getSpec().getUpdateStrategy().getType();
            if (!"OnDelete".equals(strategy)) {
                String note = "updateStrategy is " + (strategy == null ? "RollingUpdate (the default)" : strategy)
                        + ": the operator rolls the engine safely only with OnDelete";
                return Objects.equals(note, state.message()) ? Optional.empty() : save(state.withMessage(note), null);
            }
            String target = sts.getStatus() == null ? null : sts.getStatus().getUpdateRevision();
            if (target == null) {
                return Optional.of(settings.poll()); // the StatefulSet controller has not reported revisions yet
            }
            EnginePods pods = EnginePods.of(client, sts);
            if (state.phase() == null || state.phase() == RolloutPhase.Done) {
                return start(pods, target);
            }
            Optional<Integer> ordinal = EnginePods.ordinal(name, state.pod());
            if (ordinal.isEmpty()) {
                return block("the rollout annotations name no pod of " + name + " (" + RolloutState.POD + "="
                        + state.pod() + ")");
            }
            return switch (state.phase()) {
                case Draining -> drain(pods, ordinal.get(), target);
                case Restarting -> restart(pods, ordinal.get(), target);
                case Reconciling -> reconcile(ordinal.get());
                case Resuming -> resume(pods, target);
                default -> throw new IllegalStateException("unhandled phase " + state.phase());
            };
        }

        /** Idle, done, or cleared by a person after a block: start with the next pod, if any needs rolling. */
        private Optional<Duration> start(EnginePods pods, String target) {
            Integer next = null;
            boolean resumeAfterBlock = state.phase() == null && state.pod() != null;
            if (resumeAfterBlock) {
                // the pod the rollout stopped at: its drain switch may still be on, and its ledger check is owed
                next = EnginePods.ordinal(name, state.pod()).filter(o -> o < pods.replicas()).orElse(null);
            }
            if (next == null) {
                List<Integer> outdated = pods.outdated(target);
                if (outdated.isEmpty()) {
                    return Optional.empty();
                }
                next = outdated.get(0);
            }
            Instant rolloutStart = resumeAfterBlock && state.started() != null ? state.started() : now;
            String pod = pods.podName(next);
            LOG.info(() -> ns + "/" + name + ": rollout to " + target + (resumeAfterBlock ? " resumes" : " starts")
                    + " with pod " + pod);
            return save(new RolloutState(RolloutPhase.Draining, pod, target, rolloutStart, now,
                    "draining shard " + next + " (pod " + pod + ") for revision " + target, null, null), null);
        }

        private Optional<Duration> drain(EnginePods pods, int shard, String target) {
            List<String> down = pods.notReadyExcept(shard);
            if (!down.isEmpty()) {
                return waitFor("pods " + down + " to be Ready before shard " + shard + " is drained");
            }
            String sw = state.drainSwitch();
            if (sw == null) {
                List<String> symbols;
                try {
                    symbols = probe.symbols(sts, shard);
                } catch (ShardProbe.Unavailable e) {
                    return waitFor("the symbols of shard " + shard + " (" + e.getMessage() + ")");
                }
                if (symbols.isEmpty()) {
                    return next(RolloutPhase.Restarting, state.withDrainSwitch(RolloutState.NO_SWITCH),
                            "shard " + shard + " runs no symbol, nothing to drain; restarting pod " + state.pod());
                }
                DrainSwitch.apply(client, ns, name, shard, symbols, target);
                return save(state.withDrainSwitch(DrainSwitch.name(shard)).withMessage("waiting for shard " + shard
                        + " to drain (TradingSwitch " + DrainSwitch.name(shard) + " on " + symbols + ")"), null);
            }
            if (RolloutState.NO_SWITCH.equals(sw)) {
                return next(RolloutPhase.Restarting, state, "restarting pod " + state.pod());
            }
            TradingSwitch current = DrainSwitch.get(client, ns, sw);
            if (current == null) {
                // deleted behind the roller's back: ask for the symbols again and put it back
                return save(state.withDrainSwitch(null).withMessage("drain switch " + sw + " disappeared; recreating"),
                        null);
            }
            if (DrainSwitch.drained(current)) {
                return next(RolloutPhase.Restarting, state, "shard " + shard + " drained; restarting pod " + state.pod());
            }
            return waitFor("shard " + shard + " to drain (TradingSwitch " + sw + " Drained=True)");
        }

        private Optional<Duration> restart(EnginePods pods, int shard, String target) {
            Optional<Pod> found = pods.pod(shard);
            if (found.isEmpty()) {
                return waitFor("pod " + state.pod() + " to be recreated at revision " + target);
            }
            Pod pod = found.get();
            if (EnginePods.terminating(pod)) {
                return waitFor("pod " + state.pod() + " to terminate");
            }
            if (!target.equals(EnginePods.revision(pod))) {
                List<String> down = pods.notReadyExcept(shard);
                if (!down.isEmpty()) {
                    return waitFor("pods " + down + " to be Ready before pod " + state.pod() + " is deleted");
                }
                try {
                    // locked to the version just read: never deletes a pod the roller has not looked at
                    client.resource(pod).lockResourceVersion().delete();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != HttpURLConnection.HTTP_CONFLICT && e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                        throw e;
                    }
                }
                LOG.info(() -> ns + "/" + name + ": deleted pod " + state.pod() + " (revision "
                        + EnginePods.revision(pod) + ") to roll it to " + target);
                return save(state.withMessage("deleted pod " + state.pod() + "; waiting for it at revision " + target
                        + ", Ready and recovered"), null);
            }
            if (!EnginePods.ready(pod)) {
                return waitFor("pod " + state.pod() + " (revision " + target + ") to be Ready");
            }
            boolean recovered;
            try {
                recovered = probe.recovered(pod);
            } catch (ShardProbe.Unavailable e) {
                return waitFor("the engine in pod " + state.pod() + " to answer (" + e.getMessage() + ")");
            }
            if (!recovered) {
                return waitFor("the engine in pod " + state.pod() + " to report recovered");
            }
            String run = reconciliationName(target, shard);
            return next(RolloutPhase.Reconciling, state.withReconciliation(run), "pod " + state.pod()
                    + " is back at revision " + target + " and recovered; checking the ledger (LedgerReconciliation "
                    + run + ")");
        }

        private Optional<Duration> reconcile(int shard) {
            String runName = state.reconciliation();
            if (runName == null) {
                return block("phase Reconciling without " + RolloutState.RECONCILIATION);
            }
            LedgerReconciliation run = client.resources(LedgerReconciliation.class).inNamespace(ns).withName(runName).get();
            if (run == null) {
                createRun(runName, shard);
                return waitFor("LedgerReconciliation " + runName + " to succeed");
            }
            String phase = run.getStatus() == null ? null : run.getStatus().phase;
            if (RunController.SUCCEEDED.equals(phase)) {
                return next(RolloutPhase.Resuming, state, "ledger clean (LedgerReconciliation " + runName
                        + "); resuming shard " + shard);
            }
            if (RunController.FAILED.equals(phase)) {
                String pause = run.getStatus().pauseSwitch == null ? ""
                        : "; orders are paused by TradingSwitch " + run.getStatus().pauseSwitch;
                return block("LedgerReconciliation " + runName + " failed: " + run.getStatus().summary + pause);
            }
            return waitFor("LedgerReconciliation " + runName + " to succeed");
        }

        private Optional<Duration> resume(EnginePods pods, String target) {
            String sw = state.drainSwitch();
            if (sw != null && !RolloutState.NO_SWITCH.equals(sw)) {
                DrainSwitch.delete(client, ns, sw);
                if (DrainSwitch.get(client, ns, sw) != null) {
                    return waitFor("TradingSwitch " + sw + " to be deleted");
                }
            }
            List<Integer> outdated = pods.outdated(target);
            RolloutState after;
            if (outdated.isEmpty()) {
                after = new RolloutState(RolloutPhase.Done, null, target, state.started(), null,
                        "every pod runs revision " + target, null, null);
            } else {
                int next = outdated.get(0);
                String pod = pods.podName(next);
                after = new RolloutState(RolloutPhase.Draining, pod, target, state.started(), now,
                        "draining shard " + next + " (pod " + pod + ") for revision " + target, null, null);
            }
            if (!write(after, RolloutPhase.Resuming)) {
                return Optional.of(RETRY);
            }
            metrics.podRolled(ns, name);
            LOG.info(() -> ns + "/" + name + ": pod " + state.pod() + " rolled to " + target + "; " + after.message());
            return Optional.of(settings.poll());
        }

        private void createRun(String runName, int shard) {
            LedgerReconciliationSpec spec = new LedgerReconciliationSpec();
            spec.trigger = "Rollout";
            spec.reason = "rollout of " + name + " to " + state.revision() + ": pod " + state.pod() + " (shard "
                    + shard + ") restarted";
            spec.pauseOnAnomaly = true;
            // the run must finish within the step that waits for it
            spec.activeDeadlineSeconds = (int) Math.max(30, Math.min(86_400, settings.stepTimeout().toSeconds()));
            LedgerReconciliation run = new LedgerReconciliation();
            run.setMetadata(new ObjectMetaBuilder()
                    .withName(runName)
                    .withNamespace(ns)
                    .withLabels(Map.of(P0Pause.CREATED_BY, P0Pause.OPERATOR, DrainSwitch.ROLLOUT_LABEL, name))
                    .build());
            run.setSpec(spec);
            try {
                client.resource(run).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
        }

        /** {@code <revision>-shard-<N>-<time>}: one run per pod per attempt (a retry after a block runs a new one). */
        private String reconciliationName(String target, int shard) {
            return target + "-shard-" + shard + "-" + Long.toString(now.getEpochSecond(), 36);
        }

        /** Moves to the next step: records how long this one took, restarts the step clock. */
        private Optional<Duration> next(RolloutPhase phase, RolloutState base, String message) {
            return save(base.withPhase(phase, now, message), state.phase());
        }

        /** Waits for what is missing, unless the step has run out of time. */
        private Optional<Duration> waitFor(String what) {
            Instant since = state.stepStarted() == null ? now : state.stepStarted();
            if (Duration.between(since, now).compareTo(settings.stepTimeout()) > 0) {
                return block(state.phase() + " of pod " + state.pod() + " timed out after "
                        + RolloutSettings.format(settings.stepTimeout()) + " waiting for " + what);
            }
            String message = "waiting for " + what;
            RolloutState waiting = state.stepStarted() == null
                    ? state.withPhase(state.phase(), now, message) : state.withMessage(message);
            return message.equals(state.message()) && state.stepStarted() != null
                    ? Optional.of(settings.poll()) : save(waiting, null);
        }

        /** Stops the rollout: the drain switch stays, a person looks. */
        private Optional<Duration> block(String why) {
            String stopped = "rollout" + (state.revision() == null ? "" : " to " + state.revision())
                    + " stopped" + (state.pod() == null ? "" : " at pod " + state.pod()) + ": " + why
                    + (state.drainSwitch() != null && !RolloutState.NO_SWITCH.equals(state.drainSwitch())
                    ? "; drain switch " + state.drainSwitch() + " left in place" : "");
            String occurrence = String.valueOf((state.stepStarted() == null ? now : state.stepStarted()).toEpochMilli());
            WarningEvents.warn(client, sts, "RolloutBlocked", stopped + ". To retry from this pod: kubectl annotate "
                    + "statefulset " + name + " " + RolloutState.PHASE + "-", occurrence);
            if (!write(state.withPhase(RolloutPhase.Blocked, state.stepStarted(), stopped), null)) {
                return Optional.of(RETRY);
            }
            metrics.blocked(ns, name, true);
            LOG.warning(() -> ns + "/" + name + ": " + stopped);
            return Optional.empty();
        }

        private String rawPhase() {
            Map<String, String> a = sts.getMetadata().getAnnotations();
            return a == null ? null : a.get(RolloutState.PHASE);
        }

        private Optional<Duration> save(RolloutState after, RolloutPhase finished) {
            return Optional.of(write(after, finished) ? settings.poll() : RETRY);
        }

        /**
         * Writes the state (a JSON merge patch of the annotations, locked to the StatefulSet version read at the
         * start), recording the duration of {@code finished} if a step ended. Returns false on a conflict: someone
         * changed the StatefulSet meanwhile, and the next call reads it again.
         */
        private boolean write(RolloutState after, RolloutPhase finished) {
            Map<String, String> changes = after.changesFrom(state);
            String phase = after.phase() == null ? null : after.phase().name();
            if (!Objects.equals(phase, rawPhase())) {
                changes.put(RolloutState.PHASE, phase);
            }
            if (changes.isEmpty()) {
                return true;
            }
            ObjectNode patch = JSON.createObjectNode();
            ObjectNode metadata = patch.putObject("metadata");
            metadata.put("resourceVersion", sts.getMetadata().getResourceVersion());
            ObjectNode annotations = metadata.putObject("annotations");
            changes.forEach(annotations::put);
            try {
                client.apps().statefulSets().inNamespace(ns).withName(name)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                    return false;
                }
                throw e;
            }
            if (finished != null && state.stepStarted() != null) {
                metrics.step(ns, name, finished, Duration.between(state.stepStarted(), now));
            }
            return true;
        }
    }

    /** Returned after a write conflict: look again soon, with the StatefulSet as it is now. */
    private static final Duration RETRY = Duration.ofMillis(200);
}
