package dev.bourse.server.listing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.store.Database;
import dev.bourse.testkit.EngineProcess;
import dev.bourse.server.support.OkxRestClient;
import dev.bourse.server.support.OkxWsClient;
import dev.bourse.server.support.TestExchange;
import dev.bourse.server.support.TraderFixture;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Instruments listed, changed and moved at runtime, end to end on two engine processes (shard 0 owns
 * BTC-USDT, shard 1 ETH-USDT) sharing PostgreSQL and Redis: a symbol listed through the pod that does
 * not own it and traded at once through the trader API; fees and band changed between two orders; a
 * tick change refused while orders rest; bad specs and stale generations refused with nothing changed;
 * and a book moved from shard 0 to shard 1 with its price-time priority, still served on the WebSocket
 * books channel, refused by its old owner, and recovered by the new owner after kill -9.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class InstrumentsIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(15);

    @AutoClose
    private TestExchange exchange;
    private EngineProcess e0;
    private EngineProcess e1;
    private long alice;
    private long bob;
    private long carol;
    private OkxRestClient.Credentials aliceKey;
    private OkxRestClient.Credentials bobKey;
    private OkxRestClient.Credentials carolKey;

    @BeforeAll
    void start() throws Exception {
        exchange = TestExchange.builder("ins")
                .redis()
                .env("SWITCH_POLL_MS", "100")
                .traders(Map.of("BTC", "10", "ETH", "100", "USDT", "1000000"), "alice", "bob", "carol")
                .start();
        e0 = exchange.engine(0);
        e1 = exchange.engine(1);
        alice = exchange.userId("alice");
        bob = exchange.userId("bob");
        carol = exchange.userId("carol");
        aliceKey = exchange.key("alice");
        bobKey = exchange.key("bob");
        carolKey = exchange.key("carol");
    }

    // ------------------------------------------------------------------ 1. list and trade

    @Test
    @Order(1)
    void aSymbolListedThroughAnyPodIsTradableAtOnce() throws Exception {
        // SOL is not an asset yet: the listing creates it (baseScale) together with the instrument
        JsonNode r = internal(e1, "PUT", "/internal/v1/instruments/SOL-USDT", "{\"generation\":1,\"shard\":0,\"spec\":"
                + solSpec("0.01", null) + "}");
        assertEquals("0", r.path("code").asText(), r.toString());
        JsonNode d = r.path("data").path(0);
        assertEquals("created", d.path("outcome").asText(), d.toString());
        assertEquals(0, d.path("shard").asInt());
        assertEquals(1, d.path("generation").asLong());
        assertEquals("live", d.path("state").asText());
        assertTrue(d.path("loaded").asBoolean());
        assertTrue(d.path("appliedAfterSeq").asLong() >= 0, d.toString());

        // the same push again (level-triggered) changes nothing
        JsonNode again = internal(e0, "PUT", "/internal/v1/instruments/SOL-USDT", "{\"generation\":1,\"shard\":0,\"spec\":"
                + solSpec("0.01", null) + "}");
        assertEquals("unchanged", again.path("data").path(0).path("outcome").asText(), again.toString());

        // fund through the ledger, then trade through the trader API of both pods (e1 forwards to shard 0)
        for (long user : List.of(alice, bob)) {
            JsonNode dep = e1.post("/internal/v1/deposits", Map.of("userId", Long.toString(user), "ccy", "SOL", "amt", "100",
                    "key", "sol-" + user)).json();
            assertEquals("0", dep.path("code").asText(), dep.toString());
        }
        OkxRestClient bob1 = TraderFixture.client(e1, bobKey);
        OkxRestClient alice0 = TraderFixture.client(e0, aliceKey);
        OkxRestClient.Answer ask = bob1.post("/api/v5/trade/order", order("SOL-USDT", "sell", "150", "2"));
        assertEquals("0", ask.code(), ask.toString());
        OkxRestClient.Answer bid = alice0.post("/api/v5/trade/order", order("SOL-USDT", "buy", "150", "1.5"));
        assertEquals("0", bid.code(), bid.toString());
        JsonNode filled = alice0.get("/api/v5/trade/order?instId=SOL-USDT&ordId=" + bid.first().path("ordId").asText()).first();
        assertEquals("filled", filled.path("state").asText(), filled.toString());
        assertEquals("-0.003", filled.path("fee").asText(), "taker 0.2 % of 1.5 SOL");
        JsonNode rest = bob1.get("/api/v5/trade/order?instId=SOL-USDT&ordId=" + ask.first().path("ordId").asText()).first();
        assertEquals("partially_filled", rest.path("state").asText());

        // every pod lists it publicly (the other pod within its instrument-board poll)
        for (EngineProcess e : List.of(e0, e1)) {
            JsonNode pub = await(() -> publicInstrument(e, "SOL-USDT"), n -> n != null, "SOL-USDT on " + e.name());
            assertEquals("0.01", pub.path("tickSz").asText());
            assertEquals("live", pub.path("state").asText());
        }
        JsonNode row = internal(e0, "GET", "/internal/v1/instruments/SOL-USDT", null).path("data").path(0);
        assertEquals(0, row.path("shard").asInt());
        assertEquals(1, row.path("generation").asLong());
        assertTrue(row.path("loaded").asBoolean());
        assertEquals(8, row.path("spec").path("baseScale").asInt());
        assertEquals("0.002", row.path("spec").path("fees").path("taker").asText());
        assertFalse(internal(e1, "GET", "/internal/v1/instruments/SOL-USDT", null).path("data").path(0).path("loaded").asBoolean(),
                "loaded is about the asking pod's shard");
        assertEquals("live", internal(e0, "GET", "/internal/v1/status", null).path("data").path(0).path("symbolStates")
                .path("SOL-USDT").asText());
        assertEquals(List.of("operator:instrument.create"), audit("instrument/SOL-USDT"));
        assertTrue(e0.metric("bourse_instrument_changes_total", "action=\"create\"") >= 1);
    }

    // ------------------------------------------------------------------ 2. rules at runtime

    @Test
    @Order(2)
    void feesAndBandChangeBetweenTwoOrders() throws Exception {
        OkxRestClient alice0 = TraderFixture.client(e0, aliceKey);
        OkxRestClient bob0 = TraderFixture.client(e0, bobKey);
        // one-sided book: the band is around refPx 60000; 10 % lets 60700 through
        OkxRestClient.Answer wide = alice0.post("/api/v5/trade/order", order("BTC-USDT", "buy", "60700", "0.01"));
        assertEquals("0", wide.code(), wide.toString());
        assertEquals("0", alice0.post("/api/v5/trade/cancel-order", "{\"instId\":\"BTC-USDT\",\"ordId\":\""
                + wide.first().path("ordId").asText() + "\"}").code());

        JsonNode r = internal(e1, "PUT", "/internal/v1/instruments/BTC-USDT", "{\"generation\":2,\"shard\":0,\"spec\":"
                + btcSpec("0.1", 100, "0.002", "0.003") + "}");
        assertEquals("0", r.path("code").asText(), r.toString());
        JsonNode d = r.path("data").path(0);
        assertEquals("updated", d.path("outcome").asText());
        long after = d.path("appliedAfterSeq").asLong();

        OkxRestClient.Answer tight = alice0.post("/api/v5/trade/order", order("BTC-USDT", "buy", "60700", "0.01"));
        assertEquals("51006", tight.first().path("sCode").asText(), "1 % band: 60600 at most: " + tight);
        OkxRestClient.Answer ask = bob0.post("/api/v5/trade/order", order("BTC-USDT", "sell", "60000", "0.01"));
        assertTrue(Long.parseLong(ask.first().path("ordId").asText()) > 0);
        OkxRestClient.Answer bid = alice0.post("/api/v5/trade/order", order("BTC-USDT", "buy", "60000", "0.01"));
        assertEquals("0", bid.code(), bid.toString());
        JsonNode taker = alice0.get("/api/v5/trade/order?instId=BTC-USDT&ordId=" + bid.first().path("ordId").asText()).first();
        assertEquals("-0.00003", taker.path("fee").asText(), "taker 0.3 % of 0.01 BTC");
        JsonNode maker = bob0.get("/api/v5/trade/order?instId=BTC-USDT&ordId=" + ask.first().path("ordId").asText()).first();
        assertEquals("-1.2", maker.path("fee").asText(), "maker 0.2 % of 600 USDT");
        assertTrue(after < lastCommittedSeq(e0), "the change took effect before the orders after it");

        // an older generation is refused and changes nothing
        JsonNode stale = internal(e0, "PUT", "/internal/v1/instruments/BTC-USDT", "{\"generation\":1,\"shard\":0,\"spec\":"
                + btcSpec("0.1", 1000, "0.0008", "0.001") + "}");
        assertEquals("51000", stale.path("code").asText(), stale.toString());
        assertTrue(stale.path("msg").asText().contains("older generation 1"), stale.toString());
        JsonNode row = internal(e1, "GET", "/internal/v1/instruments/BTC-USDT", null).path("data").path(0);
        assertEquals(2, row.path("generation").asLong());
        assertEquals(100, row.path("spec").path("priceBandBps").asInt());
        List<String> trail = audit("instrument/BTC-USDT");
        assertEquals(List.of("operator:instrument.update"), trail);
    }

    @Test
    @Order(3)
    void tickChangesOnlyOnAnEmptyBook() throws Exception {
        // bob's SOL ask (0.5 left from test 1) rests
        JsonNode refused = internal(e1, "PUT", "/internal/v1/instruments/SOL-USDT", "{\"generation\":2,\"shard\":0,\"spec\":"
                + solSpec("0.05", null) + "}");
        assertEquals("51000", refused.path("code").asText(), refused.toString());
        assertTrue(refused.path("msg").asText().contains("resting orders: 1"), refused.toString());
        assertEquals("0.01", internal(e0, "GET", "/internal/v1/instruments/SOL-USDT", null).path("data").path(0)
                .path("spec").path("tickSz").asText(), "nothing changed");
        JsonNode finer = internal(e1, "PUT", "/internal/v1/instruments/SOL-USDT", "{\"generation\":2,\"shard\":0,\"spec\":"
                + solSpec("0.001", null) + "}");
        assertEquals("51000", finer.path("code").asText(), finer.toString());
        assertTrue(finer.path("msg").asText().contains("more decimals"), finer.toString());

        OkxRestClient bob0 = TraderFixture.client(e0, bobKey);
        JsonNode pending = bob0.get("/api/v5/trade/orders-pending?instId=SOL-USDT").data();
        assertEquals(1, pending.size(), pending.toString());
        assertEquals("0", bob0.post("/api/v5/trade/cancel-order", "{\"instId\":\"SOL-USDT\",\"ordId\":\""
                + pending.get(0).path("ordId").asText() + "\"}").code());

        JsonNode ok = internal(e1, "PUT", "/internal/v1/instruments/SOL-USDT", "{\"generation\":2,\"shard\":0,\"spec\":"
                + solSpec("0.05", null) + "}");
        assertEquals("updated", ok.path("data").path(0).path("outcome").asText(), ok.toString());
        OkxRestClient.Answer offTick = bob0.post("/api/v5/trade/order", order("SOL-USDT", "sell", "150.01", "1"));
        assertEquals("51150", offTick.first().path("sCode").asText(), offTick.toString());
        OkxRestClient.Answer onTick = bob0.post("/api/v5/trade/order", order("SOL-USDT", "sell", "150.05", "1"));
        assertEquals("0", onTick.code(), onTick.toString());
        for (EngineProcess e : List.of(e0, e1)) {
            await(() -> publicInstrument(e, "SOL-USDT"), n -> "0.05".equals(n.path("tickSz").asText()), "new tick on " + e.name());
        }

        // the same calls in the admin API, audited under the person's name; the pod-to-pod halves are not there
        JsonNode viaAdmin = admin(e1, "PUT", "/admin/v1/instruments/SOL-USDT", "{\"shard\":0,\"spec\":"
                + solSpec("0.05", null).replace("\"minSz\":\"0.01\"", "\"minSz\":\"0.05\"") + "}");
        assertEquals("updated", viaAdmin.path("data").path(0).path("outcome").asText(), viaAdmin.toString());
        assertEquals(2, viaAdmin.path("data").path(0).path("generation").asLong(), "no generation given: the stored one stays");
        assertEquals("0.05", admin(e0, "GET", "/admin/v1/instruments/SOL-USDT", null).path("data").path(0).path("spec")
                .path("minSz").asText());
        assertEquals(404, admin(e0, "POST", "/admin/v1/instruments/SOL-USDT/load", "{}").path("httpStatus").asInt());
        List<String> trail = audit("instrument/SOL-USDT");
        assertEquals("oncall.jane:instrument.update", trail.get(trail.size() - 1), trail.toString());
        for (EngineProcess e : List.of(e0, e1)) {
            await(() -> publicInstrument(e, "SOL-USDT"), n -> "0.05".equals(n.path("minSz").asText()), "new minSz on " + e.name());
        }
    }

    @Test
    @Order(4)
    void badRequestsAreRefusedAndChangeNothing() throws Exception {
        int before = internal(e0, "GET", "/internal/v1/instruments", null).path("data").size();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"shard\":0,\"spec\":" + solSpec("0.01", null).replace("tickSz", "tikSz") + "}", "51000:spec.tikSz");
        cases.put("{\"shard\":0,\"spec\":{\"baseCcy\":\"ADA\",\"quoteCcy\":\"USDT\",\"baseScale\":6,\"tickSz\":\"0.0001\","
                + "\"lotSz\":\"1\",\"minSz\":\"10\",\"maxSz\":\"5\"}}", "51000:max size");
        cases.put("{\"shard\":0,\"spec\":{\"baseCcy\":\"ADA\",\"quoteCcy\":\"USDT\",\"baseScale\":6,\"tickSz\":\"0.0000001\","
                + "\"lotSz\":\"0.1\",\"minSz\":\"1\",\"maxSz\":\"5\"}}", "51000:not exact");
        cases.put("{\"shard\":0,\"spec\":{\"baseCcy\":\"ADA\",\"quoteCcy\":\"USDT\",\"tickSz\":\"0.0001\",\"lotSz\":\"1\","
                + "\"minSz\":\"1\",\"maxSz\":\"5\"}}", "50014:spec.baseScale");
        cases.put("{\"shard\":0,\"spec\":{\"baseCcy\":\"ADA\",\"quoteCcy\":\"USDT\",\"baseScale\":6,\"quoteScale\":2,"
                + "\"tickSz\":\"0.0001\",\"lotSz\":\"1\",\"minSz\":\"1\",\"maxSz\":\"5\"}}", "51000:scale 6");
        cases.put("{\"shard\":0,\"spec\":{\"baseCcy\":\"ADA\",\"quoteCcy\":\"USDT\",\"baseScale\":6,\"tickSz\":0.0001,"
                + "\"lotSz\":\"1\",\"minSz\":\"1\",\"maxSz\":\"5\"}}", "51000:decimal string");
        cases.put("{\"shard\":0,\"spec\":{\"baseCcy\":\"ADA\",\"quoteCcy\":\"USDT\",\"baseScale\":6,\"tickSz\":\"0.0001\","
                + "\"lotSz\":\"1\",\"minSz\":\"1\",\"maxSz\":\"5\",\"fees\":{\"maker\":\"0.5\",\"taker\":\"0.001\"}}}",
                "51000:fee rates");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            JsonNode r = internal(e1, "PUT", "/internal/v1/instruments/ADA-USDT", c.getKey());
            String[] want = c.getValue().split(":", 2);
            assertEquals(want[0], r.path("code").asText(), c.getKey() + " -> " + r);
            assertTrue(r.path("msg").asText().contains(want[1]), c.getKey() + " -> " + r);
        }
        JsonNode wrongShard = internal(e0, "PUT", "/internal/v1/instruments/ETH-USDT", "{\"shard\":0,\"spec\":{\"baseCcy\":\"ETH\","
                + "\"quoteCcy\":\"USDT\",\"tickSz\":\"0.01\",\"lotSz\":\"0.0001\",\"minSz\":\"0.0001\",\"maxSz\":\"10000\"}}");
        assertEquals("51000", wrongShard.path("code").asText(), wrongShard.toString());
        assertTrue(wrongShard.path("msg").asText().contains("/internal/v1/instruments/ETH-USDT/move"), wrongShard.toString());
        JsonNode unknown = internal(e0, "GET", "/internal/v1/instruments/ADA-USDT", null);
        assertEquals("51001", unknown.path("code").asText());
        assertEquals(404, unknown.path("httpStatus").asInt());
        assertEquals(before, internal(e0, "GET", "/internal/v1/instruments", null).path("data").size());
        try (Database db = exchange.database().open(); Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM assets WHERE code = 'ADA'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertEquals(0, rs.getInt(1), "a refused listing lists no asset");
        }
        JsonNode noToken = send(e0, "GET", "/internal/v1/instruments", null, null);
        assertEquals(401, noToken.path("httpStatus").asInt());
    }

    // ------------------------------------------------------------------ 3. moves

    @Test
    @Order(5)
    void aMovedBookKeepsItsPriorityServesTheFeedAndSurvivesKillNine() throws Exception {
        OkxRestClient alice0 = TraderFixture.client(e0, aliceKey);
        OkxRestClient bob0 = TraderFixture.client(e0, bobKey);
        String newer;
        String oldest = placed(bob0.post("/api/v5/trade/order", order("BTC-USDT", "sell", "60100", "0.01")));
        String second = placed(alice0.post("/api/v5/trade/order", order("BTC-USDT", "sell", "60100", "0.02")));
        placed(bob0.post("/api/v5/trade/order", order("BTC-USDT", "sell", "60200", "0.01")));
        placed(alice0.post("/api/v5/trade/order", order("BTC-USDT", "buy", "59900", "0.01")));

        try (OkxWsClient ws = OkxWsClient.connect(e0, "/ws/v5/public")) {
            ws.subscribe("{\"channel\":\"books\",\"instId\":\"BTC-USDT\"}");
            ClientBook book = new ClientBook();
            ws.await(n -> "snapshot".equals(n.path("action").asText()), WAIT);

            // refusals: live symbol, unknown symbol, stale generation, a shard nobody runs
            JsonNode live = move(e1, "BTC-USDT", "{\"toShard\":1,\"generation\":3}");
            assertEquals("51000", live.path("code").asText(), live.toString());
            assertTrue(live.path("msg").asText().contains("halted (suspend)"), live.toString());
            assertEquals("51001", move(e1, "XRP-USDT", "{\"toShard\":1}").path("code").asText());
            assertEquals("51000", move(e1, "BTC-USDT", "{\"toShard\":1,\"generation\":1}").path("code").asText());

            halt("BTC-USDT", "suspend");
            JsonNode nobody = move(e1, "BTC-USDT", "{\"toShard\":5}");
            assertEquals("50001", nobody.path("code").asText(), nobody.toString());
            String before = section(books(e0), "BTC-USDT");

            JsonNode moved = move(e1, "BTC-USDT", "{\"toShard\":1,\"generation\":3}");
            assertEquals("0", moved.path("code").asText(), moved.toString());
            JsonNode m = moved.path("data").path(0);
            assertEquals("moved", m.path("outcome").asText());
            assertEquals(0, m.path("fromShard").asInt());
            assertEquals(1, m.path("toShard").asInt());
            assertEquals(4, m.path("restingOrders").asInt());
            assertTrue(m.path("loaded").asBoolean());

            // the new owner holds the same book, queue by queue; the old one holds nothing of it
            assertEquals(before, section(books(e1), "BTC-USDT"));
            assertEquals("", section(books(e0), "BTC-USDT"));
            JsonNode st1 = internal(e1, "GET", "/internal/v1/status", null).path("data").path(0);
            assertEquals("suspend", st1.path("symbolStates").path("BTC-USDT").asText(), st1.toString());
            JsonNode st0 = internal(e0, "GET", "/internal/v1/status", null).path("data").path(0);
            assertFalse(st0.path("symbolStates").has("BTC-USDT"), st0.toString());
            JsonNode row = internal(e0, "GET", "/internal/v1/instruments/BTC-USDT", null).path("data").path(0);
            assertEquals(1, row.path("shard").asInt());
            assertEquals(3, row.path("generation").asLong());
            assertEquals("suspend", row.path("state").asText(), "the symbol stays halted after a move");
            JsonNode same = move(e0, "BTC-USDT", "{\"toShard\":1,\"generation\":3}");
            assertEquals("unchanged", same.path("data").path(0).path("outcome").asText(), same.toString());
            assertTrue(same.path("data").path(0).path("loaded").asBoolean());
            JsonNode misplaced = internal(e0, "PUT", "/internal/v1/instruments/BTC-USDT", "{\"shard\":0,\"spec\":"
                    + btcSpec("0.1", 100, "0.002", "0.003") + "}");
            assertTrue(misplaced.path("msg").asText().contains("is on shard 1"), misplaced.toString());

            // the old owner's shard refuses it with a retryable code; the trader API routes to the new owner
            ObjectNode direct = EngineProcess.MAPPER.createObjectNode().put("userId", Long.toString(carol))
                    .put("instId", "BTC-USDT").put("side", "buy").put("ordType", "limit").put("px", "60100").put("sz", "0.01");
            EngineProcess.Response refusedOld = e0.post("/internal/v1/orders", direct);
            assertEquals("50001", refusedOld.first().path("sCode").asText(), refusedOld.body());
            assertTrue(refusedOld.first().path("sMsg").asText().contains("not on this shard"), refusedOld.body());

            halt("BTC-USDT", "live");
            OkxRestClient carol0 = TraderFixture.client(e0, carolKey);
            String taker = placed(carol0.post("/api/v5/trade/order", order("BTC-USDT", "buy", "60100", "0.02")));
            assertEquals("filled", state(carol0, taker).path("state").asText());
            assertEquals("filled", state(bob0, oldest).path("state").asText(), "the oldest order at 60100 fills first");
            JsonNode rest = state(alice0, second);
            assertEquals("partially_filled", rest.path("state").asText());
            assertEquals("0.01", rest.path("accFillSz").asText());
            // a new order at the same price queues behind the moved one
            newer = placed(bob0.post("/api/v5/trade/order", order("BTC-USDT", "sell", "60100", "0.01")));
            String queue = section(books(e1), "BTC-USDT");
            assertTrue(queue.contains("[" + second + ", " + newer + "]"), queue);

            // the books channel on the old owner's pod goes on: it ends with the new owner's book
            JsonNode restBook = await(() -> marketBooks(e1), n -> "0.02".equals(n.path("asks").path(0).path(1).asText()),
                    "the new owner's books with the newer order");
            await(() -> {
                book.feed(ws);
                return book;
            }, b -> b.sameAs(restBook), "WS books on pod 0 to match the new owner's book " + restBook);
            assertTrue(book.updates > 0, "updates kept chaining across the move");
        }

        // kill -9 the new owner: it recovers the moved book (adopted ids, original priority) from the database
        String dump = books(e1);
        e1.kill9();
        e1 = exchange.start(1);
        assertEquals(dump, books(e1));
        OkxRestClient carol1 = TraderFixture.client(e1, carolKey);
        String last = placed(carol1.post("/api/v5/trade/order", order("BTC-USDT", "buy", "60100", "0.01")));
        assertEquals("filled", state(carol1, last).path("state").asText());
        assertEquals("filled", state(TraderFixture.client(e1, aliceKey), second).path("state").asText(),
                "after the restart the moved order still comes before the newer one");
        assertEquals("live", state(TraderFixture.client(e1, bobKey), newer).path("state").asText());
        assertEquals(List.of("operator:instrument.update", "operator:instrument.move"), audit("instrument/BTC-USDT"));
        assertTrue(e0.metric("bourse_instrument_changes_total", "action=\"move\"") >= 1);
    }

    // ------------------------------------------------------------------ helpers

    private static String solSpec(String tick, String extra) {
        return "{\"baseCcy\":\"SOL\",\"quoteCcy\":\"USDT\",\"baseScale\":8,\"quoteScale\":6,\"tickSz\":\"" + tick + "\","
                + "\"lotSz\":\"0.01\",\"minSz\":\"0.01\",\"maxSz\":\"10000\",\"refPx\":\"150\",\"priceBandBps\":1000,"
                + "\"breaker\":{\"moveBps\":2000,\"windowMs\":60000},\"fees\":{\"maker\":\"0.001\",\"taker\":\"0.002\"}"
                + (extra == null ? "" : "," + extra) + "}";
    }

    private static String btcSpec(String tick, int bandBps, String maker, String taker) {
        return "{\"baseCcy\":\"BTC\",\"quoteCcy\":\"USDT\",\"tickSz\":\"" + tick + "\",\"lotSz\":\"0.00001\",\"minSz\":\"0.00001\","
                + "\"maxSz\":\"1000\",\"refPx\":\"60000\",\"priceBandBps\":" + bandBps + ",\"fees\":{\"maker\":\"" + maker
                + "\",\"taker\":\"" + taker + "\"}}";
    }

    private static String order(String instId, String side, String px, String sz) {
        return "{\"instId\":\"" + instId + "\",\"tdMode\":\"cash\",\"side\":\"" + side + "\",\"ordType\":\"limit\",\"px\":\""
                + px + "\",\"sz\":\"" + sz + "\"}";
    }

    private static String placed(OkxRestClient.Answer a) {
        assertEquals("0", a.code(), a.toString());
        return a.first().path("ordId").asText();
    }

    private static JsonNode state(OkxRestClient api, String ordId) throws Exception {
        return api.get("/api/v5/trade/order?instId=BTC-USDT&ordId=" + ordId).first();
    }

    private JsonNode internal(EngineProcess e, String method, String path, String body) throws Exception {
        return send(e, method, path, body, TraderFixture.INTERNAL_TOKEN);
    }

    private static JsonNode send(EngineProcess e, String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(e.baseUri().resolve(path)).timeout(Duration.ofSeconds(40))
                .header("X-Actor", "operator").header("Content-Type", "application/json");
        if (token != null) {
            b.header("X-Internal-Token", token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        ObjectNode n = (ObjectNode) EngineProcess.MAPPER.readTree(r.body());
        n.put("httpStatus", r.statusCode());
        return n;
    }

    private static JsonNode admin(EngineProcess e, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(e.baseUri().resolve(path)).timeout(Duration.ofSeconds(40))
                .header("X-Admin-Token", TraderFixture.ADMIN_TOKEN).header("X-Admin-Actor", "oncall.jane")
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        ObjectNode n = r.body().startsWith("{") ? (ObjectNode) EngineProcess.MAPPER.readTree(r.body())
                : EngineProcess.MAPPER.createObjectNode();
        n.put("httpStatus", r.statusCode());
        return n;
    }

    private JsonNode move(EngineProcess e, String instId, String body) throws Exception {
        return internal(e, "POST", "/internal/v1/instruments/" + instId + "/move", body);
    }

    private void halt(String instId, String state) throws Exception {
        JsonNode r = internal(e0, "POST", "/internal/v1/symbols/state", "{\"instId\":\"" + instId + "\",\"state\":\"" + state
                + "\",\"reason\":\"symbol move\"}");
        assertEquals("0", r.path("code").asText(), r.toString());
    }

    private long lastCommittedSeq(EngineProcess e) throws Exception {
        return internal(e, "GET", "/internal/v1/status", null).path("data").path(0).path("lastCommittedSeq").asLong();
    }

    private static String books(EngineProcess e) throws Exception {
        EngineProcess.Response r = e.get("/internal/v1/books");
        assertEquals(200, r.status(), r.body());
        return r.body();
    }

    /** The lines of one symbol in a canonical books dump (header and levels), or "" when absent. */
    private static String section(String dump, String instId) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String line : dump.split("\n")) {
            if (!line.startsWith(" ")) {
                in = line.startsWith(instId + " ");
            }
            if (in) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    private static JsonNode publicInstrument(EngineProcess e, String instId) throws Exception {
        OkxRestClient.Answer a = new OkxRestClient(e.baseUri(), null).get("/api/v5/public/instruments?instType=SPOT");
        for (JsonNode n : a.data()) {
            if (instId.equals(n.path("instId").asText())) {
                return n;
            }
        }
        return null;
    }

    private static JsonNode marketBooks(EngineProcess e) throws Exception {
        return new OkxRestClient(e.baseUri(), null).get("/api/v5/market/books?instId=BTC-USDT&sz=400").first();
    }

    /** "actor:action" of the audit rows of {@code target}, oldest first. */
    private List<String> audit(String target) throws Exception {
        List<String> out = new ArrayList<>();
        try (Database db = exchange.database().open(); Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT actor, action FROM audit_log WHERE target = ? ORDER BY audit_id")) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
        }
        return out;
    }

    @FunctionalInterface
    private interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> T await(Probe<T> probe, java.util.function.Predicate<T> done, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        fail("timed out waiting for " + what + "; last: " + last);
        return null;
    }

    /** A client's book from the books channel: updates must chain (prevSeqId = the previous seqId). */
    private static final class ClientBook {
        final TreeMap<BigDecimal, String> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<BigDecimal, String> asks = new TreeMap<>();
        long seqId = Long.MIN_VALUE;
        int updates;
        int seen;

        void feed(OkxWsClient ws) {
            List<OkxWsClient.Message> all = ws.all();
            for (; seen < all.size(); seen++) {
                JsonNode j = all.get(seen).json();
                if (j == null || !"books".equals(j.path("arg").path("channel").asText()) || !j.has("data")) {
                    continue;
                }
                JsonNode d = j.path("data").path(0);
                if ("snapshot".equals(j.path("action").asText())) {
                    bids.clear();
                    asks.clear();
                } else {
                    assertEquals(seqId, d.path("prevSeqId").asLong(), "updates chain: " + j);
                    updates++;
                }
                put(bids, d.path("bids"));
                put(asks, d.path("asks"));
                seqId = d.path("seqId").asLong();
            }
        }

        private static void put(TreeMap<BigDecimal, String> side, JsonNode levels) {
            for (JsonNode l : levels) {
                BigDecimal px = new BigDecimal(l.get(0).asText());
                if (new BigDecimal(l.get(1).asText()).signum() == 0) {
                    side.remove(px);
                } else {
                    side.put(px, l.get(1).asText());
                }
            }
        }

        boolean sameAs(JsonNode rest) {
            return seqId == rest.path("seqId").asLong() && levels(bids).equals(levels(rest.path("bids")))
                    && levels(asks).equals(levels(rest.path("asks")));
        }

        private static List<String> levels(TreeMap<BigDecimal, String> side) {
            return side.entrySet().stream().map(e -> e.getKey().toPlainString() + ":" + e.getValue()).toList();
        }

        private static List<String> levels(JsonNode side) {
            List<String> out = new ArrayList<>();
            for (JsonNode l : side) {
                out.add(new BigDecimal(l.get(0).asText()).toPlainString() + ":" + l.get(1).asText());
            }
            return out;
        }
    }
}
