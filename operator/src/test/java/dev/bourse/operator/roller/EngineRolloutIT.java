package dev.bourse.operator.roller;

import dev.bourse.operator.model.LedgerReconciliation;
import dev.bourse.operator.model.SwitchMode;
import dev.bourse.operator.model.TradingSwitch;
import dev.bourse.operator.reconciliation.JobKubelet;
import dev.bourse.operator.reconciliation.MockKube;
import dev.bourse.operator.reconciliation.P0Pause;
import dev.bourse.operator.reconciliation.RunController;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.bourse.operator.roller.EngineCluster.NS;
import static dev.bourse.operator.roller.EngineCluster.R1;
import static dev.bourse.operator.roller.EngineCluster.R2;
import static dev.bourse.operator.roller.EngineCluster.STS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safe rollout against the mock API server with the real JOSDK operator (both reconcilers of this feature), the
 * test playing the StatefulSet controller, the kubelet, the engines and operator-a's switch reconciler
 * ({@link EngineCluster}).
 */
class EngineRolloutIT {
    private static final JobKubelet.Exit CLEAN = new JobKubelet.Exit(0,
            "{\"clean\":true,\"anomalies\":0,\"reportId\":7,\"summary\":\"reconciliation: CLEAN (12 posting sets, "
                    + "4 balances, 3 orders, 1 fills checked in 40 ms)\"}\n");
    private static final JobKubelet.Exit ANOMALY = new JobKubelet.Exit(1,
            "{\"clean\":false,\"anomalies\":1,\"reportId\":8,\"summary\":\"reconciliation: 1 ANOMALY (12 posting sets, "
                    + "4 balances, 3 orders, 1 fills checked in 41 ms): order_holds order 9: expected 5, actual 6\"}\n");
    private static final Duration LONG_STEP = Duration.ofSeconds(30);
    private static final Duration ROLLOUT = Duration.ofSeconds(45);

    private EngineCluster cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void rollsOnePodAtATimeHighestOrdinalFirstDrainingEachShard() {
        cluster = new EngineCluster(3, CLEAN);
        cluster.startOperator(LONG_STEP);
        cluster.rollTo(R2);
        awaitPhase(RolloutPhase.Done);

        // shard 2 runs no symbol: no switch; shards 1 and 0 drained before their pod went, resumed after the check
        List<String> log = cluster.log.stream().filter(e -> !e.startsWith("run+")).toList();
        assertEquals(List.of(
                "pod- bourse-engine-2", "pod+ bourse-engine-2@" + R2,
                "switch+ rollout-drain-shard-1", "pod- bourse-engine-1", "pod+ bourse-engine-1@" + R2,
                "switch- rollout-drain-shard-1",
                "switch+ rollout-drain-shard-0", "pod- bourse-engine-0", "pod+ bourse-engine-0@" + R2,
                "switch- rollout-drain-shard-0"), log, String.join("\n", cluster.log));
        assertEquals(List.of(), cluster.twoDown, "never two engine pods down at once");

        // one ledger check per pod, after its restart and before its shard resumed
        List<String> runs = cluster.entries("run+ ");
        assertEquals(3, runs.size(), String.join("\n", cluster.log));
        for (int shard : new int[] {2, 1, 0}) {
            String run = runs.get(2 - shard).substring("run+ ".length());
            assertTrue(run.startsWith(R2 + "-shard-" + shard + "-"), run);
            int restarted = cluster.log.indexOf("pod+ bourse-engine-" + shard + "@" + R2);
            int checked = cluster.log.indexOf("run+ " + run);
            assertTrue(restarted < checked, String.join("\n", cluster.log));
            if (shard < 2) {
                assertTrue(checked < cluster.log.indexOf("switch- rollout-drain-shard-" + shard),
                        String.join("\n", cluster.log));
            }
            LedgerReconciliation r = cluster.client.resources(LedgerReconciliation.class).inNamespace(NS).withName(run).get();
            assertEquals("Rollout", r.getSpec().trigger);
            assertEquals(RunController.SUCCEEDED, r.getStatus().phase);
        }

        assertEquals(R2, cluster.annotation(RolloutState.REVISION));
        assertNull(cluster.annotation(RolloutState.POD));
        assertTrue(cluster.client.resources(TradingSwitch.class).inNamespace(NS).list().getItems().isEmpty());
        assertEquals(3.0, cluster.registry.counter("bourse.operator.rollout.pods.rolled", "namespace", NS,
                "statefulset", STS).count(), 0.0);
        for (RolloutPhase step : List.of(RolloutPhase.Draining, RolloutPhase.Restarting, RolloutPhase.Reconciling,
                RolloutPhase.Resuming)) {
            assertEquals(3, cluster.registry.timer("bourse.operator.rollout.step", "namespace", NS, "statefulset", STS,
                    "step", step.name()).count(), step.name());
        }
        assertEquals(0.0, blockedGauge(), 0.0);
    }

