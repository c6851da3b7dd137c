package dev.bourse.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.store.Database;
import dev.bourse.testkit.EngineProcess;
import dev.bourse.server.support.OkxRestClient;
import dev.bourse.server.support.TestExchange;
import dev.bourse.server.support.TraderFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kill switches end to end on two engine processes (shard 0 owns BTC-USDT, shard 1 ETH-USDT) sharing
 * PostgreSQL: each switch's effect on place, amend and cancel, the most restrictive winning, a change
 * made through one pod enforced by both with the sequence it took effect after, audit rows, generation
 * ordering, persistence across a restart, drain status and symbol halts routed to the owning shard.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class SwitchesIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @AutoClose
    private TestExchange exchange;
    private EngineProcess e0;
    private EngineProcess e1;
    private long alice;
    private long bob;
    private final AtomicInteger ids = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        exchange = TestExchange.builder("sw")
                .env("SWITCH_POLL_MS", "100")
                .users(Map.of("BTC", "10", "ETH", "100", "USDT", "1000000"), "alice", "bob")
                .start();
        alice = exchange.userId("alice");
        bob = exchange.userId("bob");
        e0 = exchange.engine(0);
        e1 = exchange.engine(1);
    }

    /** Every test leaves the board empty and every symbol trading. */
    @AfterEach
    void clear() throws Exception {
        JsonNode list = admin(e0, "GET", "/admin/v1/switches", null).path("data").path(0).path("switches");
        for (JsonNode sw : list) {
            admin(e0, "DELETE", "/admin/v1/switches/" + sw.path("name").asText(), null);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode admin(EngineProcess e, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(e.baseUri().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("X-Admin-Token", TraderFixture.ADMIN_TOKEN).header("X-Admin-Actor", "oncall.jane")
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        ObjectNode n = (ObjectNode) EngineProcess.MAPPER.readTree(r.body());
        n.put("httpStatus", r.statusCode());
        n.put("requestId", r.headers().firstValue("x-request-id").orElse(""));
        return n;
    }

    private static JsonNode put(EngineProcess e, String name, String spec) throws Exception {
        JsonNode r = admin(e, "PUT", "/admin/v1/switches/" + name, spec);
        assertEquals("0", r.path("code").asText(), r.toString());
        return r;
    }

    private EngineProcess ownerOf(String instId) {
        return instId.startsWith("BTC") ? e0 : e1;
    }

    /** Places a limit order through the owning pod's internal API; returns the item (sCode, ordId, ...). */
    private JsonNode place(long user, String instId, String side, String type, String px, String sz) throws Exception {
        ObjectNode b = EngineProcess.MAPPER.createObjectNode();
        b.put("userId", Long.toString(user));
        b.put("instId", instId);
        b.put("side", side);
        b.put("ordType", type);
        if (px != null) {
            b.put("px", px);
        }
        b.put("sz", sz);
        b.put("clOrdId", "sw" + ids.incrementAndGet());
        return ownerOf(instId).post("/internal/v1/orders", b).first();
    }

    private JsonNode cancel(long user, String instId, String ordId) throws Exception {
        ObjectNode b = EngineProcess.MAPPER.createObjectNode();
        b.put("userId", Long.toString(user));
        b.put("instId", instId);
        b.put("ordId", ordId);
        return ownerOf(instId).post("/internal/v1/orders/cancel", b).first();
    }

    private JsonNode amend(long user, String instId, String ordId, String newSz) throws Exception {
        ObjectNode b = EngineProcess.MAPPER.createObjectNode();
        b.put("userId", Long.toString(user));
        b.put("instId", instId);
        b.put("ordId", ordId);
        b.put("newSz", newSz);
        return ownerOf(instId).post("/internal/v1/orders/amend", b).first();
    }

    private String restingBtc(long user) throws Exception {
        JsonNode r = place(user, "BTC-USDT", "buy", "limit", "59000", "0.01");
        assertEquals("0", r.path("sCode").asText(), r.toString());
        return r.path("ordId").asText();
    }

    private String restingEth(long user) throws Exception {
        JsonNode r = place(user, "ETH-USDT", "buy", "limit", "2950", "0.1");
        assertEquals("0", r.path("sCode").asText(), r.toString());
        return r.path("ordId").asText();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void globalPauseReachesBothShardsAndReportsWhereItTookEffect() throws Exception {
        String btc = restingBtc(alice);
        String eth = restingEth(alice);
        double before = e0.metric("bourse_order_rejects_total", "symbol=\"BTC-USDT\"", "reason=\"switch_paused\"");

        JsonNode r = put(e0, "incident-42", "{\"scope\":{\"global\":true},\"mode\":\"pause_orders\",\"reason\":\"P0 reconciliation anomaly\"}");
        JsonNode d = r.path("data").path(0);
        assertTrue(d.path("changed").asBoolean());
        assertEquals(2, d.path("shards").size(), d.toString());
        for (JsonNode shard : d.path("shards")) {
            assertTrue(shard.path("confirmed").asBoolean(), d.toString());
            assertEquals(d.path("boardVersion").asLong(), shard.path("appliedSwitchVersion").asLong());
            assertTrue(shard.path("appliedAfterSeq").asLong() > 0, "each shard says after which sequence: " + d);
        }

        JsonNode refused = place(bob, "BTC-USDT", "sell", "limit", "61000", "0.01");
        assertEquals("51009", refused.path("sCode").asText(), refused.toString());
        assertTrue(refused.path("sMsg").asText().contains("P0 reconciliation anomaly"), refused.toString());
        assertEquals("51009", place(bob, "ETH-USDT", "sell", "limit", "3050", "0.1").path("sCode").asText());
        // paused: existing orders can still be amended and canceled
        assertEquals("0", amend(alice, "BTC-USDT", btc, "0.005").path("sCode").asText());
        assertEquals("0", cancel(alice, "ETH-USDT", eth).path("sCode").asText());
        assertEquals(before + 1, e0.metric("bourse_order_rejects_total", "symbol=\"BTC-USDT\"", "reason=\"switch_paused\""));

        // the change and who made it are in the audit log, with the request id the caller saw
        try (Database db = exchange.database().open(); Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT actor, action, after_state, request_id FROM audit_log "
                     + "WHERE target = 'switch/incident-42' ORDER BY audit_id")) {
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("oncall.jane", rs.getString(1));
                assertEquals("switch.create", rs.getString(2));
                assertTrue(rs.getString(3).contains("pause_orders"));
                assertEquals(r.path("requestId").asText(), rs.getString(4));
            }
        }

        JsonNode del = admin(e0, "DELETE", "/admin/v1/switches/incident-42", null);
        assertEquals("0", del.path("code").asText(), del.toString());
        for (JsonNode shard : del.path("data").path(0).path("shards")) {
            assertTrue(shard.path("confirmed").asBoolean(), del.toString());
        }
        assertEquals("0", place(bob, "ETH-USDT", "sell", "limit", "3050", "0.1").path("sCode").asText());
        cancel(alice, "BTC-USDT", btc);
    }

    @Test
    void mostRestrictiveWinsAndSymbolScopesStayLocal() throws Exception {
        String btc = restingBtc(alice);
        String eth = restingEth(alice);
        put(e1, "btc-pause", "{\"scope\":{\"symbols\":[\"BTC-USDT\"]},\"mode\":\"pause_orders\",\"reason\":\"hot symbol\"}");
        put(e1, "btc-cancel-only", "{\"scope\":{\"symbols\":[\"BTC-USDT\"]},\"mode\":\"cancel_only\",\"reason\":\"hot symbol\"}");
        // cancel-only beats paused: amends refused too; cancels pass; the other symbol is untouched
        assertEquals("51056", amend(alice, "BTC-USDT", btc, "0.005").path("sCode").asText());
        assertEquals("0", amend(alice, "ETH-USDT", eth, "0.05").path("sCode").asText());
        assertEquals("0", cancel(alice, "BTC-USDT", btc).path("sCode").asText());

        put(e0, "all-read-only", "{\"scope\":{\"global\":true},\"mode\":\"read_only\",\"reason\":\"evidence freeze\"}");
        JsonNode c = cancel(alice, "ETH-USDT", eth);
        assertEquals("51009", c.path("sCode").asText(), "read-only refuses even cancels: " + c);
        admin(e0, "DELETE", "/admin/v1/switches/all-read-only", null);
        assertEquals("0", cancel(alice, "ETH-USDT", eth).path("sCode").asText());
    }

    @Test
    void riskSwitchesDisableOrderTypesAndTightenTheBand() throws Exception {
        put(e0, "risk", "{\"scope\":{\"symbols\":[\"BTC-USDT\"]},\"disabledOrdTypes\":[\"market\"],\"priceBandBps\":100,"
                + "\"reason\":\"volatile\"}");
        assertEquals("51009", place(bob, "BTC-USDT", "sell", "market", null, "0.01").path("sCode").asText());
        // reference 60000: the instrument's 10 % band allows 64000, the override's 1 % does not
        assertEquals("51006", place(bob, "BTC-USDT", "sell", "limit", "60700", "0.01").path("sCode").asText());
        JsonNode ok = place(bob, "BTC-USDT", "sell", "limit", "60500", "0.01");
        assertEquals("0", ok.path("sCode").asText(), ok.toString());
        cancel(bob, "BTC-USDT", ok.path("ordId").asText());
        admin(e0, "DELETE", "/admin/v1/switches/risk", null);
        JsonNode wide = place(bob, "BTC-USDT", "sell", "limit", "60700", "0.01");
        assertEquals("0", wide.path("sCode").asText(), wide.toString());
        cancel(bob, "BTC-USDT", wide.path("ordId").asText());
    }

    @Test
    void freezesStopOneUserOrOneAssetAndKeepCancelsOpen() throws Exception {
        String eth = restingEth(alice);
        JsonNode f = admin(e0, "POST", "/admin/v1/freezes", "{\"userId\":" + alice + ",\"reason\":\"compromised key\"}");
        assertEquals("0", f.path("code").asText(), f.toString());
        assertEquals("freeze-user-" + alice, f.path("data").path(0).path("name").asText());
        assertEquals("51024", place(alice, "BTC-USDT", "buy", "limit", "59000", "0.01").path("sCode").asText());
        assertEquals("0", cancel(alice, "ETH-USDT", eth).path("sCode").asText());
        JsonNode bobs = place(bob, "BTC-USDT", "buy", "limit", "59000", "0.01");
        assertEquals("0", bobs.path("sCode").asText());
        cancel(bob, "BTC-USDT", bobs.path("ordId").asText());
        admin(e0, "DELETE", "/admin/v1/freezes/freeze-user-" + alice, null);

        admin(e0, "POST", "/admin/v1/freezes", "{\"asset\":\"ETH\",\"reason\":\"chain reorg\"}");
        assertEquals("51755", place(bob, "ETH-USDT", "buy", "limit", "2950", "0.1").path("sCode").asText());
        JsonNode btc = place(bob, "BTC-USDT", "buy", "limit", "59000", "0.01");
        assertEquals("0", btc.path("sCode").asText());
        cancel(bob, "BTC-USDT", btc.path("ordId").asText());
    }

    @Test
    void badDefinitionsAreRefusedAndChangeNothing() throws Exception {
        long version = admin(e0, "GET", "/admin/v1/switches", null).path("data").path(0).path("version").asLong();
        String[][] cases = {
                {"typo", "{\"scope\":{\"global\":true},\"mdoe\":\"pause_orders\",\"reason\":\"x\"}", "51000"},
                {"no-reason", "{\"scope\":{\"global\":true},\"mode\":\"pause_orders\"}", "50014"},
                {"bad-mode", "{\"scope\":{\"global\":true},\"mode\":\"panic\",\"reason\":\"x\"}", "51000"},
                {"bad-scope", "{\"scope\":{\"symbols\":[\"btc usdt\"]},\"mode\":\"pause_orders\",\"reason\":\"x\"}", "51000"},
                {"band-on-user", "{\"scope\":{\"users\":[1]},\"priceBandBps\":10,\"reason\":\"x\"}", "51000"},
                {"Bad_Name", "{\"scope\":{\"global\":true},\"mode\":\"pause_orders\",\"reason\":\"x\"}", "51000"},
                {"not-json", "{", "50000"},
        };
        for (String[] c : cases) {
            JsonNode r = admin(e0, "PUT", "/admin/v1/switches/" + c[0], c[1]);
            assertEquals(c[2], r.path("code").asText(), c[0] + ": " + r);
            assertEquals(400, r.path("httpStatus").asInt(), r.toString());
        }
        JsonNode after = admin(e0, "GET", "/admin/v1/switches", null).path("data").path(0);
        assertEquals(version, after.path("version").asLong());
        assertEquals(0, after.path("switches").size());
        JsonNode noToken = EngineProcess.MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(e0.baseUri().resolve(
                "/admin/v1/switches")).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("50114", noToken.path("code").asText());
    }

    @Test
    void operatorPushesAreIdempotentAndOrderedByGeneration() throws Exception {
        String spec = "{\"scope\":{\"symbols\":[\"ETH-USDT\"]},\"mode\":\"cancel_only\",\"reason\":\"move\",\"generation\":3}";
        JsonNode first = e1.post("/internal/v1/switches/eth-move", spec).json(); // POST is not PUT
        assertTrue(first == null || !"0".equals(first.path("code").asText()));
        HttpRequest.Builder b = HttpRequest.newBuilder(e1.baseUri().resolve("/internal/v1/switches/eth-move"))
                .header("X-Internal-Token", TraderFixture.INTERNAL_TOKEN).header("X-Actor", "bourse-operator")
                .header("Content-Type", "application/json");
        JsonNode a = EngineProcess.MAPPER.readTree(HTTP.send(b.copy().PUT(HttpRequest.BodyPublishers.ofString(spec)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertTrue(a.path("data").path(0).path("changed").asBoolean(), a.toString());
        JsonNode again = EngineProcess.MAPPER.readTree(HTTP.send(b.copy().PUT(HttpRequest.BodyPublishers.ofString(spec)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertFalse(again.path("data").path(0).path("changed").asBoolean(), again.toString());
        assertEquals(a.path("data").path(0).path("boardVersion").asLong(), again.path("data").path(0).path("boardVersion").asLong());
        JsonNode stale = EngineProcess.MAPPER.readTree(HTTP.send(b.copy().PUT(HttpRequest.BodyPublishers.ofString(
                spec.replace("\"generation\":3", "\"generation\":2").replace("cancel_only", "normal"))).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals("51000", stale.path("code").asText(), stale.toString());
        assertEquals("51056", place(bob, "ETH-USDT", "buy", "limit", "2950", "0.1").path("sCode").asText());
        JsonNode status = e1.get("/internal/v1/status").first();
        assertEquals(1, status.path("shardId").asInt());
        assertTrue(status.path("recovered").asBoolean());
        assertEquals("eth-move", status.path("activeSwitches").path(0).path("name").asText(), status.toString());
        assertEquals(status.path("switchVersion").asLong(), status.path("appliedSwitchVersion").asLong());
    }

    @Test
    void drainIsReportedOnlyWhenEveryShardStopsTakingOrdersAndIsIdle() throws Exception {
        assertFalse(e0.get("/internal/v1/status").first().path("drained").asBoolean());
        put(e0, "release-drain", "{\"scope\":{\"global\":true},\"drain\":true,\"reason\":\"release 1.4\"}");
        for (EngineProcess e : new EngineProcess[] {e0, e1}) {
            JsonNode st = e.get("/internal/v1/status").first();
            assertTrue(st.path("drainRequested").asBoolean(), st.toString());
            assertTrue(st.path("drained").asBoolean(), st.toString());
            assertEquals(0, st.path("queueLength").asInt());
        }
        // a drain means cancel-only
        assertEquals("51056", place(bob, "BTC-USDT", "buy", "limit", "59000", "0.01").path("sCode").asText());
    }

    @Test
    void symbolHaltIsRoutedToTheOwningShardAndResumedExplicitly() throws Exception {
        JsonNode h = admin(e0, "POST", "/admin/v1/symbols/ETH-USDT/state", "{\"state\":\"suspend\",\"reason\":\"bad feed\"}");
        assertEquals("0", h.path("code").asText(), h.toString());
        assertEquals("50033", place(bob, "ETH-USDT", "buy", "limit", "2950", "0.1").path("sCode").asText());
        assertEquals(1.0, e1.metric("bourse_symbol_halted", "symbol=\"ETH-USDT\""));
        JsonNode noReason = admin(e0, "POST", "/admin/v1/symbols/ETH-USDT/resume", "{}");
        assertEquals("50014", noReason.path("code").asText());
        JsonNode resume = admin(e0, "POST", "/admin/v1/symbols/ETH-USDT/resume", "{\"reason\":\"feed fixed\"}");
        assertEquals("0", resume.path("code").asText(), resume.toString());
        JsonNode ok = place(bob, "ETH-USDT", "buy", "limit", "2950", "0.1");
        assertEquals("0", ok.path("sCode").asText());
        cancel(bob, "ETH-USDT", ok.path("ordId").asText());
        assertEquals(0.0, e1.metric("bourse_symbol_halted", "symbol=\"ETH-USDT\""));
    }

    @Test
    void rateLimitOverrideTightensTheTraderApi() throws Exception {
        OkxRestClient api = TraderFixture.client(e0, TraderFixture.apiKey(e0, bob, "read_only,trade"));
        put(e0, "btc-throttle", "{\"scope\":{\"symbols\":[\"BTC-USDT\"]},\"rateLimit\":{\"max\":1},\"reason\":\"hot\"}");
        String order = "{\"instId\":\"BTC-USDT\",\"tdMode\":\"cash\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"59000\",\"sz\":\"0.01\"}";
        OkxRestClient.Answer first = api.post("/api/v5/trade/order", order);
        assertEquals("0", first.code(), first.toString());
        OkxRestClient.Answer second = api.post("/api/v5/trade/order", order);
        assertEquals("50011", second.code(), second.toString());
        admin(e0, "DELETE", "/admin/v1/switches/btc-throttle", null);
        cancel(bob, "BTC-USDT", first.first().path("ordId").asText());
    }

    @Test
    @Order(Integer.MAX_VALUE) // restarts a pod: last
    void switchesSurviveARestart() throws Exception {
        put(e1, "persist", "{\"scope\":{\"symbols\":[\"BTC-USDT\"]},\"mode\":\"pause_orders\",\"reason\":\"restart check\"}");
        int exit = e0.stop();
        assertTrue(exit == 0 || exit == 143, "graceful stop on SIGTERM, exit " + exit);
        e0 = exchange.start(0);
        assertEquals("51009", place(bob, "BTC-USDT", "buy", "limit", "59000", "0.01").path("sCode").asText());
        JsonNode st = e0.get("/internal/v1/status").first();
        assertEquals("persist", st.path("activeSwitches").path(0).path("name").asText(), st.toString());
    }
}
