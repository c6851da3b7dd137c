package dev.bourse.operator.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.operator.harness.EngineCluster;
import dev.bourse.testkit.EngineProcess;
import dev.bourse.operator.harness.OperatorHarness;
import dev.bourse.operator.model.Conditions;
import dev.bourse.operator.model.SwitchMode;
import dev.bourse.operator.model.TradingSwitch;
import dev.bourse.operator.model.TradingSwitchSpec;
import dev.bourse.operator.model.TradingSwitchStatus;
import io.fabric8.kubernetes.api.model.Condition;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TradingSwitch end to end: the real operator on the mock API server pushes switches to two real engine processes
 * (shard 0 owns BTC-USDT, shard 1 ETH-USDT) and reports what every shard enforces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class TradingSwitchIT {
    private static final Duration WAIT = OperatorHarness.DEFAULT_WAIT;
    private EngineCluster engines;
    private OperatorHarness k8s;
    private long alice;
    private long bob;

    @BeforeAll
    void start() throws Exception {
        engines = EngineCluster.start("tsw", 2);
        k8s = OperatorHarness.start(engines);
        Map<String, String> funds = Map.of("BTC", "10", "ETH", "100", "USDT", "1000000");
        alice = engines.user("tsw-alice", funds);
        bob = engines.user("tsw-bob", funds);
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

    static TradingSwitch globalSwitch(String name, SwitchMode mode, boolean drain, String reason) {
        TradingSwitch sw = new TradingSwitch();
        sw.setMetadata(new ObjectMetaBuilder().withName(name).build());
        TradingSwitchSpec spec = new TradingSwitchSpec();
        spec.scope = new TradingSwitchSpec.Scope();
        spec.scope.global = true;
        spec.mode = mode;
        spec.drain = drain ? Boolean.TRUE : null;
        spec.reason = reason;
        sw.setSpec(spec);
        return sw;
    }

    private JsonNode btc(long user, String side, String px) throws Exception {
        return engines.limit(0, user, "BTC-USDT", side, px, "0.01");
    }

    private JsonNode eth(long user, String side, String px) throws Exception {
        return engines.limit(1, user, "ETH-USDT", side, px, "0.1");
    }

    @Test
    @Order(1)
    void pauseOrdersIsAppliedOnEveryShardAndDeletingTheResourceLiftsIt() throws Exception {
        assertEquals("0", btc(alice, "buy", "59000").path("sCode").asText(), "trading before the switch");

        k8s.create(globalSwitch("incident-42", SwitchMode.PauseOrders, false, "P0 reconciliation anomaly"));
        TradingSwitch sw = k8s.awaitCondition(TradingSwitch.class, "incident-42", TradingSwitch.APPLIED, Conditions.TRUE,
                WAIT);
        TradingSwitchStatus st = sw.getStatus();
        assertEquals(sw.getMetadata().getGeneration(), st.observedGeneration);
        assertTrue(sw.getMetadata().getFinalizers().contains("tradingswitches.trading.bourse.dev/finalizer"),
                "deleting must reach the engines: " + sw.getMetadata().getFinalizers());
        assertEquals(2, st.shards.size(), st.shards.toString());
        for (TradingSwitchStatus.ShardApplied s : st.shards) {
            assertTrue(s.confirmed, "shard " + s.shard);
            assertTrue(s.appliedVersion >= st.boardVersion);
            assertEquals(s.shard == 0 ? "bourse-engine-0" : "bourse-engine-1", s.pod);
        }
        assertTrue(Conditions.find(st.conditions, TradingSwitch.DRAINED).isEmpty(), "no Drained for a non-drain switch");

        JsonNode refused = btc(bob, "sell", "61000");
        assertEquals("51009", refused.path("sCode").asText(), refused.toString());
        assertTrue(refused.path("sMsg").asText().contains("P0 reconciliation anomaly"), refused.toString());
        assertEquals("51009", eth(bob, "sell", "3050").path("sCode").asText(), "shard 1 pauses too");
        assertTrue(k8s.events("incident-42").stream().anyMatch(e -> "Applied".equals(e.getReason())));

        // a spec change is a new generation: the engines hold it, the status says so
        k8s.edit(TradingSwitch.class, "incident-42", r -> {
            r.getSpec().mode = SwitchMode.CancelOnly;
            return r;
        });
        sw = k8s.awaitCondition(TradingSwitch.class, "incident-42", TradingSwitch.APPLIED, Conditions.TRUE, WAIT);
        assertEquals(2L, sw.getMetadata().getGeneration());
        assertEquals(2L, sw.getStatus().observedGeneration);
        assertEquals("51056", btc(bob, "sell", "61000").path("sCode").asText(), "cancel-only now");
        JsonNode engineSwitch = engines.engine(1).get("/internal/v1/switches/incident-42").first();
        assertEquals("cancel_only", engineSwitch.path("mode").asText());
        assertEquals(2, engineSwitch.path("generation").asLong());

        k8s.delete(TradingSwitch.class, "incident-42");
        k8s.awaitGone(TradingSwitch.class, "incident-42", WAIT);
        assertEquals(404, engines.engine(0).get("/internal/v1/switches/incident-42").status(), "engine switch deleted");
        assertEquals("0", eth(bob, "sell", "3050").path("sCode").asText(), "lifted on shard 1");
        assertEquals("0", btc(bob, "sell", "61000").path("sCode").asText(), "lifted on shard 0");
        assertTrue(k8s.events("incident-42").stream().anyMatch(e -> "Lifted".equals(e.getReason())));
    }

    /**
     * A real queue: a test transaction holds {@code LOCK TABLE batches}, so shard 0's sequencer blocks inside the
     * commit of its first batch while further orders wait in its queue. Drained must stay False until the lock is
     * released, the queued orders are answered (refused: the drain switch implies cancel-only) and the queue is empty;
     * a spec change while a batch is stuck resets Drained for the new generation.
     */
    @Test
    @Order(2)
    void drainIsReportedOnlyAfterTheQueueEmptiesAndASpecChangeResetsIt() throws Exception {
        List<String> resting = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            JsonNode r = btc(alice, "buy", Integer.toString(55000 + i));
            assertEquals("0", r.path("sCode").asText(), r.toString());
            resting.add(r.path("ordId").asText());
        }
        ExecutorService pool = Executors.newFixedThreadPool(24);
        try (Connection lock = engines.jdbc()) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE batches IN EXCLUSIVE MODE");
            }
            List<CompletableFuture<JsonNode>> orders = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String px = Integer.toString(56000 + i);
                orders.add(CompletableFuture.supplyAsync(() -> call(() -> btc(bob, "buy", px)), pool));
            }
            awaitStuck(0, true);

            k8s.create(globalSwitch("release-drain", SwitchMode.CancelOnly, true, "release 1.2"));
            TradingSwitch sw = k8s.awaitCondition(TradingSwitch.class, "release-drain", TradingSwitch.DRAINED,
                    Conditions.FALSE, WAIT);
            assertEquals("Draining", condition(sw, TradingSwitch.DRAINED).getReason());
            assertFalse(sw.getStatus().shards.get(0).confirmed, "shard 0 is inside a batch: it cannot adopt the switch");
            assertTrue(sw.getStatus().shards.get(1).confirmed, "shard 1 is idle and enforces it at once");
            // while the batch is stuck, Drained never turns True
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            while (System.nanoTime() < until) {
                TradingSwitch now = k8s.get(TradingSwitch.class, "release-drain");
                assertNotEquals(Conditions.TRUE, condition(now, TradingSwitch.DRAINED).getStatus());
                Thread.sleep(100);
            }
            assertTrue(engines.status(0).path("queueLength").asInt() > 0, "orders still queued");
            lock.rollback();

            sw = k8s.awaitCondition(TradingSwitch.class, "release-drain", TradingSwitch.DRAINED, Conditions.TRUE, WAIT);
            assertEquals(1L, sw.getStatus().observedGeneration);
            for (TradingSwitchStatus.ShardApplied s : sw.getStatus().shards) {
                assertTrue(s.confirmed && s.drained && s.queueLength == 0, s.shard + ": " + sw.getStatus().shards);
            }
            CompletableFuture.allOf(orders.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            long accepted = orders.stream().filter(f -> "0".equals(f.join().path("sCode").asText())).count();
            long refused = orders.stream().filter(f -> "51056".equals(f.join().path("sCode").asText())).count();
            assertEquals(orders.size(), accepted + refused, orders.stream().map(CompletableFuture::join).toList().toString());
            assertTrue(accepted >= 1, "the batch in flight when the switch came committed");
            assertTrue(refused >= 1, "orders queued behind it were judged by the drain switch");
            assertTrue(k8s.events("release-drain").stream().anyMatch(e -> "Drained".equals(e.getReason())));

            // cancels pass a cancel-only drain and are written in batches: stall one, then change the spec
            try (Statement st = lock.createStatement()) {
                st.execute("LOCK TABLE batches IN EXCLUSIVE MODE");
            }
            List<CompletableFuture<JsonNode>> cancels = new ArrayList<>();
            for (String ordId : resting) {
                cancels.add(CompletableFuture.supplyAsync(() -> call(() -> engines.engine(0).post(
                        "/internal/v1/orders/cancel", "{\"userId\":\"" + alice + "\",\"instId\":\"BTC-USDT\",\"ordId\":\""
                                + ordId + "\"}").first()), pool));
            }
            awaitStuck(0, false);
            k8s.edit(TradingSwitch.class, "release-drain", r -> {
                r.getSpec().reason = "release 1.2, second attempt";
                return r;
            });
            sw = k8s.awaitCondition(TradingSwitch.class, "release-drain", TradingSwitch.DRAINED, Conditions.FALSE, WAIT);
            assertEquals(2L, sw.getMetadata().getGeneration());
            assertEquals(2L, condition(sw, TradingSwitch.DRAINED).getObservedGeneration(),
                    "kubectl wait --for=condition=Drained cannot pass on the old generation's status");
            lock.rollback();
            sw = k8s.awaitCondition(TradingSwitch.class, "release-drain", TradingSwitch.DRAINED, Conditions.TRUE, WAIT);
            assertEquals(2L, sw.getStatus().observedGeneration);
            for (CompletableFuture<JsonNode> c : cancels) {
                assertEquals("0", c.get(10, TimeUnit.SECONDS).path("sCode").asText(), "cancels pass a drain");
            }
        } finally {
            pool.shutdownNow();
        }
        k8s.delete(TradingSwitch.class, "release-drain");
        k8s.awaitGone(TradingSwitch.class, "release-drain", WAIT);
    }

    /**
     * A crashed pod comes back with the switch: the operator notices the missing shard (Applied False), pushes the
     * switch again when it disappeared from the board meanwhile, and reports Applied once the pod is back.
     */
    @Test
    @Order(3)
    void aRestartedPodGetsTheStateAgain() throws Exception {
        k8s.create(globalSwitch("maintenance", SwitchMode.PauseOrders, false, "maintenance window"));
        k8s.awaitCondition(TradingSwitch.class, "maintenance", TradingSwitch.APPLIED, Conditions.TRUE, WAIT);

        engines.kill(1);
        k8s.pod(1, false);
        TradingSwitch sw = k8s.awaitCondition(TradingSwitch.class, "maintenance", TradingSwitch.APPLIED, Conditions.FALSE,
                WAIT);
        assertFalse(sw.getStatus().shards.get(1).confirmed);
        assertTrue(condition(sw, TradingSwitch.APPLIED).getMessage().contains("[1]"), condition(sw, TradingSwitch.APPLIED)
                .getMessage());

        // meanwhile someone removes the engine switch by hand: the operator puts it back (level-triggered)
        EngineProcess.Response removed = adminDelete(engines.engine(0), "maintenance");
        assertEquals("0", removed.code(), removed.toString());
        OperatorHarness.await("switch pushed again", WAIT, () -> engines.engine(0)
                .get("/internal/v1/switches/maintenance").status() == 200);

        engines.restart(1);
        k8s.pod(1, true);
        sw = k8s.awaitCondition(TradingSwitch.class, "maintenance", TradingSwitch.APPLIED, Conditions.TRUE, WAIT);
        assertTrue(sw.getStatus().shards.get(1).confirmed);
        assertEquals("51009", eth(bob, "sell", "3050").path("sCode").asText(), "the restarted shard enforces the switch");
        assertEquals("51009", btc(bob, "sell", "61000").path("sCode").asText());

        k8s.delete(TradingSwitch.class, "maintenance");
        k8s.awaitGone(TradingSwitch.class, "maintenance", WAIT);
        assertEquals("0", eth(bob, "sell", "3050").path("sCode").asText());
    }

    private static EngineProcess.Response adminDelete(EngineProcess e, String name) throws Exception {
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(e.baseUri().resolve("/admin/v1/switches/" + name))
                .header("X-Admin-Token", EngineCluster.ADMIN_TOKEN).DELETE().timeout(Duration.ofSeconds(30)).build();
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpResponse<String> r = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
            return new EngineProcess.Response(r.statusCode(), r.body(), EngineProcess.MAPPER.readTree(r.body()));
        }
    }

    /** Waits until shard {@code shard} is inside a batch it cannot commit (with more commands queued behind it). */
    private void awaitStuck(int shard, boolean withQueue) {
        OperatorHarness.await("shard " + shard + " stuck in a batch" + (withQueue ? " with a queue" : ""), WAIT, () -> {
            JsonNode s = engines.status(shard);
            return s.path("batchesInFlight").asInt() == 1 && (!withQueue || s.path("queueLength").asInt() > 0);
        }, () -> engines.status(shard).toString());
    }

    private static Condition condition(TradingSwitch sw, String type) {
        return Conditions.find(sw.getStatus().conditions, type).orElseThrow(() -> new AssertionError("no " + type
                + " condition: " + sw.getStatus().conditions));
    }

    interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
