package dev.bourse.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.testkit.EngineProcess;
import dev.bourse.server.support.OkxRestClient;
import dev.bourse.server.support.OkxRestClient.Answer;
import dev.bourse.server.support.OkxRestClient.Credentials;
import dev.bourse.server.support.OkxWsClient;
import dev.bourse.server.support.TestExchange;
import dev.bourse.server.support.TraderFixture;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OKX's order {@code tag} end to end on two engine processes (PostgreSQL, Redis): given at placement over
 * REST or WebSocket, on the local shard or forwarded to the other; returned in the placement answer, in
 * {@code trade/order}, {@code orders-pending}, {@code orders-history} and {@code trade/fills} on either
 * pod, and in every {@code orders} push (also after the owning pod was killed and rebuilt its orders);
 * refused with 51000 when it is not 1 to 16 letters and digits, placing nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class OrderTagIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String LIMITS = "trade/order=2000/2s,trade/amend-order=2000/2s,trade/orders-pending=2000/2s,"
            + "trade/fills=2000/2s,trade/orders-history=2000/2s,account=20000/2s";

    @AutoClose
    private TestExchange exchange;
    private EngineProcess e0;
    private EngineProcess e1;
    private Credentials aliceKey;
    private Credentials bobKey;

    @BeforeAll
    void start() throws Exception {
        exchange = TestExchange.builder("tag")
                .redis()
                .env("RATE_LIMITS", LIMITS)
                .traders(Map.of("BTC", "10", "ETH", "100", "USDT", "1000000"), "alice", "bob")
                .start();
        e0 = exchange.engine(0);
        e1 = exchange.engine(1);
        aliceKey = exchange.key("alice");
        bobKey = exchange.key("bob");
    }

    @Test
    void tagIsStoredReturnedPushedForwardedAndSurvivesARestart() throws Exception {
        Map<String, String> ordIds = new HashMap<>(); // tag -> ordId
        try (OkxWsClient ws = OkxWsClient.connect(e0, "/ws/v5/private")) {
            ws.login(aliceKey);
            ws.subscribe("{\"channel\":\"orders\",\"instType\":\"SPOT\"}");

            // placed over REST on the owning pod, over REST forwarded to the other shard, over WS
            Answer local = rest(e0, aliceKey).post("/api/v5/trade/order", order("BTC-USDT", "sell", "60000", "0.01", "mmBot7"));
            assertPlaced(local, "mmBot7", ordIds);
            Answer forwarded = rest(e0, aliceKey).post("/api/v5/trade/order", order("ETH-USDT", "sell", "3000", "0.1", "fwdTag1"));
            assertPlaced(forwarded, "fwdTag1", ordIds);
            assertTrue(Long.parseLong(ordIds.get("fwdTag1")) > 1_000_000_000_000L, "an ETH-USDT order is shard 1's");
            JsonNode wsPlaced = ws.op("p3", "order", order("BTC-USDT", "buy", "59000", "0.02", "wsTag9"));
            assertEquals("0", wsPlaced.path("code").asText(), wsPlaced.toString());
            assertEquals("wsTag9", wsPlaced.path("data").path(0).path("tag").asText());
            ordIds.put("wsTag9", wsPlaced.path("data").path(0).path("ordId").asText());
            Answer untagged = rest(e0, aliceKey).post("/api/v5/trade/order", order("BTC-USDT", "sell", "61000", "0.01", null));
            assertPlaced(untagged, "", ordIds);

            // every push of the orders channel carries the order's tag, the forwarded one's too (via Redis)
            for (String tag : List.of("mmBot7", "fwdTag1", "wsTag9")) {
                JsonNode push = awaitOrderPush(ws, ordIds.get(tag), "live");
                assertEquals(tag, push.path("tag").asText(), push.toString());
            }
            assertEquals("", awaitOrderPush(ws, ordIds.get(""), "live").path("tag").asText());

            // queries on both pods
            for (EngineProcess e : List.of(e0, e1)) {
                OkxRestClient api = rest(e, aliceKey);
                assertEquals("mmBot7", orderQuery(api, "BTC-USDT", ordIds.get("mmBot7")).path("tag").asText());
                assertEquals("fwdTag1", orderQuery(api, "ETH-USDT", ordIds.get("fwdTag1")).path("tag").asText());
                assertEquals("", orderQuery(api, "BTC-USDT", ordIds.get("")).path("tag").asText());
                Map<String, String> pending = new HashMap<>();
                api.get("/api/v5/trade/orders-pending?instType=SPOT").data()
                        .forEach(o -> pending.put(o.path("ordId").asText(), o.path("tag").asText()));
                assertEquals(Map.of(ordIds.get("mmBot7"), "mmBot7", ordIds.get("fwdTag1"), "fwdTag1", ordIds.get("wsTag9"),
                        "wsTag9", ordIds.get(""), ""), pending);
            }

            // an amended order keeps its tag
            Answer amended = rest(e0, aliceKey).post("/api/v5/trade/amend-order",
                    "{\"instId\":\"BTC-USDT\",\"ordId\":\"" + ordIds.get("wsTag9") + "\",\"newPx\":\"59100\"}");
            assertEquals("0", amended.code(), amended.toString());
            JsonNode amendPush = awaitPush(ws, ordIds.get("wsTag9"), o -> o.path("px").asText().equals("59100"));
            assertEquals("wsTag9", amendPush.path("tag").asText());

            // a fill: Bob takes mmBot7 with a tag of his own; each side's fill and order carry its own tag
            Answer take = rest(e0, bobKey).post("/api/v5/trade/order", order("BTC-USDT", "buy", "60000", "0.01", "taker1"));
            assertPlaced(take, "taker1", ordIds);
            JsonNode filled = awaitOrderPush(ws, ordIds.get("mmBot7"), "filled");
            assertEquals("mmBot7", filled.path("tag").asText());
            assertEquals("0.01", filled.path("fillSz").asText(), filled.toString());
            for (EngineProcess e : List.of(e0, e1)) {
                JsonNode aliceFill = rest(e, aliceKey).get("/api/v5/trade/fills?instId=BTC-USDT").first();
                assertEquals(ordIds.get("mmBot7"), aliceFill.path("ordId").asText());
                assertEquals("mmBot7", aliceFill.path("tag").asText(), aliceFill.toString());
                JsonNode bobFill = rest(e, bobKey).get("/api/v5/trade/fills?instId=BTC-USDT").first();
                assertEquals("taker1", bobFill.path("tag").asText(), bobFill.toString());
                JsonNode history = rest(e, aliceKey).get("/api/v5/trade/orders-history?instType=SPOT&instId=BTC-USDT").first();
                assertEquals(ordIds.get("mmBot7"), history.path("ordId").asText());
                assertEquals("mmBot7", history.path("tag").asText());
            }
        }

        // refused tags: OKX's 51000, nothing placed, locally, forwarded and over WS
        int pendingBefore = rest(e0, aliceKey).get("/api/v5/trade/orders-pending?instType=SPOT").data().size();
        for (String bad : List.of("bad-tag", "abcdefghijklmnopq", "tag with space")) {
            for (String instId : List.of("BTC-USDT", "ETH-USDT")) {
                // a parameter error of a single order is the envelope's, with HTTP 400, as OKX answers
                Answer a = rest(e0, aliceKey).post("/api/v5/trade/order", order(instId, "buy", "1000", "0.01", bad));
                assertEquals(400, a.status(), a.toString());
                assertEquals("51000", a.code(), a.toString());
                assertEquals("Parameter tag error", a.json().path("msg").asText(), a.toString());
            }
        }
        // in a batch, the item with the bad tag fails alone
        Answer batch = rest(e0, aliceKey).post("/api/v5/trade/batch-orders", "[" + order("BTC-USDT", "buy", "59000", "0.01", "ok1")
                + "," + order("BTC-USDT", "buy", "1000", "0.01", "not-ok") + "]");
        assertEquals("2", batch.code(), batch.toString());
        assertEquals("0", batch.data().path(0).path("sCode").asText(), batch.toString());
        assertEquals("ok1", batch.data().path(0).path("tag").asText());
        assertEquals("51000", batch.data().path(1).path("sCode").asText(), batch.toString());
        assertEquals("not-ok", batch.data().path(1).path("tag").asText(), "the answer echoes what was sent");
        pendingBefore++;
        try (OkxWsClient ws = OkxWsClient.connect(e1, "/ws/v5/private")) {
            ws.login(aliceKey);
            JsonNode r = ws.op("bad1", "order", order("BTC-USDT", "buy", "1000", "0.01", "x_y"));
            assertEquals("51000", r.path("data").path(0).path("sCode").asText(), r.toString());
        }
        assertEquals(pendingBefore, rest(e0, aliceKey).get("/api/v5/trade/orders-pending?instType=SPOT").data().size());

        // kill -9 of the owning pod: the rebuilt shard still knows wsTag9's tag when the order fills
        e0.kill9();
        e0 = exchange.start(0);
        try (OkxWsClient ws = OkxWsClient.connect(e0, "/ws/v5/private")) {
            ws.login(aliceKey);
            ws.subscribe("{\"channel\":\"orders\",\"instType\":\"SPOT\"}");
            Answer hit = rest(e0, bobKey).post("/api/v5/trade/order", order("BTC-USDT", "sell", "59100", "0.02", null));
            assertEquals("0", hit.code(), hit.toString());
            JsonNode push = awaitOrderPush(ws, ordIds.get("wsTag9"), "filled");
            assertEquals("wsTag9", push.path("tag").asText(), push.toString());
        }
        assertEquals("wsTag9", orderQuery(rest(e1, aliceKey), "BTC-USDT", ordIds.get("wsTag9")).path("tag").asText());
    }

    private static OkxRestClient rest(EngineProcess e, Credentials key) {
        return TraderFixture.client(e, key);
    }

    private static String order(String instId, String side, String px, String sz, String tag) {
        return "{\"instId\":\"" + instId + "\",\"tdMode\":\"cash\",\"side\":\"" + side + "\",\"ordType\":\"limit\",\"px\":\"" + px
                + "\",\"sz\":\"" + sz + "\"" + (tag == null ? "" : ",\"tag\":\"" + tag + "\"") + "}";
    }

    private static void assertPlaced(Answer a, String tag, Map<String, String> ordIds) {
        assertEquals("0", a.code(), a.toString());
        assertEquals(tag, a.first().path("tag").asText(), a.toString());
        ordIds.put(tag, a.first().path("ordId").asText());
    }

    private static JsonNode orderQuery(OkxRestClient api, String instId, String ordId) throws Exception {
        Answer a = api.get("/api/v5/trade/order?instId=" + instId + "&ordId=" + ordId);
        assertEquals("0", a.code(), a.toString());
        return a.first();
    }

    /**
     * The first push (in arrival order, whenever it came) of {@code ordId} matching {@code p}: pushes of
     * local and forwarded orders arrive in no fixed order relative to each other.
     */
    private static JsonNode awaitPush(OkxWsClient ws, String ordId, java.util.function.Predicate<JsonNode> p)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        do {
            for (JsonNode msg : ws.pushes("orders")) {
                for (JsonNode o : msg.path("data")) {
                    if (o.path("ordId").asText().equals(ordId) && p.test(o)) {
                        return o;
                    }
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no orders push for " + ordId + " within " + WAIT.toSeconds() + " s; pushes: "
                + ws.pushes("orders"));
    }

    private static JsonNode awaitOrderPush(OkxWsClient ws, String ordId, String state) throws InterruptedException {
        return awaitPush(ws, ordId, o -> o.path("state").asText().equals(state));
    }
}
