package dev.bourse.operator.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * How a finished reconciliation Job ended, read the way the {@code reconcile} command reports it: the exit code of
 * its container (0 clean, 1 anomalies, anything else: no conclusion) and the one-line JSON summary it wrote to its
 * termination message.
 *
 * @param result      what the run concluded
 * @param anomalies   anomalies counted (0 when clean; null when unknown)
 * @param reportId    the {@code reconciliation_reports} row, when the summary names it
 * @param summary     the report's one-line summary, or why the run reached no conclusion
 * @param finishedAt  when the container (or else the Job) finished, RFC 3339; null when unknown
 */
public record RunOutcome(Result result, Long anomalies, Long reportId, String summary, String finishedAt) {
    /** Longest summary kept in the status (the engine's own line is at most 4 KiB). */
    static final int MAX_SUMMARY = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Result {
        /** Exit 0: no anomaly. */
        CLEAN("clean"),
        /** Exit 1: the run completed and found anomalies. */
        ANOMALIES("anomalies"),
        /** Anything else: no conclusion (bad configuration, database down, deadline, image missing...). */
        FAILED("failed");

        private final String metricTag;

        Result(String metricTag) {
            this.metricTag = metricTag;
        }

        /** The {@code result} tag of {@code bourse_operator_reconciliation_runs_total}. */
        public String metricTag() {
            return metricTag;
        }
    }

    /**
     * The outcome, once there is one. The pod's terminated container is the authority (its exit code is what the
     * command decided); the Job's {@code Failed} condition covers a pod that never ran or is gone (deadline, image
     * pull, eviction).
     */
    public static Optional<RunOutcome> of(Job job, List<Pod> pods) {
        Optional<ContainerStateTerminated> terminated = pods.stream()
                .map(RunOutcome::terminated)
                .flatMap(Optional::stream)
                .max(Comparator.comparing(t -> t.getFinishedAt() == null ? "" : t.getFinishedAt()));
        Optional<JobCondition> failed = condition(job, "Failed");
        if (terminated.isPresent()) {
            return Optional.of(fromContainer(terminated.get(), failed));
        }
        String jobDone = job.getStatus() == null ? null : job.getStatus().getCompletionTime();
        if (condition(job, "Complete").isPresent()) {
            return Optional.of(new RunOutcome(Result.CLEAN, 0L, null,
                    "exit code 0 (the pod and its summary are gone)", jobDone));
        }
        if (failed.isPresent()) {
            JobCondition c = failed.get();
            return Optional.of(new RunOutcome(Result.FAILED, null, null,
                    cut("job failed: " + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage())),
                    c.getLastTransitionTime()));
        }
        return Optional.empty();
    }

    private static RunOutcome fromContainer(ContainerStateTerminated t, Optional<JobCondition> jobFailed) {
        int exit = t.getExitCode() == null ? -1 : t.getExitCode();
        Summary s = Summary.parse(t.getMessage());
        return switch (exit) {
            case 0 -> new RunOutcome(Result.CLEAN, 0L, s.reportId(),
                    cut(s.text() != null ? s.text() : "clean (no summary)"), t.getFinishedAt());
            case 1 -> new RunOutcome(Result.ANOMALIES, s.anomalies(), s.reportId(),
                    cut(s.text() != null ? s.text() : "anomalies found (no summary; see the job's log)"),
                    t.getFinishedAt());
            default -> {
                String why = s.text() != null ? s.text()
                        : t.getReason() != null ? t.getReason() : "no summary";
                String job = jobFailed.map(c -> " [job " + c.getReason() + "]").orElse("");
                yield new RunOutcome(Result.FAILED, null, null, cut("exit code " + exit + ": " + why + job),
                        t.getFinishedAt());
            }
        };
    }

    private static Optional<ContainerStateTerminated> terminated(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(cs -> ReconcileJob.CONTAINER.equals(cs.getName()))
                .map(ContainerStatus::getState)
                .filter(st -> st != null && st.getTerminated() != null)
                .map(st -> st.getTerminated())
                .findFirst();
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst();
    }

    static String cut(String s) {
        if (s.length() <= MAX_SUMMARY) {
            return s;
        }
        int end = MAX_SUMMARY - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }

    /**
     * The termination message: the command's JSON line, or, when the JVM died before writing it, the last log lines
     * the kubelet put there instead ({@code FallbackToLogsOnError}); those are kept as text.
     */
    record Summary(Long anomalies, Long reportId, String text) {
        static Summary parse(String message) {
            if (message == null || message.isBlank()) {
                return new Summary(null, null, null);
            }
            String trimmed = message.strip();
            try {
                JsonNode n = JSON.readTree(trimmed);
                if (n != null && n.isObject() && n.hasNonNull("summary")) {
                    return new Summary(n.hasNonNull("anomalies") ? n.get("anomalies").asLong() : null,
                            n.hasNonNull("reportId") ? n.get("reportId").asLong() : null, n.get("summary").asText());
                }
            } catch (java.io.IOException notJson) {
                // log lines, not the command's summary
            }
            List<String> lines = trimmed.lines().filter(l -> !l.isBlank()).toList();
            return new Summary(null, null, lines.isEmpty() ? null : lines.get(lines.size() - 1).strip());
        }
    }
}