    @Test
    void theDrainSwitchNamesTheShardsSymbolsAndDrains() {
        cluster = new EngineCluster(2, CLEAN);
        cluster.drainCompletes = false;
        cluster.startOperator(LONG_STEP);
        cluster.rollTo(R2);
        MockKube.await("the drain switch of shard 1", Duration.ofSeconds(20), () ->
                cluster.client.resources(TradingSwitch.class).inNamespace(NS).withName("rollout-drain-shard-1").get() != null);
        TradingSwitch sw = cluster.client.resources(TradingSwitch.class).inNamespace(NS).withName("rollout-drain-shard-1").get();
        assertEquals(List.of("ETH-USDT", "SOL-USDT"), sw.getSpec().scope.symbols);
        assertEquals(Boolean.TRUE, sw.getSpec().drain);
        assertEquals(SwitchMode.CancelOnly, sw.getSpec().mode);
        assertEquals("rollout " + R2, sw.getSpec().reason);
        assertEquals("operator", sw.getMetadata().getLabels().get(P0Pause.CREATED_BY));
        assertEquals(STS, sw.getMetadata().getLabels().get(DrainSwitch.ROLLOUT_LABEL));
        assertEquals(RolloutPhase.Draining.name(), cluster.annotation(RolloutState.PHASE));
        assertEquals("bourse-engine-1", cluster.annotation(RolloutState.POD));
        assertTrue(cluster.annotation(RolloutState.MESSAGE).startsWith("waiting for shard 1 to drain"),
                cluster.annotation(RolloutState.MESSAGE));
        assertEquals(R1, EnginePods.revision(cluster.pod(1)), "not deleted before the shard drained");

        cluster.drainCompletes = true; // operator-a's reconciler reports Drained=True
        awaitPhase(RolloutPhase.Done);
    }

    @Test
    void aDrainThatNeverCompletesBlocksTheRolloutUntilAPersonClearsIt() {
        cluster = new EngineCluster(2, CLEAN);
        cluster.drainCompletes = false;
        cluster.startOperator(Duration.ofSeconds(2));
        cluster.rollTo(R2);
        awaitPhase(RolloutPhase.Blocked);

        String message = cluster.annotation(RolloutState.MESSAGE);
        assertTrue(message.contains("Draining of pod bourse-engine-1 timed out after 2s waiting for shard 1 to drain"),
                message);
        assertTrue(message.contains("drain switch rollout-drain-shard-1 left in place"), message);
        assertNotNull(cluster.client.resources(TradingSwitch.class).inNamespace(NS).withName("rollout-drain-shard-1").get());
        Event event = cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "RolloutBlocked".equals(e.getReason())).findFirst().orElseThrow();
        assertEquals("Warning", event.getType());
        assertEquals("StatefulSet", event.getInvolvedObject().getKind());
        assertEquals(STS, event.getInvolvedObject().getName());
        assertTrue(event.getMessage().contains("kubectl annotate statefulset bourse-engine trading.bourse.dev/rollout-phase-"),
                event.getMessage());
        assertEquals(1.0, blockedGauge(), 0.0);

        // blocked means nothing happens, even once the drain completes
        cluster.drainCompletes = true;
        sleep(1_000);
        assertEquals(RolloutPhase.Blocked.name(), cluster.annotation(RolloutState.PHASE));
        assertEquals(List.of(), cluster.entries("pod-"));
        assertEquals(R1, EnginePods.revision(cluster.pod(0)));
        assertEquals(R1, EnginePods.revision(cluster.pod(1)));

