package dev.bourse.client.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.bourse.client.auth.Credentials;
import dev.bourse.client.auth.OkxSigner;
import dev.bourse.client.book.LocalOrderBook;
import dev.bourse.client.book.OrderBookFeed;
import dev.bourse.client.book.OrderBookStore;
import dev.bourse.client.book.PriceLevel;
import dev.bourse.client.ws.model.OrderUpdate;
import dev.bourse.client.ws.op.AmendOrder;
import dev.bourse.client.ws.op.CancelOrder;
import dev.bourse.client.ws.op.OpReply;
import dev.bourse.client.ws.op.OpResult;
import dev.bourse.client.ws.op.PlaceOrder;
import dev.bourse.testkit.DevEngine;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The WebSocket half of the SDK against a real Bourse engine (the packaged jar, dev profile, embedded H2 in a
 * temporary directory, demo accounts and keys): the local {@code books} copy kept by {@link OrderBookFeed} equals
 * {@code GET /api/v5/market/books} while orders are placed, amended and cancelled over the private socket's order
 * ops and over signed REST, the private {@code orders} channel reports each of them, and a graceful stop sends the
 * 64008 notice. The engine is a {@link DevEngine} (its jar from {@code -Dbourse.server.jar}, set by failsafe).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class BourseWsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper M = new ObjectMapper();
    private static final String INST = "BTC-USDT";

    private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();
    private DevEngine engine;
    private String base;
    private final Map<String, Credentials> demo = new HashMap<>();

    private OkxWebSocket pub;
    private OkxWebSocket priv;
    private OrderBookFeed feed;
    private final List<OrderUpdate> orderUpdates = new CopyOnWriteArrayList<>();
    private final List<JsonNode> notices = new CopyOnWriteArrayList<>();

    @BeforeAll
    void startEngine() throws Exception {
        engine = DevEngine.start("client-ws-it", Map.of());
        base = engine.baseUrl();
        for (String user : DevEngine.DEMO_USERS) {
            DevEngine.DemoKey key = engine.demoKey(user);
            demo.put(user, new Credentials(key.apiKey(), key.secretKey(), key.passphrase()));
        }
    }

    @AfterAll
    void stopEngine() throws Exception {
        if (feed != null) {
            feed.close();
        }
        if (pub != null) {
            pub.close();
        }
        if (priv != null) {
            priv.close();
        }
        if (engine != null) {
            engine.close();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    // ------------------------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void localBookEqualsRestBookAndPrivateOrdersArrive() throws Exception {
        String wsBase = base.replace("http://", "ws://");
        pub = new OkxWebSocket(WsConfig.builder(wsBase + "/ws/v5/public").name("it-public").build());
        pub.onRaw(m -> {
            if ("notice".equals(m.json().path("event").asText())) {
                notices.add(m.json());
            }
        });
        feed = new OrderBookFeed(pub, new OrderBookStore());
        pub.connect(WAIT);
        LocalOrderBook book = feed.subscribe("books", INST, WAIT);
        assertTrue(book.isReady());
        assertBookMatchesRest(book);

        priv = new OkxWebSocket(WsConfig.builder(wsBase + "/ws/v5/private").name("it-private")
                .credentials(demo.get("demo-alice")).build());
        priv.on(WsChannel.ORDERS, p -> orderUpdates.addAll(p.data()));
        priv.connect(WAIT);
        priv.subscribeAndWait(WAIT, ChannelArg.orders("SPOT"));

        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        // alice: five bids over the private socket's batch op
        List<PlaceOrder> bids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bids.add(PlaceOrder.limit(INST, "buy", new BigDecimal(59_000 + 100 * i), new BigDecimal("0.0" + (i + 1)),
                    "b" + i + run));
        }
        OpReply placed = priv.placeOrders(bids).get(10, TimeUnit.SECONDS);
        assertEquals("0", placed.code(), placed.toString());
        assertEquals(5, placed.data().size());
        Map<String, String> ordIds = new HashMap<>();
        for (OpResult r : placed.data()) {
            assertTrue(r.ok(), r.toString());
            ordIds.put(r.clOrdId(), r.ordId());
        }
        // bob: three asks and a sell that crosses alice's best bid, over signed REST
        Credentials bob = demo.get("demo-bob");
        ArrayNode asks = M.createArrayNode();
        for (int i = 0; i < 3; i++) {
            asks.addObject().put("instId", INST).put("tdMode", "cash").put("side", "sell").put("ordType", "limit")
                    .put("px", Integer.toString(60_500 + 100 * i)).put("sz", "0.02").put("clOrdId", "a" + i + run);
        }
        JsonNode restAsks = signedPost(bob, "/api/v5/trade/batch-orders", asks.toString());
        assertEquals("0", restAsks.path("code").asText(), restAsks.toString());
        JsonNode cross = signedPost(bob, "/api/v5/trade/order", M.createObjectNode().put("instId", INST)
                .put("tdMode", "cash").put("side", "sell").put("ordType", "limit").put("px", "59400")
                .put("sz", "0.02").put("clOrdId", "x" + run).toString());
        assertEquals("0", cross.path("code").asText(), cross.toString());

        // alice amends one bid and cancels another over the socket
        OpReply amended = priv.amendOrder(AmendOrder.of(INST, ordIds.get("b1" + run), new BigDecimal("0.015"), null)
                .withReqId("r" + run)).get(10, TimeUnit.SECONDS);
        assertEquals("0", amended.code(), amended.toString());
        assertEquals("r" + run, amended.first().reqId());
        OpReply canceled = priv.cancelOrder(CancelOrder.byClOrdId(INST, "b0" + run)).get(10, TimeUnit.SECONDS);
        assertEquals("0", canceled.code(), canceled.toString());

        // the private channel tells alice about each of her orders
        awaitUpdate(u -> u.clOrdId().equals("b4" + run) && u.state().equals("partially_filled")
                && new BigDecimal("0.02").compareTo(u.fillSz()) == 0 && new BigDecimal("59400").compareTo(u.fillPx()) == 0);
        awaitUpdate(u -> u.clOrdId().equals("b1" + run) && new BigDecimal("0.015").compareTo(u.sz()) == 0);
        awaitUpdate(u -> u.clOrdId().equals("b0" + run) && u.state().equals("canceled"));
        for (int i = 2; i <= 3; i++) {
            String id = "b" + i + run;
            awaitUpdate(u -> u.clOrdId().equals(id) && u.state().equals("live"));
        }

        // and the local book equals the server's
        assertBookMatchesRest(book);
        // alice's best bid was partly filled by bob's sell: 0.05 - 0.02 left
        assertEquals(new BigDecimal("59400"), book.bestBid().orElseThrow().px());
        assertEquals(0, new BigDecimal("0.03").compareTo(book.bestBid().orElseThrow().sz()));
        assertEquals(new BigDecimal("60500"), book.bestAsk().orElseThrow().px());
        assertTrue(book.checksumsVerified() > 0, "Bourse sends real checksums: " + book.checksumsVerified());
        assertEquals(0, feed.errors());
        for (OkxWebSocket ws : List.of(pub, priv)) {
            WsStats s = ws.stats();
            assertTrue(s.connected(), s.toString());
            assertEquals(0, s.handlerErrors(), s.toString());
            assertEquals(0, s.typedDropped() + s.rawDropped(), s.toString());
            assertEquals(0, s.subscribeError(), s.toString());
            assertEquals(0, s.pendingOps(), s.toString());
        }
    }

    @Test
    @Order(2)
    void gracefulStopSendsTheReconnectNotice() throws Exception {
        assertTrue(pub != null && pub.isReady(), "the first test connected the public client");
        // SIGTERM: the engine announces 64008 before it closes connections (stop throws if it is not gone in 30 s)
        engine.process().stop(Duration.ofSeconds(30));
        awaitTrue(() -> !notices.isEmpty(), "the 64008 notice", WAIT);
        assertEquals("64008", notices.getFirst().path("code").asText());
        awaitTrue(() -> pub.stats().reconnects() >= 1, "a reconnect attempt", WAIT);
        assertTrue(!pub.isReady());
    }

    // ------------------------------------------------------------------------------------ helpers

    private void awaitUpdate(Predicate<OrderUpdate> p) throws Exception {
        awaitTrue(() -> orderUpdates.stream().anyMatch(p), "an orders push; got " + orderUpdates, WAIT);
    }

    /** Polls until the local book and {@code GET market/books} show the same seqId and the same levels. */
    private void assertBookMatchesRest(LocalOrderBook book) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            JsonNode d;
            try (Response r = get("/api/v5/market/books?instId=" + INST + "&sz=400")) {
                d = M.readTree(r.body().string()).path("data").path(0);
            }
            LocalOrderBook.View v = book.view();
            List<String> restBids = rows(d.path("bids"));
            List<String> restAsks = rows(d.path("asks"));
            if (v.ready() && v.seqId() == d.path("seqId").asLong() && restBids.equals(rows(v.bids()))
                    && restAsks.equals(rows(v.asks()))) {
                return;
            }
            last = "local seqId " + v.seqId() + " bids " + rows(v.bids()) + " asks " + rows(v.asks()) + "; REST seqId "
                    + d.path("seqId").asLong() + " bids " + restBids + " asks " + restAsks;
            Thread.sleep(20);
        }
        fail("local book differs from GET market/books: " + last);
    }

    private static List<String> rows(JsonNode levels) {
        List<String> out = new ArrayList<>();
        levels.forEach(l -> out.add(l.get(0).asText() + ":" + l.get(1).asText() + ":" + l.get(3).asText()));
        return out;
    }

    private static List<String> rows(List<PriceLevel> levels) {
        return levels.stream().map(l -> l.pxText() + ":" + l.szText() + ":" + l.orders()).toList();
    }

    private Response get(String path) {
        try {
            return http.newCall(new Request.Builder().url(base + path).build()).execute();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A signed REST POST as OKX V5 specifies it, on a plain okhttp call. */
    private JsonNode signedPost(Credentials c, String path, String body) throws IOException {
        String ts = OkxSigner.restTimestamp(Instant.now());
        String sign = new OkxSigner(c.secretKey()).sign(ts, "POST", path, body);
        Request req = new Request.Builder().url(base + path)
                .header("OK-ACCESS-KEY", c.apiKey()).header("OK-ACCESS-SIGN", sign)
                .header("OK-ACCESS-TIMESTAMP", ts).header("OK-ACCESS-PASSPHRASE", c.passphrase())
                .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), MediaType.get("application/json")))
                .build();
        try (Response r = http.newCall(req).execute()) {
            return M.readTree(r.body().string());
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Condition c, String what, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ok;
            try {
                ok = c.holds();
            } catch (IOException | UncheckedIOException e) {
                ok = false;
            }
            if (ok) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
