package dev.bourse.operator.reconciliation;

import dev.bourse.operator.model.Conditions;
import dev.bourse.operator.model.LedgerReconciliation;
import dev.bourse.operator.model.LedgerReconciliationStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Drives one {@link LedgerReconciliation} run: Pending (Job created) → Running (Job started) → Succeeded (clean) or
 * Failed (anomalies, or no conclusion). Level-triggered and idempotent: the Job's name is derived from the run, so a
 * reconcile that finds it already there adopts it instead of starting a second run; a finished run is never looked at
 * again.
 *
 * <p>On anomalies, before the status says Failed, the global P0 pause switch is created (when the run asks for it,
 * the default) and a Warning event is recorded on the run, so a status that reports anomalies always comes with the
 * pause in place.
 */
public final class RunController {
    public static final String PENDING = "Pending";
    public static final String RUNNING = "Running";
    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";

    /** Jobs wake the run through their informer; this is only the safety net for a missed event. */
    static final Duration RECHECK = Duration.ofSeconds(30);
    private static final Duration RETRY_SOON = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(RunController.class.getName());

    private final ReconciliationSettings settings;
    private final ReconciliationMetrics metrics;
    private final Clock clock;

    public RunController(ReconciliationSettings settings, ReconciliationMetrics metrics, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Advances the run; returns when to look again (empty once the run has finished). */
    public Optional<Duration> reconcile(KubernetesClient client, LedgerReconciliation run) {
        LedgerReconciliationStatus current = run.getStatus();
        if (current != null && (SUCCEEDED.equals(current.phase) || FAILED.equals(current.phase))) {
            return Optional.empty();
        }
        String ns = run.getMetadata().getNamespace();
        String jobName = ReconcileJob.name(run);
        Job job = client.batch().v1().jobs().inNamespace(ns).withName(jobName).get();

        if (job != null && !ReconcileJob.ownedBy(job, run)) {
            return progress(client, run, PENDING, null, "WaitingForOldJob",
                    "Job " + jobName + " belongs to an earlier run of the same name; waiting for it to be deleted");
        }
        if (job == null) {
            if (current != null && current.jobName != null) {
                return finish(client, run, null, new RunOutcome(RunOutcome.Result.FAILED, null, null,
                        "Job " + jobName + " was deleted before its result was read", now()));
            }
            StatefulSet engine = client.apps().statefulSets().inNamespace(ns).withName(settings.engineStatefulSet()).get();
            if (engine == null) {
                return progress(client, run, PENDING, null, "EngineNotFound", "StatefulSet "
                        + settings.engineStatefulSet() + " (the engine whose image and settings the Job uses) not found in "
                        + ns);
            }
            job = create(client, ReconcileJob.build(run, engine, settings));
            LOG.info(() -> "LedgerReconciliation " + ns + "/" + run.getMetadata().getName() + ": created Job " + jobName);
        }

        List<Pod> pods = client.pods().inNamespace(ns).withLabel(ReconcileJob.JOB_LABEL, jobName).list().getItems();
        Optional<RunOutcome> outcome = RunOutcome.of(job, pods);
        if (outcome.isPresent()) {
            return finish(client, run, job, outcome.get());
        }
        boolean started = job.getStatus() != null && (job.getStatus().getStartTime() != null
                || (job.getStatus().getActive() != null && job.getStatus().getActive() > 0));
        return started
                ? progress(client, run, RUNNING, job, "Running", "Job " + jobName + " is running")
                : progress(client, run, PENDING, job, "JobCreated", "Job " + jobName + " created, not started yet");
    }

    private Job create(KubernetesClient client, Job job) {
        try {
            return client.resource(job).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // created by an earlier attempt whose status write was lost: that Job is this run's Job
            return client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                    .withName(job.getMetadata().getName()).require();
        }
    }

    private Optional<Duration> progress(KubernetesClient client, LedgerReconciliation run, String phase, Job job,
                                        String reason, String message) {
        LedgerReconciliation next = copy(client, run);
        LedgerReconciliationStatus s = next.getStatus();
        s.phase = phase;
        if (job != null) {
            s.jobName = job.getMetadata().getName();
            if (job.getStatus() != null && job.getStatus().getStartTime() != null) {
                s.startTime = job.getStatus().getStartTime();
            }
        }
        s.conditions = Conditions.set(s.conditions, LedgerReconciliation.SUCCEEDED, Conditions.UNKNOWN, reason, message,
                run.getMetadata().getGeneration());
        return write(client, run, next) ? Optional.of(RECHECK) : Optional.of(RETRY_SOON);
    }

    private Optional<Duration> finish(KubernetesClient client, LedgerReconciliation run, Job job, RunOutcome outcome) {
        LedgerReconciliation next = copy(client, run);
        LedgerReconciliationStatus s = next.getStatus();
        String name = run.getMetadata().getName();
        if (job != null) {
            s.jobName = job.getMetadata().getName();
            if (s.startTime == null && job.getStatus() != null) {
                s.startTime = job.getStatus().getStartTime();
            }
        }
        s.completionTime = outcome.finishedAt() != null ? outcome.finishedAt() : now();
        s.summary = outcome.summary();
        s.anomalies = outcome.anomalies() == null ? null : (int) Math.min(outcome.anomalies(), Integer.MAX_VALUE);
        long generation = run.getMetadata().getGeneration() == null ? 0 : run.getMetadata().getGeneration();
        switch (outcome.result()) {
            case CLEAN -> {
                s.phase = SUCCEEDED;
                s.conditions = Conditions.set(s.conditions, LedgerReconciliation.SUCCEEDED, Conditions.TRUE, "Clean",
                        outcome.summary(), generation);
            }
            case ANOMALIES -> {
                s.phase = FAILED;
                String pause = "";
                if (run.getSpec() == null || !Boolean.FALSE.equals(run.getSpec().pauseOnAnomaly)) {
                    s.pauseSwitch = P0Pause.engage(client, run, outcome.summary());
                    pause = "; orders paused everywhere by TradingSwitch " + s.pauseSwitch
                            + " until a person deletes it";
                }
                String count = outcome.anomalies() == null ? "anomalies" : outcome.anomalies() + " anomalies";
                s.conditions = Conditions.set(s.conditions, LedgerReconciliation.SUCCEEDED, Conditions.FALSE,
                        "AnomaliesFound", count + pause + ": " + outcome.summary(), generation);
                WarningEvents.warn(client, run, "LedgerAnomaly", "Ledger reconciliation found " + count + pause
                        + ". " + outcome.summary(), "run");
            }
            case FAILED -> {
                s.phase = FAILED;
                s.conditions = Conditions.set(s.conditions, LedgerReconciliation.SUCCEEDED, Conditions.FALSE,
                        "RunFailed", outcome.summary(), generation);
                WarningEvents.warn(client, run, "ReconciliationFailed",
                        "Ledger reconciliation reached no conclusion: " + outcome.summary(), "run");
            }
        }
        if (!write(client, run, next)) {
            return Optional.of(RETRY_SOON);
        }
        metrics.finished(outcome.result());
        LOG.info(() -> "LedgerReconciliation " + run.getMetadata().getNamespace() + "/" + name + ": " + s.phase + " ("
                + outcome.result().metricTag() + "): " + outcome.summary());
        return Optional.empty();
    }

    /** A copy of the run with a status to edit (the cached object is shared and must not change). */
    private static LedgerReconciliation copy(KubernetesClient client, LedgerReconciliation run) {
        LedgerReconciliation copy = client.getKubernetesSerialization().clone(run);
        if (copy.getStatus() == null) {
            copy.setStatus(new LedgerReconciliationStatus());
        }
        return copy;
    }

    /**
     * Writes the status when it changed, against the version that was read: a conflict means the cached run was
     * stale, and the next reconcile (with the fresh one) decides again. Returns false on a conflict.
     */
    private static boolean write(KubernetesClient client, LedgerReconciliation before, LedgerReconciliation after) {
        after.getStatus().observedGeneration = after.getMetadata().getGeneration();
        var json = client.getKubernetesSerialization();
        if (before.getStatus() != null && json.asJson(before.getStatus()).equals(json.asJson(after.getStatus()))) {
            return true;
        }
        try {
            client.resource(after).updateStatus();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false;
            }
            throw e;
        }
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
