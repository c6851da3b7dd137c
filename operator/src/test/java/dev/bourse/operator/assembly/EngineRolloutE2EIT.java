package dev.bourse.operator.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.operator.harness.EngineCluster;
import dev.bourse.operator.harness.EngineKubelet;
import dev.bourse.operator.harness.OperatorHarness;
import dev.bourse.operator.harness.Timeline;
import dev.bourse.operator.model.Conditions;
import dev.bourse.operator.model.LedgerReconciliation;
import dev.bourse.operator.model.SwitchMode;
import dev.bourse.operator.model.TradingSwitch;
import dev.bourse.operator.model.TradingSwitchStatus;
import dev.bourse.operator.model.TradingSymbol;
import dev.bourse.operator.model.TradingSymbolSpec;
import dev.bourse.operator.reconciliation.JobKubelet;
import dev.bourse.operator.reconciliation.P0Pause;
import dev.bourse.operator.reconciliation.RunController;
import dev.bourse.operator.roller.RolloutPhase;
import dev.bourse.operator.roller.RolloutState;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safe rollout end to end: the real operator (all its reconcilers) on the mock API server, two real engine
 * processes (shard 0 runs BTC-USDT, shard 1 ETH-USDT) on one PostgreSQL database, the test playing the StatefulSet
 * controller and kubelet ({@link EngineKubelet}: a deleted pod's engine is killed and started again, and recovers from
 * the database) and the Job kubelet running the engine jar's real {@code reconcile} command
 * ({@link OperatorHarness#reconciliationJobs()}). Rollout reconciliations are held while the test looks at a drained
 * shard, then released.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class EngineRolloutE2EIT {
    private static final Duration WAIT = OperatorHarness.DEFAULT_WAIT;
    /** A step may take an engine restart (JVM start and recovery) on a busy 2-core machine. */
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String DRAIN_1 = "rollout-drain-shard-1";
    private static final String DRAIN_0 = "rollout-drain-shard-0";

    private EngineCluster engines;
    private OperatorHarness k8s;
    private Timeline timeline;
    private EngineKubelet kubelet;
    private JobKubelet jobs;
    private long alice;
    private long bob;
    /** Orders resting on each shard's book (shard → ordIds) that must survive every restart. */
    private final Map<Integer, List<String>> resting = Map.of(0, new ArrayList<>(), 1, new ArrayList<>());

    @BeforeAll
    void start() throws Exception {
        engines = EngineCluster.start("roll", 2);
        k8s = OperatorHarness.kubernetes(engines, 2);
        timeline = k8s.timeline();
        kubelet = k8s.engineKubelet(timeline);
        jobs = k8s.reconciliationJobs();
        k8s.startOperator(Map.of("ROLLOUT_POLL_INTERVAL", "200ms", "ROLLOUT_STEP_TIMEOUT", "60s",
                "RECONCILE_INTERVAL", "2s"));
        Map<String, String> funds = Map.of("BTC", "10", "ETH", "100", "USDT", "1000000");
        alice = engines.user("roll-alice", funds);
        bob = engines.user("roll-bob", funds);
        rest(0, btc(alice, "buy", "59000"));
        rest(0, btc(bob, "sell", "61000"));
        rest(1, eth(alice, "buy", "2900"));
        rest(1, eth(bob, "sell", "3100"));
    }

    @AfterAll
    void stop() {
        if (k8s != null) {
            k8s.close();
        }
        if (engines != null) {
            engines.close();
        }
    }

    /**
     * r1 → r2: shard 1, then shard 0, each drained by a real TradingSwitch, deleted, killed and recovered, checked by a
     * real reconcile run, resumed; orders resting before the rollout survive both restarts.
     */
    @Test
    @Order(1)
    void rollsBothShardsOneAtATimeThroughDrainRestartReconcileResume() throws Exception {
        int from = timeline.entries().size();
        jobs.hold(); // each pod's ledger check waits until the test has looked at the drained shard
        k8s.rollTo("r2");

        awaitStep(RolloutPhase.Reconciling, "bourse-engine-1");
        TradingSwitch drain = k8s.awaitCondition(TradingSwitch.class, DRAIN_1, TradingSwitch.DRAINED, Conditions.TRUE, WAIT);
        assertEquals(List.of("ETH-USDT"), drain.getSpec().scope.symbols, "the symbols engine 1 reported");
        assertEquals(SwitchMode.CancelOnly, drain.getSpec().mode);
        TradingSwitchStatus.ShardApplied shard1 = drain.getStatus().shards.stream().filter(s -> s.shard == 1)
                .findFirst().orElseThrow();
        assertTrue(shard1.confirmed && shard1.drained && shard1.queueLength == 0, drain.getStatus().shards.toString());
        JsonNode refused = eth(bob, "sell", "3150");
        assertEquals("51056", refused.path("sCode").asText(), "the drained shard is cancel-only: " + refused);
        assertTrue(refused.path("sMsg").asText().contains("rollout r2"), refused.toString());
        rest(0, accepted(btc(bob, "sell", "61500"), "shard 0 trades while shard 1 is rolled"));
        assertEquals("r1", revision(0), "one pod at a time");
        // release the run that exists now, and hold the next one (shard 0's) from the moment it starts
        OperatorHarness.await("shard 1's reconciliation Job started", WAIT, () -> jobs.started.get() >= 1);
        jobs.release();
        jobs.hold();

        k8s.awaitGone(TradingSwitch.class, DRAIN_1, WAIT);
        rest(1, accepted(eth(alice, "buy", "2950"), "shard 1 resumed"));

        awaitStep(RolloutPhase.Reconciling, "bourse-engine-0");
        k8s.awaitCondition(TradingSwitch.class, DRAIN_0, TradingSwitch.DRAINED, Conditions.TRUE, WAIT);
        assertEquals("51056", btc(alice, "buy", "58000").path("sCode").asText(), "shard 0 drained now");
        rest(1, accepted(eth(bob, "sell", "3120"), "shard 1 trades while shard 0 is rolled"));
        jobs.release();

        awaitPhase(RolloutPhase.Done);
        rest(0, accepted(btc(alice, "buy", "58000"), "shard 0 resumed"));

        List<String> steps = normalized(timeline.since(from));
        assertEquals(List.of(
                "switch+ " + DRAIN_1, "drained " + DRAIN_1,
                "pod- bourse-engine-1", "engine-1 killed", "pod+ bourse-engine-1@r2", "engine-1 recovered",
                "pod ready bourse-engine-1",
                "run+ r2-shard-1", "run Succeeded r2-shard-1", "switch- " + DRAIN_1,
                "switch+ " + DRAIN_0, "drained " + DRAIN_0,
                "pod- bourse-engine-0", "engine-0 killed", "pod+ bourse-engine-0@r2", "engine-0 recovered",
                "pod ready bourse-engine-0",
                "run+ r2-shard-0", "run Succeeded r2-shard-0", "switch- " + DRAIN_0),
                steps.stream().filter(e -> !e.startsWith("applied ")).toList(), timeline.toString());
        assertEquals(List.of(), kubelet.twoDown, "never two engines down");
        assertEquals(List.of(), kubelet.failures);

        // the books came back exactly (levels and time priority), and every resting order is live on its owner
        assertEquals(List.of(1, 0), kubelet.restarts.stream().map(EngineKubelet.Restart::shard).toList());
        for (EngineKubelet.Restart r : kubelet.restarts) {
            assertEquals(levels(r.booksBefore()), levels(r.booksAfter()), "shard " + r.shard() + " recovered its book");
            assertTrue(r.booksBefore().lines().anyMatch(l -> l.startsWith("  ")), "resting orders: " + r.booksBefore());
        }
        assertRestingOrdersLive();

        assertEquals("r2", k8s.annotation(RolloutState.REVISION));
        assertEquals("every pod runs revision r2", k8s.annotation(RolloutState.MESSAGE));
        assertNull(k8s.annotation(RolloutState.POD));
        assertEquals("r2", revision(0));
        assertEquals("r2", revision(1));
        List<LedgerReconciliation> runs = k8s.client().resources(LedgerReconciliation.class)
                .inNamespace(OperatorHarness.NAMESPACE).withLabel("trading.bourse.dev/rollout", OperatorHarness.STATEFULSET)
                .list().getItems();
        assertEquals(2, runs.size(), "one ledger check per pod");
        for (LedgerReconciliation run : runs) {
            assertEquals("Rollout", run.getSpec().trigger);
            assertEquals(RunController.SUCCEEDED, run.getStatus().phase, run.getStatus().summary);
            assertTrue(run.getStatus().summary.startsWith("reconciliation: CLEAN"), run.getStatus().summary);
        }
        assertEquals(2, jobs.started.get(), "one real reconcile run per pod");
        assertTrue(k8s.client().resources(TradingSwitch.class).inNamespace(OperatorHarness.NAMESPACE).list().getItems()
                .isEmpty(), "every drain switch removed");
        assertEquals(2.0, k8s.operator().registry().get("bourse.operator.rollout.pods.rolled").counter().count());
    }

    /**
     * r2 → r3 with a ledger anomaly appearing after pod 1's restart: its reconcile run fails, the operator pauses
     * orders everywhere (p0-ledger-anomaly, applied to both engines by the real switch reconciler) and blocks the
     * rollout before pod 0; the pause stays until a person (the test) deletes it.
     */
    @Test
    @Order(2)
    void aLedgerAnomalyAfterARestartBlocksTheRolloutAndPausesBothEngines() throws Exception {
        int from = timeline.entries().size();
        jobs.hold();
        k8s.rollTo("r3");
        awaitStep(RolloutPhase.Reconciling, "bourse-engine-1");

        // a symbol listed on shard 1 after its drain switch: only the P0 pause will stop it
        k8s.create(ethBtc());
        TradingSymbol listed = k8s.awaitCondition(TradingSymbol.class, "eth-btc", TradingSymbol.READY, Conditions.TRUE, WAIT);
        assertEquals(1, listed.getStatus().shard);
        String before = accepted(engines.limit(1, alice, "ETH-BTC", "buy", "0.049", "0.1"), "ETH-BTC trades before P0");

        // the release corrupted the ledger: money out of nowhere (a one-legged deposit and the balance it "credited")
        try (Connection c = engines.jdbc(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO accounts (account_id, kind, name) VALUES (990001, 'USER', 'mallory')");
            s.execute("INSERT INTO ledger_entries (posting_key, leg, kind, account_id, asset_id, bucket, amount) "
                    + "VALUES ('deposit:forged', 0, 'DEPOSIT', 990001, 2, 'available', 500000000)");
            s.execute("INSERT INTO balances (account_id, asset_id, available, held) VALUES (990001, 2, 500000000, 0)");
        }
        jobs.release();

        awaitPhase(RolloutPhase.Blocked);
        String run = k8s.annotation(RolloutState.RECONCILIATION);
        assertTrue(run.startsWith("r3-shard-1-"), run);
        String message = k8s.annotation(RolloutState.MESSAGE);
        assertTrue(message.contains("LedgerReconciliation " + run + " failed: reconciliation: "), message);
        assertTrue(message.contains("posting_set_balance posting set deposit:forged"), message);
        assertTrue(message.contains("orders are paused by TradingSwitch " + P0Pause.NAME), message);
        assertTrue(message.contains("drain switch " + DRAIN_1 + " left in place"), message);
        Event blocked = k8s.events(OperatorHarness.STATEFULSET).stream()
                .filter(e -> "RolloutBlocked".equals(e.getReason())).findFirst().orElseThrow();
        assertEquals("Warning", blocked.getType());
        assertEquals("StatefulSet", blocked.getInvolvedObject().getKind());
        assertEquals(1.0, k8s.operator().registry().get("bourse.operator.rollout.blocked").gauge().value());

        LedgerReconciliation failed = k8s.get(LedgerReconciliation.class, run);
        assertEquals(RunController.FAILED, failed.getStatus().phase);
        assertEquals(P0Pause.NAME, failed.getStatus().pauseSwitch);
        assertTrue(failed.getStatus().anomalies >= 1, failed.getStatus().summary);

        // the P0 pause is applied by the real switch reconciler on both real engines
        TradingSwitch p0 = k8s.awaitCondition(TradingSwitch.class, P0Pause.NAME, TradingSwitch.APPLIED, Conditions.TRUE,
                WAIT);
        assertEquals(SwitchMode.PauseOrders, p0.getSpec().mode);
        assertEquals(List.of(0, 1), p0.getStatus().shards.stream().filter(s -> s.confirmed).map(s -> s.shard).toList());
        for (int shard = 0; shard < 2; shard++) {
            JsonNode active = engines.status(shard).path("activeSwitches");
            assertTrue(active.toString().contains("\"" + P0Pause.NAME + "\""), "shard " + shard + ": " + active);
        }
        JsonNode paused0 = btc(bob, "sell", "62000");
        assertEquals("51009", paused0.path("sCode").asText(), paused0.toString());
        assertTrue(paused0.path("sMsg").asText().contains("P0 ledger anomaly"), paused0.toString());
        JsonNode paused1 = engines.limit(1, alice, "ETH-BTC", "buy", "0.048", "0.1");
        assertEquals("51009", paused1.path("sCode").asText(), paused1.toString());
        assertEquals("51056", eth(bob, "sell", "3150").path("sCode").asText(),
                "ETH-USDT stays cancel-only: the drain switch is stricter than the pause");
        assertEquals("0", cancel(1, alice, "ETH-BTC", before).path("sCode").asText(), "cancels pass the pause");

        // pod 0 was not touched, and nothing changes until a person acts
        assertEquals("r2", revision(0));
        assertEquals("r3", revision(1));
        long until = System.nanoTime() + Duration.ofMillis(2_500).toNanos(); // more than a RECONCILE_INTERVAL
        while (System.nanoTime() < until) {
            assertNotNull(k8s.get(TradingSwitch.class, P0Pause.NAME), "only a person lifts the P0 pause");
            assertEquals(RolloutPhase.Blocked.name(), k8s.annotation(RolloutState.PHASE));
            Thread.sleep(200);
        }
        assertEquals("51009", btc(bob, "sell", "62000").path("sCode").asText());
        List<String> steps = normalized(timeline.since(from));
        assertEquals(List.of("pod- bourse-engine-1"), steps.stream().filter(e -> e.startsWith("pod-")).toList(),
                timeline.toString());
        // the run's result and the pause are written by different reconcilers: both happened, the drain switch stayed
        assertTrue(steps.containsAll(List.of("run Failed r3-shard-1", "switch+ " + P0Pause.NAME,
                "applied " + P0Pause.NAME)), timeline.toString());
        assertFalse(steps.contains("switch- " + DRAIN_1), timeline.toString());
        assertEquals(List.of(), kubelet.twoDown);
        assertEquals(List.of(), kubelet.failures);

        // the person resumes trading: the engines accept orders again (shard 1's ETH-USDT stays drained: blocked)
        k8s.delete(TradingSwitch.class, P0Pause.NAME);
        k8s.awaitGone(TradingSwitch.class, P0Pause.NAME, WAIT);
        rest(0, accepted(btc(bob, "sell", "62000"), "shard 0 after the pause"));
        accepted(engines.limit(1, alice, "ETH-BTC", "buy", "0.048", "0.1"), "shard 1 after the pause");
        assertEquals("51056", eth(bob, "sell", "3150").path("sCode").asText());
        assertEquals(RolloutPhase.Blocked.name(), k8s.annotation(RolloutState.PHASE));
        assertRestingOrdersLive();
    }

    // ------------------------------------------------------------------ helpers

    private JsonNode btc(long user, String side, String px) throws Exception {
        return engines.limit(0, user, "BTC-USDT", side, px, "0.01");
    }

    private JsonNode eth(long user, String side, String px) throws Exception {
        return engines.limit(1, user, "ETH-USDT", side, px, "0.1");
    }

    private JsonNode cancel(int shard, long user, String instId, String ordId) throws Exception {
        return engines.engine(shard).post("/internal/v1/orders/cancel", "{\"userId\":\"" + user + "\",\"instId\":\""
                + instId + "\",\"ordId\":\"" + ordId + "\"}").first();
    }

    private static String accepted(JsonNode order, String what) {
        assertEquals("0", order.path("sCode").asText(), what + ": " + order);
        return order.path("ordId").asText();
    }

    private void rest(int shard, JsonNode order) {
        rest(shard, accepted(order, "resting order on shard " + shard));
    }

    private void rest(int shard, String ordId) {
        resting.get(shard).add(ordId);
    }

    /** Every resting order is live in the database and in its owner's book (in memory, after the restarts). */
    private void assertRestingOrdersLive() throws Exception {
        for (var e : resting.entrySet()) {
            String books = engines.engine(e.getKey()).get("/internal/v1/books").body();
            for (String ordId : e.getValue()) {
                JsonNode o = engines.engine(e.getKey()).get("/internal/v1/orders/" + ordId).first();
                assertEquals("live", o.path("state").asText(), o.toString());
                assertTrue(books.contains(ordId), "order " + ordId + " in the book of shard " + e.getKey() + ":\n" + books);
            }
        }
    }

    /** A canonical book dump without its sequence numbers: a recovered book is judged by its levels and queues. */
    private static List<String> levels(String books) {
        return books.lines().map(l -> l.replaceAll(" seqId=\\d+", "")).collect(Collectors.toList());
    }

    /** Run names end in a timestamp: {@code r2-shard-1-sx3k} becomes {@code r2-shard-1}. */
    private static List<String> normalized(List<String> entries) {
        return entries.stream().map(e -> e.replaceAll("^(run .*-shard-\\d+)-[0-9a-z]+$", "$1")
                .replaceAll("^(run\\+ .*-shard-\\d+)-[0-9a-z]+$", "$1")).toList();
    }

    private String revision(int shard) {
        return k8s.pod(shard).getMetadata().getLabels().get(OperatorHarness.REVISION_LABEL);
    }

    private void awaitPhase(RolloutPhase phase) {
        OperatorHarness.await("rollout phase " + phase, STEP.multipliedBy(2),
                () -> phase.name().equals(k8s.annotation(RolloutState.PHASE)), this::rolloutState);
    }

    private void awaitStep(RolloutPhase phase, String pod) {
        OperatorHarness.await("rollout phase " + phase + " at " + pod, STEP.multipliedBy(2),
                () -> phase.name().equals(k8s.annotation(RolloutState.PHASE)) && pod.equals(k8s.annotation(RolloutState.POD)),
                this::rolloutState);
    }

    private String rolloutState() {
        return k8s.statefulSet().getMetadata().getAnnotations() + "\n" + timeline;
    }

    /** ETH-BTC (both assets listed already), pinned to shard 1. */
    private static TradingSymbol ethBtc() {
        TradingSymbol ts = new TradingSymbol();
        ts.setMetadata(new ObjectMetaBuilder().withName("eth-btc").build());
        TradingSymbolSpec s = new TradingSymbolSpec();
        s.instId = "ETH-BTC";
        s.baseCcy = "ETH";
        s.quoteCcy = "BTC";
        s.baseScale = 8;
        s.quoteScale = 8;
        s.tickSz = "0.00001";
        s.lotSz = "0.001";
        s.minSz = "0.001";
        s.maxSz = "10000";
        s.refPx = "0.05";
        s.priceBandBps = 1000;
        s.fees = new TradingSymbolSpec.Fees();
        s.fees.maker = "0.0008";
        s.fees.taker = "0.001";
        s.shard = 1;
        s.reason = "listed during the rollout";
        ts.setSpec(s);
        return ts;
    }
}
