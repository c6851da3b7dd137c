package dev.bourse.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.marketdata.Bar;
import dev.bourse.testkit.EngineProcess;
import dev.bourse.server.support.OkxRestClient;
import dev.bourse.server.support.OkxRestClient.Answer;
import dev.bourse.server.support.OkxWsClient;
import dev.bourse.server.support.TestExchange;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Market data end to end on two engine processes sharing PostgreSQL and Redis: pod 0 owns BTC-USDT and
 * takes every trade, pod 1 (ETH-USDT, never traded) serves BTC-USDT from the Redis streams.
 * <ol>
 *   <li>One-minute candles across a bar boundary: trades at known prices in one minute and the next (the
 *       engine has no clock to move, so the test waits for the next minute once), checked in
 *       {@code market/candles}, {@code market/history-candles}, the ticker and the {@code candle1m} pushes.</li>
 *   <li>kill -9 of pod 0: restarted, it answers {@code market/trades}, {@code market/ticker} and
 *       {@code market/candles} exactly as before, and a reconnecting WebSocket client gets the same
 *       candle and ticker.</li>
 *   <li>kill -9 of pod 1 while pod 0 keeps trading: the restarted pod, with no trades of its own, rebuilds
 *       from the database and the event replay and then answers exactly like pod 0.</li>
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class MarketDataRestartIT {
    private static final String INST = "BTC-USDT";
    private static final String LOOSE_LIMITS = "trade/order=5000/2s,account=20000/2s,market/candles=5000/2s,"
            + "market/history-candles=5000/2s,market/ticker=5000/2s,market/trades=5000/2s";
    /** Bars compared across restarts: every size the 1m bars roll up into that a short test can tell apart. */
    private static final List<String> BARS = List.of("1m", "3m", "5m", "15m", "1H", "4H", "6H", "1D", "1Dutc", "1W", "1M");
    private static final Duration WAIT = Duration.ofSeconds(15);

    @AutoClose
    private TestExchange exchange;
    private EngineProcess e0;
    private EngineProcess e1;
    private OkxRestClient alice;
    private OkxRestClient bob;

    @BeforeAll
    void start() throws Exception {
        exchange = TestExchange.builder("md")
                .redis()
                .env("RATE_LIMITS", LOOSE_LIMITS)
                .traders(Map.of("BTC", "100", "USDT", "10000000"), "alice", "bob")
                .start();
        e0 = exchange.engine(0);
        e1 = exchange.engine(1);
        alice = exchange.client(0, "alice");
        bob = exchange.client(0, "bob");
    }

    // ------------------------------------------------------------------------------------ 1. candles

    @Test
    @Order(1)
    void oneMinuteCandlesAcrossABarBoundary() throws Exception {
        try (OkxWsClient ws = OkxWsClient.connect(e1, "/ws/v5/business")) {
            ws.subscribe("{\"channel\":\"candle1m\",\"instId\":\"" + INST + "\"}");
            // minute A: three trades, all well inside one minute
            if (System.currentTimeMillis() % 60_000 > 45_000) {
                sleepUntil(Bar.M1.next(Bar.M1.start(System.currentTimeMillis())) + 200);
            }
            long minuteA = Bar.M1.start(System.currentTimeMillis());
            trade("60000", "0.01");
            trade("60100", "0.02");
            trade("59900", "0.005");
            for (JsonNode t : e0rest("/api/v5/market/trades?instId=" + INST).data()) {
                assertEquals(minuteA, Bar.M1.start(t.path("ts").asLong()), "the minute-A trades took too long: " + t);
            }
            // o h l c vol volCcy(quote) volCcyQuote: 600 + 1202 + 299.5 = 2101.5 USDT
            List<String> a = List.of(Long.toString(minuteA), "60000", "60100", "59900", "59900", "0.035", "2101.5", "2101.5");
            for (EngineProcess e : List.of(e0, e1)) {
                awaitAnswer(e, "/api/v5/market/candles?instId=" + INST + "&bar=1m", rows(row(a, "0")));
            }
            ws.await(m -> isCandle(m, row(a, "0")), WAIT);

            // minute B: one more trade opens the next bar and confirms the first
            // up to a minute: keep the socket alive as a real client does (idle connections are closed after 30 s)
            sleepUntil(minuteA + 60_000 + 300, ws);
            long minuteB = minuteA + 60_000;
            trade("60050", "0.01");
            assertEquals(minuteB, Bar.M1.start(e0rest("/api/v5/market/trades?instId=" + INST + "&limit=1").first()
                    .path("ts").asLong()));
            List<String> b = List.of(Long.toString(minuteB), "60050", "60050", "60050", "60050", "0.01", "600.5", "600.5");
            for (EngineProcess e : List.of(e0, e1)) {
                awaitAnswer(e, "/api/v5/market/candles?instId=" + INST + "&bar=1m", rows(row(b, "0"), row(a, "1")));
                awaitAnswer(e, "/api/v5/market/history-candles?instId=" + INST + "&bar=1m", rows(row(b, "0"), row(a, "1")));
                awaitAnswer(e, "/api/v5/market/candles?instId=" + INST + "&bar=1m&after=" + minuteB, rows(row(a, "1")));
                awaitAnswer(e, "/api/v5/market/candles?instId=" + INST + "&bar=1m&before=" + minuteA, rows(row(b, "0")));
                // an hour bar holds both minutes unless the hour turned between them
                long hourA = Bar.H1.start(minuteA);
                if (hourA == Bar.H1.start(minuteB)) {
                    awaitAnswer(e, "/api/v5/market/candles?instId=" + INST + "&bar=1H", rows(row(List.of(Long.toString(hourA),
                            "60000", "60100", "59900", "60050", "0.045", "2702", "2702"), "0")));
                }
                JsonNode t = awaitTicker(e, "60050");
                assertEquals("0.01", t.path("lastSz").asText(), t.toString());
                assertEquals("60000", t.path("open24h").asText(), t.toString());
                assertEquals("60100", t.path("high24h").asText(), t.toString());
                assertEquals("59900", t.path("low24h").asText(), t.toString());
                assertEquals("0.045", t.path("vol24h").asText(), t.toString());
                assertEquals("2702", t.path("volCcy24h").asText(), t.toString());
            }
            // the push of minute A's final state (confirm 1) comes before minute B's first
            OkxWsClient.Message confirmed = ws.await(m -> isCandle(m, row(a, "1")), WAIT);
            OkxWsClient.Message opened = ws.await(m -> isCandle(m, row(b, "0")), WAIT);
            assertTrue(confirmed.receivedNanos() <= opened.receivedNanos());
        }
    }

    // ------------------------------------------------------------------------------------ 2. kill -9 of the trading pod

    @Test
    @Order(2)
    void theTradingPodKilledAndRestartedAnswersTheSame() throws Exception {
        Random rnd = new Random(2);
        for (int i = 0; i < 20; i++) {
            trade(price(rnd), size(rnd));
        }
        awaitSameView(e0, e1, "pod 1 serves pod 0's market data");
        Map<String, JsonNode> before = view(e0);
        JsonNode candleBefore;
        JsonNode tickerBefore;
        try (OkxWsClient ws = OkxWsClient.connect(e0, "/ws/v5/public")) {
            ws.subscribe("{\"channel\":\"candle1m\",\"instId\":\"" + INST + "\"}");
            candleBefore = ws.await(m -> m.has("data") && m.path("arg").path("channel").asText().equals("candle1m"), WAIT).json();
            ws.subscribe("{\"channel\":\"tickers\",\"instId\":\"" + INST + "\"}");
            tickerBefore = ws.await(m -> m.has("data") && m.path("arg").path("channel").asText().equals("tickers"), WAIT).json();
        }

        e0.kill9();
        e0 = exchange.start(0);
        assertTrue(e0.log().contains("market data: rebuilt from"), e0.logTail());

        awaitView(e0, before, "pod 0 after kill -9");
        awaitSameView(e0, e1, "pod 1 after pod 0's restart");
        // a client reconnecting to the restarted pod gets the same latest candle and ticker
        try (OkxWsClient ws = OkxWsClient.connect(e0, "/ws/v5/public")) {
            ws.subscribe("{\"channel\":\"candle1m\",\"instId\":\"" + INST + "\"}");
            JsonNode candle = ws.await(m -> m.has("data") && m.path("arg").path("channel").asText().equals("candle1m"), WAIT).json();
            assertEquals(withoutConfirm(candleBefore.path("data").path(0)), withoutConfirm(candle.path("data").path(0)));
            ws.subscribe("{\"channel\":\"tickers\",\"instId\":\"" + INST + "\"}");
            JsonNode ticker = ws.await(m -> m.has("data") && m.path("arg").path("channel").asText().equals("tickers"), WAIT).json();
            assertEquals(withoutTs(tickerBefore.path("data").path(0)), withoutTs(ticker.path("data").path(0)));
        }
    }

    // ------------------------------------------------------------------------------------ 3. the other pod, under trading

    @Test
    @Order(3)
    void aPodWithoutTradesOfItsOwnRestartedUnderTradingServesTheSame() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger trades = new AtomicInteger();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> traders = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Random rnd = new Random(30 + t);
            Thread th = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        trade(price(rnd), size(rnd));
                        trades.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "md-trader-" + t);
            th.start();
            traders.add(th);
        }
        try {
            Thread.sleep(1_000);
            e1.kill9();
            int atKill = trades.get();
            e1 = exchange.start(1); // pod 0 keeps trading while pod 1 reads the database and replays
            int atReady = trades.get();
            Thread.sleep(1_000);
            stop.set(true);
            for (Thread th : traders) {
                th.join(30_000);
            }
            assertTrue(failures.isEmpty(), failures.toString());
            assertTrue(atReady - atKill >= 10, "pod 0 traded only " + (atReady - atKill) + " times while pod 1 restarted");
        } finally {
            stop.set(true);
        }
        assertTrue(e1.log().contains("market data: rebuilt from"), e1.logTail());
        awaitSameView(e0, e1, "pod 1 restarted while pod 0 traded " + trades.get() + " times");
        assertTrue(e1.metric("bourse_event_replayed_batches_total") > 0, "pod 1 replayed the recent events at start");
        System.out.printf("MarketDataRestartIT: %d trades during the restart of pod 1; it replayed %.0f batches and took %.0f "
                        + "trades from the replay%n", trades.get(), e1.metric("bourse_event_replayed_batches_total"),
                e1.metric("bourse_marketdata_replayed_trades_total"));
    }

    // ------------------------------------------------------------------------------------ helpers

    /** Alice rests a sell, Bob takes all of it: one trade of {@code sz} at {@code px}, the book left empty. */
    private void trade(String px, String sz) throws Exception {
        Answer sell = alice.post("/api/v5/trade/order", order("sell", px, sz));
        assertEquals("0", sell.code(), sell.toString());
        Answer buy = bob.post("/api/v5/trade/order", order("buy", px, sz));
        assertEquals("0", buy.code(), buy.toString());
    }

    private static String order(String side, String px, String sz) {
        return "{\"instId\":\"" + INST + "\",\"tdMode\":\"cash\",\"side\":\"" + side + "\",\"ordType\":\"limit\",\"px\":\"" + px
                + "\",\"sz\":\"" + sz + "\"}";
    }

    private static String price(Random rnd) {
        return BigDecimal.valueOf(599_000 + rnd.nextInt(2_001), 1).toPlainString();
    }

    private static String size(Random rnd) {
        return BigDecimal.valueOf(100 + rnd.nextInt(400), 5).toPlainString();
    }

    private OkxRestClient.Answer e0rest(String path) throws Exception {
        Answer a = new OkxRestClient(e0.baseUri(), null).get(path);
        assertEquals("0", a.code(), a.toString());
        return a;
    }

    private static JsonNode get(EngineProcess e, String path) throws Exception {
        Answer a = new OkxRestClient(e.baseUri(), null).get(path);
        assertEquals("0", a.code(), path + " on " + e.name() + ": " + a);
        return a.data();
    }

    private static List<String> row(List<String> ohlcv, String confirm) {
        List<String> r = new ArrayList<>(ohlcv);
        r.add(confirm);
        return r;
    }

    @SafeVarargs
    private static JsonNode rows(List<String>... rows) {
        ArrayNode out = EngineProcess.MAPPER.createArrayNode();
        for (List<String> r : rows) {
            ArrayNode a = out.addArray();
            r.forEach(a::add);
        }
        return out;
    }

    private static boolean isCandle(JsonNode msg, List<String> row) {
        return msg.path("arg").path("channel").asText().equals("candle1m") && msg.path("data").path(0).equals(rows(row).get(0));
    }

    /** Polls {@code path} until its data equals {@code want} (pod 1 learns of pod 0's trades through Redis). */
    private static void awaitAnswer(EngineProcess e, String path, JsonNode want) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode got;
        do {
            got = get(e, path);
            if (got.equals(want)) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertEquals(want, got, path + " on " + e.name());
    }

    private static JsonNode awaitTicker(EngineProcess e, String last) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode t;
        do {
            t = get(e, "/api/v5/market/ticker?instId=" + INST).path(0);
            if (t.path("last").asText().equals(last)) {
                return t;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        fail(e.name() + ": ticker never showed last " + last + ": " + t);
        return t;
    }

    /**
     * What a trader sees of BTC-USDT: the last 500 trades, the ticker (without its own time) and the candles
     * of every bar size (the newest bar's confirm flag left out: it turns by itself when the bar's time is up).
     */
    private static Map<String, JsonNode> view(EngineProcess e) throws Exception {
        Map<String, JsonNode> v = new LinkedHashMap<>();
        v.put("trades", get(e, "/api/v5/market/trades?instId=" + INST + "&limit=500"));
        v.put("ticker", withoutTs(get(e, "/api/v5/market/ticker?instId=" + INST).path(0)));
        for (String bar : BARS) {
            v.put("candles " + bar, newestUnconfirmed(get(e, "/api/v5/market/candles?instId=" + INST + "&bar=" + bar
                    + "&limit=300")));
        }
        v.put("history-candles 1m", newestUnconfirmed(get(e, "/api/v5/market/history-candles?instId=" + INST
                + "&bar=1m&limit=100")));
        return v;
    }

    private static JsonNode newestUnconfirmed(JsonNode candles) {
        ArrayNode a = (ArrayNode) candles.deepCopy();
        if (!a.isEmpty()) {
            a.set(0, withoutConfirm(a.get(0)));
        }
        return a;
    }

    private static JsonNode withoutTs(JsonNode ticker) {
        ObjectNode o = (ObjectNode) ticker.deepCopy();
        o.remove("ts");
        return o;
    }

    private static JsonNode withoutConfirm(JsonNode candle) {
        ArrayNode a = (ArrayNode) candle.deepCopy();
        a.remove(8);
        return a;
    }

    private static void awaitView(EngineProcess e, Map<String, JsonNode> want, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, JsonNode> got;
        do {
            got = view(e);
            if (got.equals(want)) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        for (String k : want.keySet()) {
            assertEquals(want.get(k), got.get(k), what + ": " + k);
        }
        assertEquals(want, got, what);
    }

    private static void awaitSameView(EngineProcess a, EngineProcess b, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, JsonNode> va;
        Map<String, JsonNode> vb;
        do {
            va = view(a);
            vb = view(b);
            if (va.equals(vb)) {
                assertTrue(va.get("trades").size() > 0, "some trades to compare");
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        for (String k : va.keySet()) {
            assertEquals(va.get(k), vb.get(k), what + ": " + k);
        }
    }

    private static void sleepUntil(long epochMillis, OkxWsClient keepAlive) throws InterruptedException {
        long ms;
        while ((ms = epochMillis - System.currentTimeMillis()) > 0) {
            keepAlive.send("ping");
            Thread.sleep(Math.min(ms, 10_000));
        }
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long ms = epochMillis - System.currentTimeMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