        // a person looked, and clears the block: the rollout resumes at the pod it stopped at
        cluster.startOperator(LONG_STEP);
        cluster.client.apps().statefulSets().inNamespace(NS).withName(STS).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + RolloutState.PHASE + "\":null}}}");
        awaitPhase(RolloutPhase.Done);
        assertEquals(List.of("pod- bourse-engine-1", "pod- bourse-engine-0"), cluster.entries("pod-"));
        assertEquals(0.0, blockedGauge(), 0.0);
        assertTrue(cluster.client.resources(TradingSwitch.class).inNamespace(NS).list().getItems().isEmpty());
    }

    @Test
    void aLedgerAnomalyAfterARestartBlocksTheRolloutAndPausesOrders() {
        cluster = new EngineCluster(2, ANOMALY);
        cluster.startOperator(LONG_STEP);
        cluster.rollTo(R2);
        awaitPhase(RolloutPhase.Blocked);

        String message = cluster.annotation(RolloutState.MESSAGE);
        assertTrue(message.contains("failed: reconciliation: 1 ANOMALY"), message);
        assertTrue(message.contains("orders are paused by TradingSwitch " + P0Pause.NAME), message);
        TradingSwitch p0 = cluster.client.resources(TradingSwitch.class).inNamespace(NS).withName(P0Pause.NAME).get();
        assertNotNull(p0, "P0: the global pause");
        assertEquals(Boolean.TRUE, p0.getSpec().scope.global);
        assertNotNull(cluster.client.resources(TradingSwitch.class).inNamespace(NS).withName("rollout-drain-shard-1").get(),
                "the drained shard stays drained");
        assertEquals(R2, EnginePods.revision(cluster.pod(1)));
        assertEquals(R1, EnginePods.revision(cluster.pod(0)), "the next pod is not touched");
        assertEquals(List.of("pod- bourse-engine-1"), cluster.entries("pod-"));
        assertEquals(1.0, blockedGauge(), 0.0);
    }

    @Test
    void anOperatorRestartedMidRolloutResumesWhereItWas() {
        cluster = new EngineCluster(2, CLEAN);
        cluster.kubelet.hold(); // ledger checks keep running until released
        cluster.startOperator(LONG_STEP);
        cluster.rollTo(R2);
        awaitPhase(RolloutPhase.Reconciling);
        String run = cluster.annotation(RolloutState.RECONCILIATION);
        assertTrue(run.startsWith(R2 + "-shard-1-"), run);
        MockKube.await("the run's Job to start", Duration.ofSeconds(10), () -> cluster.kubelet.started.get() == 1);

        cluster.stopOperator();
        assertEquals(RolloutPhase.Reconciling.name(), cluster.annotation(RolloutState.PHASE), "the state is on the StatefulSet");
        assertEquals("bourse-engine-1", cluster.annotation(RolloutState.POD));
        assertEquals("rollout-drain-shard-1", cluster.annotation(RolloutState.DRAIN_SWITCH));

        cluster.startOperator(LONG_STEP);
        cluster.kubelet.release();
        awaitPhase(RolloutPhase.Done);
        assertEquals(List.of("pod- bourse-engine-1", "pod- bourse-engine-0"), cluster.entries("pod-"),
                "each pod rolled exactly once");
        assertEquals(2, cluster.entries("run+").size(), "the run in flight was adopted, not started again");
        assertEquals(2, cluster.kubelet.started.get(), "one Job per run: the Job in flight was adopted too");
        assertEquals("run+ " + run, cluster.entries("run+").get(0));
        assertEquals(List.of("switch+ rollout-drain-shard-1", "switch- rollout-drain-shard-1",
                "switch+ rollout-drain-shard-0", "switch- rollout-drain-shard-0"), cluster.entries("switch"));
        assertEquals(List.of(), cluster.twoDown);
    }

    @Test
    void aStatefulSetThatIsNotOnDeleteIsLeftToKubernetes() {
        cluster = new EngineCluster(1, CLEAN);
        cluster.edit(s -> s.getSpec().getUpdateStrategy().setType("RollingUpdate"));
        cluster.startOperator(LONG_STEP);
        cluster.rollTo(R2);
        MockKube.await("the roller to say why it does nothing", Duration.ofSeconds(20), () -> {
            String m = cluster.annotation(RolloutState.MESSAGE);
            return m != null && m.startsWith("updateStrategy is RollingUpdate");
        });
        sleep(500);
        assertNull(cluster.annotation(RolloutState.PHASE));
        assertEquals(List.of(), cluster.entries("pod-"));
        assertEquals(List.of(), cluster.entries("switch+"));
    }

    @Test
    void aPhaseTheRollerDoesNotKnowStopsIt() {
        cluster = new EngineCluster(1, CLEAN);
        cluster.edit(s -> s.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of(
                RolloutState.PHASE, "Rolling", RolloutState.POD, "bourse-engine-0"))));
        cluster.startOperator(LONG_STEP);
        cluster.rollTo(R2);
        awaitPhase(RolloutPhase.Blocked);
        assertTrue(cluster.annotation(RolloutState.MESSAGE).contains("unknown trading.bourse.dev/rollout-phase 'Rolling'"),
                cluster.annotation(RolloutState.MESSAGE));
        assertTrue(cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "RolloutBlocked".equals(e.getReason())));
        assertEquals(List.of(), cluster.entries("pod-"));
    }

    private void awaitPhase(RolloutPhase phase) {
        MockKube.await("rollout phase " + phase, ROLLOUT, () -> phase.name().equals(cluster.annotation(RolloutState.PHASE)));
    }

    private double blockedGauge() {
        return cluster.registry.get("bourse.operator.rollout.blocked").tag("statefulset", STS).gauge().value();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
