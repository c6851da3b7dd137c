package dev.bourse.server.metrics;

import dev.bourse.testkit.EngineProcess;
import dev.bourse.server.support.OkxRestClient;
import dev.bourse.server.support.OkxRestClient.Answer;
import dev.bourse.server.support.OkxWsClient;
import dev.bourse.server.support.TestExchange;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} of a real engine process under a scripted workload: the runbook §2 metrics that exist
 * must be exposed under the names docs/metrics.md, the dashboards and the alert rules use, and must count
 * exactly what happened (accepted and rejected commands, a deduplicated retry, a trade pushed over
 * WebSocket, disconnects by reason, admin and authentication failures).
 *
 * <p>One engine (shard 0, BTC-USDT) on a fresh PostgreSQL database; every count is asserted as the
 * difference from a scrape taken before the workload, so nothing the engine does at start-up can make it
 * pass or fail by accident.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class MetricsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Short, so the idle-disconnect reason can be observed; every connection below pings well within it. */
    private static final long WS_IDLE_MS = 3_000;

    @AutoClose
    private TestExchange exchange;
    private EngineProcess engine;
    private OkxRestClient alice;
    private OkxRestClient bob;
    private OkxRestClient.Credentials aliceKey;

    @BeforeAll
    void start() throws Exception {
        exchange = TestExchange.builder("metrics")
                .shards(0)
                .env("WS_IDLE_TIMEOUT_MS", Long.toString(WS_IDLE_MS))
                .traders(Map.of("BTC", "10", "USDT", "1000000"), "alice", "bob")
                .start();
        engine = exchange.engine(0);
        aliceKey = exchange.key("alice");
        alice = exchange.client(0, "alice");
        bob = exchange.client(0, "bob");
    }

    /** One scrape; values looked up by name and label fragments ({@code result="accepted"}). */
    private record Scrape(String text) {
        double v(String name, String... labels) {
            return EngineProcess.metricValue(text, name, labels);
        }

        boolean has(String name) {
            return text.contains("\n" + name + " ") || text.contains("\n" + name + "{") || text.startsWith(name);
        }
    }

    private Scrape scrape() throws IOException, InterruptedException {
        EngineProcess.Response r = engine.get("/metrics");
        assertEquals(200, r.status(), r.body());
        return new Scrape(r.body());
    }

    private static String order(String side, String px, String sz, String clOrdId) {
        return "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"" + side + "\",\"ordType\":\"limit\",\"px\":\"" + px
                + "\",\"sz\":\"" + sz + "\"" + (clOrdId == null ? "" : ",\"clOrdId\":\"" + clOrdId + "\"") + "}";
    }

    @Test
    void workloadIsCountedExactlyUnderTheDocumentedNames() throws Exception {
        Scrape before = scrape();
        for (String name : List.of("bourse_commands_total", "bourse_dedup_hits_total", "bourse_shard_queue_length",
                "bourse_shard_ready", "bourse_batch_commit_seconds_count", "bourse_command_latency_seconds_count",
                "bourse_ws_connections", "bourse_ws_disconnects_total", "bourse_ws_push_latency_seconds_bucket",
                "bourse_ws_snapshot_resends_total", "bourse_event_replayed_batches_total",
                "bourse_admin_permission_failures_total", "bourse_audit_write_failures_total")) {
            assertTrue(before.has(name), name + " exposed before any traffic");
        }
        assertEquals(1.0, before.v("bourse_shard_ready", "shard=\"0\""));
        // the SLO bucket exists, so histogram_quantile and the 50 ms alert have an exact boundary
        assertTrue(before.text().contains("bourse_ws_push_latency_seconds_bucket{le=\"0.05\"}"), "0.05 bucket");

        // a public WS subscriber for the trades the workload makes
        try (OkxWsClient ws = OkxWsClient.connect(engine, "/ws/v5/public")) {
            ws.subscribe("{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"}");
            await("one WS connection", () -> metric("bourse_ws_connections") == 1.0);

            // every step pings, so the short idle timeout never closes this subscriber
            // accepted: alice's ask, bob's resting bid
            Answer ask = alice.post("/api/v5/trade/order", order("sell", "60000", "0.01", "ask1"));
            assertEquals("0", ask.code(), ask.toString());
            ws.send("ping");
            Answer bid = bob.post("/api/v5/trade/order", order("buy", "57000", "0.001", "bid1"));
            assertEquals("0", bid.code(), bid.toString());
            ws.send("ping");
            // a retried clOrdId with the same order: answered with the original, applied once
            Answer retry = alice.post("/api/v5/trade/order", order("sell", "60000", "0.01", "ask1"));
            assertEquals("0", retry.code(), retry.toString());
            assertEquals(ask.first().path("ordId").asText(), retry.first().path("ordId").asText());
            ws.send("ping");
            // rejected by the shard: more USDT than bob has
            Answer broke = bob.post("/api/v5/trade/order", order("buy", "60000", "900", null));
            assertEquals("51008", broke.first().path("sCode").asText(), broke.toString());
            ws.send("ping");
            // refused before the shard (price off the tick): never a shard command
            Answer offTick = bob.post("/api/v5/trade/order", order("buy", "57000.05", "0.001", null));
            assertEquals("51000", offTick.code(), offTick.toString());
            ws.send("ping");
            // a cancel
            Answer cancel = bob.post("/api/v5/trade/cancel-order", "{\"instId\":\"BTC-USDT\",\"clOrdId\":\"bid1\"}");
            assertEquals("0", cancel.code(), cancel.toString());
            ws.send("ping");
            // a trade: bob lifts 0.002 of alice's ask
            Answer take = bob.post("/api/v5/trade/order", order("buy", "60000", "0.002", "take1"));
            assertEquals("0", take.code(), take.toString());
            ws.send("ping");
            ws.await(n -> "trades".equals(n.path("arg").path("channel").asText()) && n.has("data"), Duration.ofSeconds(10));
        }
        await("the client's close to be counted", () ->
                metric("bourse_ws_disconnects_total", "endpoint=\"public\"", "reason=\"client\"")
                        - before.v("bourse_ws_disconnects_total", "endpoint=\"public\"", "reason=\"client\"") == 1.0);

        Scrape after = scrape();
        // 5 commands reached the shard and were accepted (ask, bid, the retry, the cancel, the taker), 1 rejected
        assertEquals(5.0, after.v("bourse_commands_total", "result=\"accepted\"") - before.v("bourse_commands_total", "result=\"accepted\""));
        assertEquals(1.0, after.v("bourse_commands_total", "result=\"rejected\"") - before.v("bourse_commands_total", "result=\"rejected\""));
        assertEquals(0.0, after.v("bourse_commands_total", "result=\"queue_full\""));
        // funds-safety gauges: nothing negative; no reconciliation report stored in this database yet
        assertEquals(0.0, after.v("bourse_negative_balances"));
        assertEquals(-1.0, after.v("bourse_reconciliation_anomalies"));
        // per-symbol series: every command that reached the engine is counted per symbol and timed per symbol
        double perSymbol = after.v("bourse_symbol_commands_total") - before.v("bourse_symbol_commands_total");
        assertTrue(perSymbol >= 5, "per-symbol commands " + perSymbol);
        assertTrue(after.v("bourse_order_latency_seconds_count") - before.v("bourse_order_latency_seconds_count") >= 5);
        assertTrue(after.v("bourse_matching_seconds_count") - before.v("bourse_matching_seconds_count") >= 5);
        assertEquals(1.0, after.v("bourse_dedup_hits_total", "kind=\"clOrdId\"") - before.v("bourse_dedup_hits_total", "kind=\"clOrdId\""));
        assertEquals(6.0, after.v("bourse_command_latency_seconds_count") - before.v("bourse_command_latency_seconds_count"));
        assertEquals(0.0, after.v("bourse_batch_conflicts_total"));
        assertEquals(0.0, after.v("bourse_batch_failures_total"));
        assertEquals(0.0, after.v("bourse_shard_queue_length"));
        assertTrue(after.v("bourse_batch_commit_seconds_count") - before.v("bourse_batch_commit_seconds_count") >= 1);
        // the trader-API view of the same requests: six order placements answered, one cancel
        assertEquals(6.0, after.v("bourse_api_requests_total", "endpoint=\"/trade/order\"")
                - before.v("bourse_api_requests_total", "endpoint=\"/trade/order\""));
        assertEquals(1.0, after.v("bourse_api_requests_total", "endpoint=\"/trade/cancel-order\"", "code=\"0\"")
                - before.v("bourse_api_requests_total", "endpoint=\"/trade/cancel-order\"", "code=\"0\""));
        assertEquals(1.0, after.v("bourse_api_requests_total", "code=\"51000\"") - before.v("bourse_api_requests_total", "code=\"51000\""));
        assertEquals(1.0, after.v("bourse_order_entry_total", "route=\"local\"", "code=\"51008\"")
                - before.v("bourse_order_entry_total", "route=\"local\"", "code=\"51008\""));
        assertEquals(5.0, after.v("bourse_order_entry_total", "route=\"local\"", "code=\"0\"")
                - before.v("bourse_order_entry_total", "route=\"local\"", "code=\"0\""));
        // WebSocket: the trade push was timed; nothing closed for any reason but the client's own close
        assertTrue(after.v("bourse_ws_push_latency_seconds_count") - before.v("bourse_ws_push_latency_seconds_count") >= 1);
        assertTrue(after.v("bourse_ws_messages_sent_total") - before.v("bourse_ws_messages_sent_total") >= 3,
                "subscribe ack, pong, trades push");
        assertEquals(0.0, after.v("bourse_ws_connections"));
        assertEquals(1.0, after.v("bourse_ws_disconnects_total") - before.v("bourse_ws_disconnects_total"));
        assertEquals(0.0, after.v("bourse_ws_subscribe_errors_total"));
    }

    @Test
    void idleConnectionsAreCountedByReason() throws Exception {
        double idleBefore = metric("bourse_ws_disconnects_total", "endpoint=\"business\"", "reason=\"idle\"");
        double legacyBefore = metric("bourse_ws_idle_disconnects_total");
        try (OkxWsClient quiet = OkxWsClient.connect(engine, "/ws/v5/business")) {
            await("the idle connection to be closed", quiet::isClosed);
        }
        await("the idle close to be counted", () ->
                metric("bourse_ws_disconnects_total", "endpoint=\"business\"", "reason=\"idle\"") - idleBefore == 1.0);
        assertEquals(1.0, metric("bourse_ws_idle_disconnects_total") - legacyBefore);
        assertEquals(0.0, metric("bourse_ws_disconnects_total", "reason=\"slow_consumer\""));
    }

    @Test
    void adminAndAuthenticationFailuresAreCounted() throws Exception {
        Scrape before = scrape();
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(engine.baseUri().resolve("/admin/v1/api-keys"))
                .timeout(Duration.ofSeconds(10)).header("X-Admin-Token", "wrong-token")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode(), refused.body());
        Answer badSign = alice.send("GET", "/api/v5/account/balance", "", OkxRestClient.isoNow(), "AAAA" + "=".repeat(40));
        assertEquals("50113", badSign.code(), badSign.toString());

        Scrape after = scrape();
        assertEquals(1.0, after.v("bourse_admin_permission_failures_total") - before.v("bourse_admin_permission_failures_total"));
        assertEquals(1.0, after.v("bourse_auth_failures_total", "code=\"50113\"") - before.v("bourse_auth_failures_total", "code=\"50113\""));
        // the two API keys of the set-up, nothing since
        assertEquals(2.0, after.v("bourse_admin_operations_total", "action=\"api_key.create\""));
        assertEquals(0.0, after.v("bourse_audit_write_failures_total"));
    }

    /**
     * Every {@code bourse_*} family the engine exposes is documented in docs/metrics.md (a {@code _max}
     * companion of a timer or summary counts as its base name).
     */
    @Test
    void everyExposedMetricIsDocumented() throws Exception {
        // traffic first, so the families registered on first use are there too
        assertEquals("0", alice.get("/api/v5/account/balance").code());
        String doc = Files.readString(repoFile("docs/metrics.md"));
        TreeSet<String> families = new TreeSet<>();
        for (String line : scrape().text().split("\n")) {
            if (line.startsWith("# TYPE bourse_")) {
                families.add(line.split(" ")[2]);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String f : families) {
            String base = f.endsWith("_max") && families.contains(f.substring(0, f.length() - 4))
                    ? f.substring(0, f.length() - 4) : f;
            if (!doc.contains("`" + base + "`")) {
                missing.add(base);
            }
        }
        assertTrue(families.size() > 20, families.toString());
        assertEquals(List.of(), missing, "exposed but not in docs/metrics.md");
    }

    /** A file of the repository: failsafe runs in engine/server, so walk up from there. */
    static Path repoFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(relative);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new AssertionError(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    private double metric(String name, String... labels) {
        try {
            return engine.metric(name, labels);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(25);
        }
    }
}
