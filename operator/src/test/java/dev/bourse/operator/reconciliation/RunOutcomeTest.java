package dev.bourse.operator.reconciliation;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading a finished reconciliation Job the way the {@code reconcile} command reports (exit code + summary line). */
class RunOutcomeTest {
    private static final Job RUNNING = new JobBuilder().withNewStatus().withActive(1).withStartTime("2025-06-01T02:00:00Z")
            .endStatus().build();

    @Test
    void nothingYetWhileTheContainerRuns() {
        Pod running = new PodBuilder().withNewStatus().withPhase("Running").addToContainerStatuses(
                new ContainerStatusBuilder().withName(ReconcileJob.CONTAINER).withNewState().withNewRunning().endRunning()
                        .endState().build()).endStatus().build();
        assertTrue(RunOutcome.of(RUNNING, List.of(running)).isEmpty());
        assertTrue(RunOutcome.of(RUNNING, List.of()).isEmpty());
    }

    @Test
    void exitZeroIsCleanWithTheSummaryAndReport() {
        RunOutcome o = RunOutcome.of(RUNNING, List.of(terminated(0,
                "{\"clean\":true,\"anomalies\":0,\"reportId\":17,\"summary\":\"reconciliation: CLEAN (3 posting sets)\"}\n")))
                .orElseThrow();
        assertEquals(RunOutcome.Result.CLEAN, o.result());
        assertEquals(0L, o.anomalies());
        assertEquals(17L, o.reportId());
        assertEquals("reconciliation: CLEAN (3 posting sets)", o.summary());
        assertEquals("2025-06-01T02:00:09Z", o.finishedAt());
    }

    @Test
    void exitOneIsAnomaliesEvenWithoutASummary() {
        RunOutcome o = RunOutcome.of(RUNNING, List.of(terminated(1,
                "{\"clean\":false,\"anomalies\":3,\"reportId\":18,\"summary\":\"reconciliation: 3 ANOMALIES (...): x\"}")))
                .orElseThrow();
        assertEquals(RunOutcome.Result.ANOMALIES, o.result());
        assertEquals(3L, o.anomalies());
        assertEquals("reconciliation: 3 ANOMALIES (...): x", o.summary());

        RunOutcome bare = RunOutcome.of(RUNNING, List.of(terminated(1, ""))).orElseThrow();
        assertEquals(RunOutcome.Result.ANOMALIES, bare.result(), "the exit code decides, not the summary");
        assertNull(bare.anomalies());
        assertTrue(bare.summary().startsWith("anomalies found (no summary"), bare.summary());
    }

    @Test
    void anyOtherExitIsNoConclusionWithTheBestReasonAtHand() {
        RunOutcome error = RunOutcome.of(RUNNING, List.of(terminated(2,
                "{\"clean\":false,\"error\":\"connection refused\",\"summary\":\"reconcile: connection refused\"}")))
                .orElseThrow();
        assertEquals(RunOutcome.Result.FAILED, error.result());
        assertNull(error.anomalies());
        assertEquals("exit code 2: reconcile: connection refused", error.summary());

        // the JVM died before writing its line: FallbackToLogsOnError put the log tail there instead
        RunOutcome crashed = RunOutcome.of(failedJob("BackoffLimitExceeded"), List.of(terminated(1 + 136,
                "Picked up JAVA_TOOL_OPTIONS: -Xmx64m\nException in thread \"main\" java.lang.OutOfMemoryError\n"))).orElseThrow();
        assertEquals(RunOutcome.Result.FAILED, crashed.result());
        assertEquals("exit code 137: Exception in thread \"main\" java.lang.OutOfMemoryError [job BackoffLimitExceeded]",
                crashed.summary());
    }

    @Test
    void aJobThatFailedWithoutAPodResultSaysWhy() {
        RunOutcome o = RunOutcome.of(failedJob("DeadlineExceeded"), List.of()).orElseThrow();
        assertEquals(RunOutcome.Result.FAILED, o.result());
        assertEquals("job failed: DeadlineExceeded: it took too long", o.summary());
        assertEquals("2025-06-01T02:15:00Z", o.finishedAt());

        Job complete = new JobBuilder().withNewStatus().withCompletionTime("2025-06-01T02:00:10Z")
                .addToConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build())
                .endStatus().build();
        RunOutcome gone = RunOutcome.of(complete, List.of()).orElseThrow();
        assertEquals(RunOutcome.Result.CLEAN, gone.result(), "Complete means exit 0");
    }

    @Test
    void aLongSummaryIsCutForTheStatus() {
        String huge = "x".repeat(5000);
        RunOutcome o = RunOutcome.of(RUNNING, List.of(terminated(1,
                "{\"clean\":false,\"anomalies\":9,\"summary\":\"" + huge + "\"}"))).orElseThrow();
        assertEquals(RunOutcome.MAX_SUMMARY, o.summary().length());
        assertTrue(o.summary().endsWith("…"));
    }

    private static Pod terminated(int exitCode, String message) {
        return new PodBuilder().withNewStatus().withPhase(exitCode == 0 ? "Succeeded" : "Failed").addToContainerStatuses(
                new ContainerStatusBuilder().withName(ReconcileJob.CONTAINER).withNewState().withNewTerminated()
                        .withExitCode(exitCode).withMessage(message).withFinishedAt("2025-06-01T02:00:09Z")
                        .endTerminated().endState().build()).endStatus().build();
    }

    private static Job failedJob(String reason) {
        return new JobBuilder().withNewStatus().withFailed(1).addToConditions(new JobConditionBuilder().withType("Failed")
                .withStatus("True").withReason(reason).withMessage("it took too long")
                .withLastTransitionTime("2025-06-01T02:15:00Z").build()).endStatus().build();
    }
}
