package dev.bourse.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.testkit.EngineProcess;
import dev.bourse.server.support.OkxRestClient;
import dev.bourse.server.support.OkxRestClient.Answer;
import dev.bourse.server.support.OkxRestClient.Credentials;
import dev.bourse.server.support.OkxWsClient;
import dev.bourse.server.support.TestExchange;
import dev.bourse.server.support.TestRedis;
import dev.bourse.server.support.TraderFixture;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The trader API end to end across two engine processes on PostgreSQL and Redis: shard 0 owns BTC-USDT,
 * shard 1 owns ETH-USDT, each pod forwards the other's orders ({@code SHARD_PEERS}) and serves the other's
 * market data from the Redis streams. Checked with the JDK WebSocket client and signed REST: forwarding,
 * the {@code books} chain and checksum under concurrent trading on both pods, private channels, WS order
 * operations, ping/pong and login failures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class TraderWsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String LOOSE_LIMITS = "trade/order=2000/2s,trade/cancel-order=2000/2s,trade/amend-order=2000/2s,"
            + "trade/batch-orders=2000/2s";
    private static final int TRADERS = 4;

    @AutoClose
    private TestExchange exchange;
    private EngineProcess e0;
    private EngineProcess e1;

    @BeforeAll
    void start() throws Exception {
        List<String> names = new ArrayList<>(List.of("alice", "bob", "carol"));
        for (int i = 0; i < TRADERS; i++) {
            names.add("trader" + i);
        }
        exchange = TestExchange.builder("ws")
                .redis()
                .env("RATE_LIMITS", LOOSE_LIMITS)
                .traders(Map.of("BTC", "100", "ETH", "1000", "USDT", "10000000"), names.toArray(String[]::new))
                .start();
        e0 = exchange.engine(0);
        e1 = exchange.engine(1);
    }

    private OkxRestClient rest(EngineProcess e, String user) {
        return TraderFixture.client(e, exchange.key(user));
    }

    private static String order(String instId, String side, String px, String sz, String clOrdId) {
        return "{\"instId\":\"" + instId + "\",\"tdMode\":\"cash\",\"side\":\"" + side + "\",\"ordType\":\"limit\",\"px\":\""
                + px + "\",\"sz\":\"" + sz + "\"" + (clOrdId == null ? "" : ",\"clOrdId\":\"" + clOrdId + "\"") + "}";
    }

    private static JsonNode orderState(OkxRestClient api, String instId, String ordId) throws Exception {
        Answer a = api.get("/api/v5/trade/order?instId=" + instId + "&ordId=" + ordId);
        assertEquals("0", a.code(), a.toString());
        return a.first();
    }

    private static boolean onShard1(String ordId) {
        // order ids of shard N start above N × 10^12
        return Long.parseLong(ordId) > 1_000_000_000_000L;
    }

    // ------------------------------------------------------------------------------------ 1. forwarding

    @Test
    void ordersForTheOtherShardAreForwardedAndCancelableOnItsOwner() throws Exception {
        OkxRestClient alice0 = rest(e0, "alice");
        OkxRestClient alice1 = rest(e1, "alice");

        Answer placed = alice0.post("/api/v5/trade/order", order("ETH-USDT", "buy", "2900", "0.1", "fwdRest1"));
        assertEquals("0", placed.code(), placed.toString());
        String restOrd = placed.first().path("ordId").asText();
        assertTrue(onShard1(restOrd), "ETH-USDT order placed through pod 0 carries a shard-1 id: " + restOrd);
        for (OkxRestClient api : List.of(alice0, alice1)) {
            JsonNode o = orderState(api, "ETH-USDT", restOrd);
            assertEquals("live", o.path("state").asText(), o.toString());
            assertEquals("fwdRest1", o.path("clOrdId").asText());
            assertEquals("2900", o.path("px").asText());
        }

        String wsOrd;
        try (OkxWsClient ws0 = OkxWsClient.connect(e0, "/ws/v5/private")) {
            ws0.login(exchange.key("alice"));
            JsonNode r = ws0.op("fwd2", "order", order("ETH-USDT", "buy", "2901", "0.2", "fwdWs2"));
            assertEquals("0", r.path("code").asText(), r.toString());
            assertEquals("fwd2", r.path("id").asText());
            assertEquals("0", r.path("data").path(0).path("sCode").asText(), r.toString());
            wsOrd = r.path("data").path(0).path("ordId").asText();
            assertTrue(onShard1(wsOrd), wsOrd);
        }
        assertEquals("live", orderState(alice1, "ETH-USDT", wsOrd).path("state").asText());
        assertEquals("0.2", orderState(alice0, "ETH-USDT", wsOrd).path("sz").asText());
        // the owner's pending list has both
        Set<String> pending = new HashSet<>();
        alice1.get("/api/v5/trade/orders-pending?instId=ETH-USDT").data().forEach(o -> pending.add(o.path("ordId").asText()));
        assertTrue(pending.containsAll(List.of(restOrd, wsOrd)), pending.toString());

        // cancel on the owning pod, REST and WS; both pods then see canceled
        Answer c1 = alice1.post("/api/v5/trade/cancel-order", "{\"instId\":\"ETH-USDT\",\"ordId\":\"" + restOrd + "\"}");
        assertEquals("0", c1.code(), c1.toString());
        try (OkxWsClient ws1 = OkxWsClient.connect(e1, "/ws/v5/private")) {
            ws1.login(exchange.key("alice"));
            JsonNode r = ws1.op("fwdc2", "cancel-order", "{\"instId\":\"ETH-USDT\",\"clOrdId\":\"fwdWs2\"}");
            assertEquals("0", r.path("code").asText(), r.toString());
            assertEquals(wsOrd, r.path("data").path(0).path("ordId").asText());
        }
        for (OkxRestClient api : List.of(alice0, alice1)) {
            assertEquals("canceled", orderState(api, "ETH-USDT", restOrd).path("state").asText());
            assertEquals("canceled", orderState(api, "ETH-USDT", wsOrd).path("state").asText());
        }
    }

    // ------------------------------------------------------------------------------------ 2. books

    /**
     * A client's book rebuilt from the {@code books} channel. Every update must chain ({@code prevSeqId}
     * equals the previous {@code seqId}) and every message's checksum must match the book after it.
     */
    static final class ClientBook {
        final String name;
        final TreeMap<BigDecimal, String[]> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<BigDecimal, String[]> asks = new TreeMap<>();
        long seqId = Long.MIN_VALUE;
        int updates;
        int snapshots;

        ClientBook(String name) {
            this.name = name;
        }

        void apply(JsonNode msg) {
            String action = msg.path("action").asText();
            JsonNode d = msg.path("data").path(0);
            if (action.equals("snapshot")) {
                assertEquals(-1, d.path("prevSeqId").asLong(), name + ": snapshot prevSeqId");
                bids.clear();
                asks.clear();
                snapshots++;
            } else {
                assertEquals("update", action, name + ": " + msg);
                assertNotEquals(Long.MIN_VALUE, seqId, name + ": an update before any snapshot");
                assertEquals(seqId, d.path("prevSeqId").asLong(), name + ": prevSeqId must chain to the previous seqId");
                updates++;
            }
            long next = d.path("seqId").asLong();
            assertTrue(action.equals("snapshot") || next > seqId, name + ": seqId goes forward: " + seqId + " -> " + next);
            put(bids, d.path("bids"));
            put(asks, d.path("asks"));
            seqId = next;
            assertEquals(checksum(bids, asks), d.path("checksum").asInt(), name + ": checksum at seqId " + seqId);
        }

        private void put(TreeMap<BigDecimal, String[]> side, JsonNode levels) {
            for (JsonNode l : levels) {
                assertEquals(4, l.size(), l.toString());
                BigDecimal px = new BigDecimal(l.get(0).asText());
                if (new BigDecimal(l.get(1).asText()).signum() == 0) {
                    side.remove(px);
                } else {
                    side.put(px, new String[] {l.get(0).asText(), l.get(1).asText(), l.get(3).asText()});
                }
            }
        }

        /** OKX: CRC32 of the top 25 levels interleaved bid, ask as {@code px:sz}, joined by ':', as a signed int. */
        static int checksum(TreeMap<BigDecimal, String[]> bids, TreeMap<BigDecimal, String[]> asks) {
            List<String[]> b = bids.values().stream().limit(25).toList();
            List<String[]> a = asks.values().stream().limit(25).toList();
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                if (i < b.size()) {
                    parts.add(b.get(i)[0] + ":" + b.get(i)[1]);
                }
                if (i < a.size()) {
                    parts.add(a.get(i)[0] + ":" + a.get(i)[1]);
                }
            }
            CRC32 crc = new CRC32();
            crc.update(String.join(":", parts).getBytes(StandardCharsets.UTF_8));
            return (int) crc.getValue();
        }

        /** The levels as REST gives them: [px, sz, orders], best first. */
        List<List<String>> levels(TreeMap<BigDecimal, String[]> side) {
            return side.values().stream().map(v -> List.of(v[0], v[1], v[2])).toList();
        }
    }

    @Test
    void checksumOfTheChecksum() {
        // OKX's documented example: bids 3366.1:7, 3366:6; asks 3366.8:9, 3368:8 → "3366.1:7:3366.8:9:3366:6:3368:8"
        TreeMap<BigDecimal, String[]> bids = new TreeMap<>(Comparator.reverseOrder());
        TreeMap<BigDecimal, String[]> asks = new TreeMap<>();
        bids.put(new BigDecimal("3366.1"), new String[] {"3366.1", "7", "1"});
        bids.put(new BigDecimal("3366"), new String[] {"3366", "6", "1"});
        asks.put(new BigDecimal("3366.8"), new String[] {"3366.8", "9", "1"});
        asks.put(new BigDecimal("3368"), new String[] {"3368", "8", "1"});
        CRC32 crc = new CRC32();
        crc.update("3366.1:7:3366.8:9:3366:6:3368:8".getBytes(StandardCharsets.UTF_8));
        assertEquals((int) crc.getValue(), ClientBook.checksum(bids, asks));
        assertEquals(-1881014294, ClientBook.checksum(bids, asks), "OKX's documented checksum for this book");
        // one bid, three asks: the missing bids are skipped
        bids.remove(new BigDecimal("3366"));
        asks.put(new BigDecimal("3372"), new String[] {"3372", "8", "1"});
        assertEquals(831078360, ClientBook.checksum(bids, asks));
    }

    private static List<List<String>> restLevels(JsonNode side) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode l : side) {
            out.add(List.of(l.get(0).asText(), l.get(1).asText(), l.get(3).asText()));
        }
        return out;
    }

    @Test
    void booksChainAndChecksumHoldOnBothPodsUnderConcurrentTrading() throws Exception {
        long seed = Long.getLong("bourse.seed", System.nanoTime());
        System.out.println("TraderWsIT books: seed " + seed + " (rerun with -Dbourse.seed=" + seed + ")");
        try (OkxWsClient book1 = OkxWsClient.connect(e1, "/ws/v5/public");
             OkxWsClient book0 = OkxWsClient.connect(e0, "/ws/v5/public");
             OkxWsClient trades1 = OkxWsClient.connect(e1, "/ws/v5/public")) {
            book1.subscribe("{\"channel\":\"books\",\"instId\":\"BTC-USDT\"}");
            book0.subscribe("{\"channel\":\"books\",\"instId\":\"BTC-USDT\"}");
            trades1.subscribe("{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"}");

            AtomicInteger placed = new AtomicInteger();
            AtomicInteger canceled = new AtomicInteger();
            AtomicInteger amended = new AtomicInteger();
            AtomicInteger crossing = new AtomicInteger();
            Map<String, String> refusals = new ConcurrentHashMap<>();
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int t = 0; t < TRADERS; t++) {
                Random rnd = new Random(seed + t);
                OkxRestClient[] apis = {rest(e0, "trader" + t), rest(e1, "trader" + t)};
                workers.add(CompletableFuture.runAsync(() -> {
                    List<String> mine = new ArrayList<>();
                    try {
                        while (System.nanoTime() < until) {
                            OkxRestClient api = apis[rnd.nextInt(2)]; // pod 1 forwards BTC-USDT to pod 0
                            int action = rnd.nextInt(100);
                            Answer a;
                            if (action < 55 || mine.isEmpty()) {
                                boolean buy = rnd.nextBoolean();
                                // passive within 4.0 of 60000 (40 levels a side: more than the checksum's 25)
                                int ticks = 1 + rnd.nextInt(40);
                                String px = new BigDecimal(60000).add(new BigDecimal(buy ? -ticks : ticks).movePointLeft(1))
                                        .toPlainString();
                                String sz = new BigDecimal(1 + rnd.nextInt(500)).movePointLeft(4).toPlainString();
                                a = api.post("/api/v5/trade/order", order("BTC-USDT", buy ? "buy" : "sell", px, sz, null));
                                if ("0".equals(a.code())) {
                                    mine.add(a.first().path("ordId").asText());
                                    placed.incrementAndGet();
                                }
                            } else if (action < 70) {
                                boolean buy = rnd.nextBoolean();
                                // takes at most the 5 best levels, so the book stays deeper than 25
                                String px = buy ? "60000.5" : "59999.5";
                                String sz = new BigDecimal(1 + rnd.nextInt(800)).movePointLeft(4).toPlainString();
                                a = api.post("/api/v5/trade/order", order("BTC-USDT", buy ? "buy" : "sell", px, sz, null));
                                if ("0".equals(a.code())) {
                                    mine.add(a.first().path("ordId").asText());
                                    crossing.incrementAndGet();
                                }
                            } else if (action < 90) {
                                String ordId = mine.remove(rnd.nextInt(mine.size()));
                                a = api.post("/api/v5/trade/cancel-order", "{\"instId\":\"BTC-USDT\",\"ordId\":\"" + ordId + "\"}");
                                if ("0".equals(a.code())) {
                                    canceled.incrementAndGet();
                                }
                            } else {
                                String ordId = mine.get(rnd.nextInt(mine.size()));
                                String newSz = new BigDecimal(1 + rnd.nextInt(300)).movePointLeft(4).toPlainString();
                                a = api.post("/api/v5/trade/amend-order", "{\"instId\":\"BTC-USDT\",\"ordId\":\"" + ordId
                                        + "\",\"newSz\":\"" + newSz + "\"}");
                                if ("0".equals(a.code())) {
                                    amended.incrementAndGet();
                                }
                            }
                            if (a.status() >= 500 || a.json() == null) {
                                throw new AssertionError("server failure: " + a);
                            }
                            if (!"0".equals(a.code())) {
                                // filled or canceled meanwhile (51400/51503 …): expected now and then, but never rate limits
                                String code = a.first() != null && a.first().hasNonNull("sCode") ? a.first().path("sCode").asText()
                                        : a.code();
                                refusals.merge(code, "1", (x, y) -> Integer.toString(Integer.parseInt(x) + 1));
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
            System.out.println("TraderWsIT books: placed " + placed + ", crossing " + crossing + ", canceled " + canceled
                    + ", amended " + amended + ", refused by sCode " + refusals);
            assertTrue(placed.get() > 50 && crossing.get() > 10 && canceled.get() > 10, "enough trading happened");
            assertFalse(refusals.containsKey("50011"), "no rate limit hit: " + refusals);

            // settle: both clients and both pods' REST agree on the last seqId
            ClientBook c0 = new ClientBook("pod 0 (owner)");
            ClientBook c1 = new ClientBook("pod 1 (via Redis)");
            int[] seen = {0, 0};
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            JsonNode rest0 = null;
            JsonNode rest1 = null;
            while (true) {
                seen[0] = feed(book0, c0, seen[0]);
                seen[1] = feed(book1, c1, seen[1]);
                rest0 = new OkxRestClient(e0.baseUri(), null).get("/api/v5/market/books?instId=BTC-USDT&sz=400").first();
                rest1 = new OkxRestClient(e1.baseUri(), null).get("/api/v5/market/books?instId=BTC-USDT&sz=400").first();
                long s = rest0.path("seqId").asLong();
                if (s == rest1.path("seqId").asLong() && s == c0.seqId && s == c1.seqId) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    fail("books did not settle: REST pod0 " + s + ", REST pod1 " + rest1.path("seqId") + ", WS pod0 " + c0.seqId
                            + ", WS pod1 " + c1.seqId);
                }
                Thread.sleep(200);
            }
            System.out.println("TraderWsIT books: pod0 " + c0.updates + " updates/" + c0.snapshots + " snapshots, pod1 "
                    + c1.updates + " updates/" + c1.snapshots + " snapshots, final seqId " + c0.seqId + ", levels "
                    + c0.bids.size() + " bids/" + c0.asks.size() + " asks");
            assertEquals(1, c0.snapshots, "one snapshot on the owning pod (no reset)");
            assertEquals(1, c1.snapshots, "one snapshot on the other pod (no gap in the Redis stream)");
            assertTrue(c1.updates > 50, "the non-owning pod pushed the updates");
            assertTrue(c0.bids.size() > 25 || c0.asks.size() > 25, "the book is deeper than the checksum's 25 levels");
            for (ClientBook c : List.of(c0, c1)) {
                for (JsonNode r : List.of(rest0, rest1)) {
                    assertEquals(restLevels(r.path("bids")), c.levels(c.bids), c.name + " bids equal REST");
                    assertEquals(restLevels(r.path("asks")), c.levels(c.asks), c.name + " asks equal REST");
                }
            }
            assertFalse(c0.bids.isEmpty() || c0.asks.isEmpty());
            assertTrue(c0.bids.firstKey().compareTo(c0.asks.firstKey()) < 0, "the book is not crossed");

            // trades: the non-owning pod's REST shows the same fills as the owner's, and its trades channel pushed
            // all of them (OKX aggregates one taker's fills at one price into a push with their count and last tradeId)
            JsonNode owner = trades(e0);
            JsonNode other = trades(e1);
            assertTrue(owner.size() > 0 && owner.size() < 500, "all fills fit one page: " + owner.size());
            assertEquals(owner, other, "market/trades on pod 1 (via Redis) equals pod 0");
            Set<String> fillIds = new HashSet<>();
            BigDecimal filledSz = BigDecimal.ZERO;
            for (JsonNode t : owner) {
                fillIds.add(t.path("tradeId").asText());
                filledSz = filledSz.add(new BigDecimal(t.path("sz").asText()));
            }
            int pushedCount = 0;
            BigDecimal pushedSz = BigDecimal.ZERO;
            for (JsonNode m : trades1.pushes("trades")) {
                for (JsonNode t : m.path("data")) {
                    assertTrue(fillIds.contains(t.path("tradeId").asText()), "pushed trade " + t + " is a fill");
                    pushedCount += Integer.parseInt(t.path("count").asText());
                    pushedSz = pushedSz.add(new BigDecimal(t.path("sz").asText()));
                }
            }
            assertEquals(owner.size(), pushedCount, "pod 1's trades channel accounts for every fill");
            assertEquals(0, filledSz.compareTo(pushedSz), "pushed size " + pushedSz + " equals filled size " + filledSz);
            assertFalse(TestRedis.keys(exchange.redisPrefix()).isEmpty(),
                    "the events went through Redis under " + exchange.redisPrefix());
        }
    }

    private static int feed(OkxWsClient ws, ClientBook book, int from) {
        List<OkxWsClient.Message> all = ws.all();
        for (int i = from; i < all.size(); i++) {
            JsonNode j = all.get(i).json();
            if (j != null && "books".equals(j.path("arg").path("channel").asText()) && j.has("data")) {
                book.apply(j);
            }
        }
        return all.size();
    }

    private static JsonNode trades(EngineProcess e) throws Exception {
        Answer a = new OkxRestClient(e.baseUri(), null).get("/api/v5/market/trades?instId=BTC-USDT&limit=500");
        assertEquals("0", a.code(), a.toString());
        return a.data();
    }

    // ------------------------------------------------------------------------------------ 3. private channels

    @Test
    void privateChannelsPushOnlyTheUsersOwnOrdersAndBalances() throws Exception {
        OkxRestClient alice0 = rest(e0, "alice");
        OkxRestClient bob1 = rest(e1, "bob");
        // alice listens on pod 0; ETH-USDT is shard 1's: her pushes cross Redis
        try (OkxWsClient ws = OkxWsClient.connect(e0, "/ws/v5/private")) {
            ws.login(exchange.key("alice"));
            ws.subscribe("{\"channel\":\"orders\",\"instType\":\"SPOT\"}");
            ws.subscribe("{\"channel\":\"account\"}");
            JsonNode snapshot = ws.await(n -> "account".equals(n.path("arg").path("channel").asText())
                    && "snapshot".equals(n.path("eventType").asText()), WAIT).json();
            assertEquals(Long.toString(exchange.userId("alice")), snapshot.path("arg").path("uid").asText());
            int accountPushesBefore = ws.pushes("account").size();

            // bob trades on his own first: none of it may reach alice
            Answer bobOwn = bob1.post("/api/v5/trade/order", order("ETH-USDT", "buy", "2800", "0.3", "bobOwn"));
            assertEquals("0", bobOwn.code(), bobOwn.toString());
            String bobOwnOrd = bobOwn.first().path("ordId").asText();

            Answer buy = alice0.post("/api/v5/trade/order", order("ETH-USDT", "buy", "2950", "0.5", "aliceBuy"));
            assertEquals("0", buy.code(), buy.toString());
            String aliceBuy = buy.first().path("ordId").asText();
            ws.await(n -> isOrder(n, aliceBuy, "live"), WAIT);

            // bob sells into alice's bid: alice's order is filled (maker), bob's is filled too
            Answer sell = bob1.post("/api/v5/trade/order", order("ETH-USDT", "sell", "2950", "0.5", "bobSell"));
            assertEquals("0", sell.code(), sell.toString());
            String bobSell = sell.first().path("ordId").asText();
            JsonNode filled = ws.await(n -> isOrder(n, aliceBuy, "filled"), WAIT).json().path("data").path(0);
            assertEquals("0.5", filled.path("accFillSz").asText());
            assertEquals("2950", filled.path("fillPx").asText());
            assertEquals("M", filled.path("execType").asText());
            String tradeId = filled.path("tradeId").asText();

            Answer second = alice0.post("/api/v5/trade/order", order("ETH-USDT", "buy", "2850", "0.2", "aliceCxl"));
            String aliceCxl = second.first().path("ordId").asText();
            ws.await(n -> isOrder(n, aliceCxl, "live"), WAIT);
            Answer cxl = alice0.post("/api/v5/trade/cancel-order", "{\"instId\":\"ETH-USDT\",\"ordId\":\"" + aliceCxl + "\"}");
            assertEquals("0", cxl.code(), cxl.toString());
            ws.await(n -> isOrder(n, aliceCxl, "canceled"), WAIT);
            assertEquals("0", bob1.post("/api/v5/trade/cancel-order", "{\"instId\":\"ETH-USDT\",\"ordId\":\"" + bobOwnOrd + "\"}").code());

            // the account channel pushed the balances after the fill; the last push equals REST
            BigDecimal eth = avail(alice0, "ETH");
            BigDecimal usdt = avail(alice0, "USDT");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!(eth.equals(lastPushed(ws, "ETH")) && usdt.equals(lastPushed(ws, "USDT")))) {
                if (System.nanoTime() > deadline) {
                    fail("account pushes " + ws.pushes("account") + " never reached ETH " + eth + ", USDT " + usdt);
                }
                Thread.sleep(50);
            }
            assertTrue(ws.pushes("account").size() > accountPushesBefore);
            assertEquals(0, eth.compareTo(new BigDecimal("1000.4996")), "bought 0.5 ETH less the 0.0008 maker fee: " + eth);

            Thread.sleep(300); // anything wrongly routed would have arrived by now
            Set<String> mine = Set.of(aliceBuy, aliceCxl);
            Set<String> pushedIds = new HashSet<>();
            for (JsonNode m : ws.pushes("orders")) {
                assertEquals(Long.toString(exchange.userId("alice")), m.path("arg").path("uid").asText(), m.toString());
                m.path("data").forEach(o -> pushedIds.add(o.path("ordId").asText()));
            }
            assertEquals(mine, pushedIds, "alice sees exactly her own orders (never bob's " + bobSell + ", " + bobOwnOrd + ")");
            for (JsonNode m : ws.pushes("account")) {
                assertEquals(Long.toString(exchange.userId("alice")), m.path("arg").path("uid").asText());
            }

            // the trade is on the REST market/trades of the pod that does not own ETH-USDT
            Answer trades = new OkxRestClient(e0.baseUri(), null).get("/api/v5/market/trades?instId=ETH-USDT");
            Set<String> ids = new HashSet<>();
            trades.data().forEach(t -> ids.add(t.path("tradeId").asText()));
            assertTrue(ids.contains(tradeId), "trade " + tradeId + " on pod 0's market/trades: " + trades);
        }
    }

    private static boolean isOrder(JsonNode n, String ordId, String state) {
        if (!"orders".equals(n.path("arg").path("channel").asText())) {
            return false;
        }
        for (JsonNode o : n.path("data")) {
            if (ordId.equals(o.path("ordId").asText()) && state.equals(o.path("state").asText())) {
                return true;
            }
        }
        return false;
    }

    private static BigDecimal lastPushed(OkxWsClient ws, String ccy) {
        BigDecimal last = null;
        for (JsonNode m : ws.pushes("account")) {
            for (JsonNode d : m.path("data").path(0).path("details")) {
                if (ccy.equals(d.path("ccy").asText())) {
                    last = new BigDecimal(d.path("availBal").asText());
                }
            }
        }
        return last;
    }

    private static BigDecimal avail(OkxRestClient api, String ccy) throws Exception {
        Answer a = api.get("/api/v5/account/balance?ccy=" + ccy);
        assertEquals("0", a.code(), a.toString());
        return new BigDecimal(a.first().path("details").path(0).path("availBal").asText());
    }

    // ------------------------------------------------------------------------------------ 4. order ops

    @Test
    void wsOrderOperationsEchoIdsAndAnswerOkxCodes() throws Exception {
        Answer instruments = new OkxRestClient(e1.baseUri(), null).get("/api/v5/public/instruments?instType=SPOT");
        long ethCode = -1;
        for (JsonNode i : instruments.data()) {
            if ("ETH-USDT".equals(i.path("instId").asText())) {
                ethCode = i.path("instIdCode").asLong();
            }
        }
        assertTrue(ethCode > 0, instruments.toString());
        OkxRestClient carol1 = rest(e1, "carol");
        try (OkxWsClient ws = OkxWsClient.connect(e0, "/ws/v5/private")) {
            ws.login(exchange.key("carol"));

            // by instIdCode, through pod 0 to shard 1
            JsonNode r = ws.op("op1", "order", "{\"instIdCode\":" + ethCode + ",\"tdMode\":\"cash\",\"side\":\"buy\","
                    + "\"ordType\":\"limit\",\"px\":\"2750\",\"sz\":\"0.1\",\"clOrdId\":\"carolOp1\"}");
            assertEquals("op1", r.path("id").asText());
            assertEquals("order", r.path("op").asText());
            assertEquals("0", r.path("code").asText(), r.toString());
            JsonNode item = r.path("data").path(0);
            assertEquals("0", item.path("sCode").asText());
            assertEquals("carolOp1", item.path("clOrdId").asText());
            String op1 = item.path("ordId").asText();
            assertTrue(onShard1(op1));
            JsonNode stored = orderState(carol1, "ETH-USDT", op1);
            assertEquals("live", stored.path("state").asText());
            assertEquals("2750", stored.path("px").asText());
            assertTrue(Long.parseLong(r.path("outTime").asText()) >= Long.parseLong(r.path("inTime").asText()));

            // batch: both shards at once
            r = ws.op("op2", "batch-orders", order("BTC-USDT", "buy", "55000", "0.001", "carolB1") + ","
                    + order("ETH-USDT", "buy", "2760", "0.1", "carolB2"));
            assertEquals("op2", r.path("id").asText());
            assertEquals("0", r.path("code").asText(), r.toString());
            assertEquals(2, r.path("data").size());
            String b1 = r.path("data").path(0).path("ordId").asText();
            String b2 = r.path("data").path(1).path("ordId").asText();
            assertFalse(onShard1(b1));
            assertTrue(onShard1(b2));

            // partly refused: code 2, the refused item with its own sCode; the good one is placed
            r = ws.op("op3", "batch-orders", order("ETH-USDT", "buy", "2760.001", "0.1", "carolBad1") + ","
                    + order("ETH-USDT", "buy", "2761", "0.1", "carolB3"));
            assertEquals("2", r.path("code").asText(), r.toString());
            assertNotEquals("0", r.path("data").path(0).path("sCode").asText());
            assertFalse(r.path("data").path(0).path("sMsg").asText().isEmpty());
            assertEquals("0", r.path("data").path(1).path("sCode").asText());
            String b3 = r.path("data").path(1).path("ordId").asText();
            Answer notPlaced = carol1.get("/api/v5/trade/order?instId=ETH-USDT&clOrdId=carolBad1");
            assertNotEquals("0", notPlaced.code(), "the refused item placed nothing: " + notPlaced);

            // all refused: code 1
            r = ws.op("op4", "batch-orders", order("ETH-USDT", "buy", "2760", "0.00001", "carolBad2") + ","
                    + order("NOPE-USDT", "buy", "1", "1", "carolBad3"));
            assertEquals("1", r.path("code").asText(), r.toString());
            assertEquals(2, r.path("data").size());
            for (JsonNode i : r.path("data")) {
                assertNotEquals("0", i.path("sCode").asText(), r.toString());
            }

            // amend size and price
            r = ws.op("op5", "amend-order", "{\"instId\":\"ETH-USDT\",\"ordId\":\"" + op1 + "\",\"newSz\":\"0.25\",\"newPx\":\"2751\"}");
            assertEquals("op5", r.path("id").asText());
            assertEquals("0", r.path("code").asText(), r.toString());
            stored = orderState(carol1, "ETH-USDT", op1);
            assertEquals("0.25", stored.path("sz").asText());
            assertEquals("2751", stored.path("px").asText());
            r = ws.op("op6", "amend-order", "{\"instId\":\"ETH-USDT\",\"ordId\":\"" + op1 + "\",\"newSz\":\"0.123456789\"}");
            assertEquals("1", r.path("code").asText(), r.toString());
            assertEquals("0.25", orderState(carol1, "ETH-USDT", op1).path("sz").asText(), "a refused amend changes nothing");

            // cancel, then cancel again (already canceled: code 1)
            r = ws.op("op7", "cancel-order", "{\"instId\":\"ETH-USDT\",\"ordId\":\"" + op1 + "\"}");
            assertEquals("0", r.path("code").asText(), r.toString());
            assertEquals(op1, r.path("data").path(0).path("ordId").asText());
            assertEquals("canceled", orderState(carol1, "ETH-USDT", op1).path("state").asText());
            r = ws.op("op8", "cancel-order", "{\"instId\":\"ETH-USDT\",\"ordId\":\"" + op1 + "\"}");
            assertEquals("op8", r.path("id").asText());
            assertEquals("1", r.path("code").asText(), r.toString());
            assertNotEquals("0", r.path("data").path(0).path("sCode").asText());

            r = ws.op("op9", "batch-cancel-orders", "{\"instId\":\"BTC-USDT\",\"ordId\":\"" + b1 + "\"},{\"instId\":\"ETH-USDT\","
                    + "\"ordId\":\"" + b2 + "\"},{\"instId\":\"ETH-USDT\",\"ordId\":\"" + b3 + "\"}");
            assertEquals("0", r.path("code").asText(), r.toString());
            assertEquals(0, carol1.get("/api/v5/trade/orders-pending").data().size(), "nothing of carol's left");

            // an op without id, and an op on the public URL
            ws.send("{\"op\":\"order\",\"args\":[" + order("ETH-USDT", "buy", "2760", "0.1", null) + "]}");
            assertEquals("60012", ws.await(n -> "error".equals(n.path("event").asText()), WAIT).json().path("code").asText());
        }
        try (OkxWsClient pub = OkxWsClient.connect(e0, "/ws/v5/public")) {
            JsonNode r = pub.op("pub1", "order", order("ETH-USDT", "buy", "2760", "0.1", null));
            assertEquals("60028", r.path("code").asText(), r.toString());
        }
    }

    // ------------------------------------------------------------------------------------ 5. ping, login failures

    @Test
    void pingPongAndLoginFailures() throws Exception {
        for (EngineProcess e : List.of(e0, e1)) {
            try (OkxWsClient pub = OkxWsClient.connect(e, "/ws/v5/public");
                 OkxWsClient priv = OkxWsClient.connect(e, "/ws/v5/private")) {
                pub.send("ping");
                pub.awaitText("pong", WAIT);
                priv.send("ping");
                priv.awaitText("pong", WAIT);

                Credentials bob = exchange.key("bob");
                priv.send(OkxWsClient.loginRequest("bad1", bob, OkxRestClient.sign("not-the-secret", "x")));
                JsonNode bad = priv.await(n -> "bad1".equals(n.path("id").asText()), WAIT).json();
                assertEquals("error", bad.path("event").asText());
                assertEquals("60007", bad.path("code").asText(), bad.toString());

                priv.send(OkxWsClient.loginRequest("bad2", new Credentials(bob.apiKey(), bob.secret(), "Wrong-pass-1"), null));
                JsonNode badPass = priv.await(n -> "bad2".equals(n.path("id").asText()), WAIT).json();
                assertEquals("error", badPass.path("event").asText());
                assertEquals("60024", badPass.path("code").asText(), badPass.toString());

                priv.send("{\"id\":\"sub1\",\"op\":\"subscribe\",\"args\":[{\"channel\":\"orders\",\"instType\":\"SPOT\"}]}");
                assertEquals("60011", priv.await(n -> "sub1".equals(n.path("id").asText()), WAIT).json().path("code").asText(),
                        "still not logged in");
                priv.login(bob); // a good login afterwards works on the same connection
                priv.send("ping");
                priv.awaitText("pong", WAIT);
            }
        }
    }

    // ------------------------------------------------------------------------------------ measurement (opt-in)

    /**
     * Not a check: prints REST order acknowledgement latency and WS push latency under modest load. Run with
     * {@code -Dbourse.measure=true}. Load: {@link #TRADERS} threads each placing and canceling passive ETH-USDT
     * orders at about 50 requests/s through both pods; meanwhile a probe places one BTC-USDT order every 20 ms
     * through pod 0 or 1 and times (a) the REST answer and (b) the {@code orders} push of its {@code live} state on
     * private connections to both pods, measured from just before the request was sent (same clock, same host).
     */
    @Test
    @EnabledIfSystemProperty(named = "bourse.measure", matches = "true")
    void measureLatency() throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        List<CompletableFuture<Void>> load = new ArrayList<>();
        for (int t = 0; t < TRADERS; t++) {
            OkxRestClient[] apis = {rest(e0, "trader" + t), rest(e1, "trader" + t)};
            int n = t;
            load.add(CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; System.nanoTime() < until; i++) {
                        long next = System.nanoTime() + 20_000_000L;
                        Answer a = apis[i % 2].post("/api/v5/trade/order", order("ETH-USDT", n % 2 == 0 ? "buy" : "sell",
                                n % 2 == 0 ? "2800" : "3100", "0.01", null));
                        if ("0".equals(a.code())) {
                            apis[(i + 1) % 2].post("/api/v5/trade/cancel-order", "{\"instId\":\"ETH-USDT\",\"ordId\":\""
                                    + a.first().path("ordId").asText() + "\"}");
                        }
                        long sleep = next - System.nanoTime();
                        if (sleep > 0) {
                            Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        OkxRestClient[] probe = {rest(e0, "bob"), rest(e1, "bob")};
        List<long[]> rest = new CopyOnWriteArrayList<>(); // {pod, nanos}
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        try (OkxWsClient ws0 = OkxWsClient.connect(e0, "/ws/v5/private");
             OkxWsClient ws1 = OkxWsClient.connect(e1, "/ws/v5/private")) {
            for (OkxWsClient ws : List.of(ws0, ws1)) {
                ws.login(exchange.key("bob"));
                ws.subscribe("{\"channel\":\"orders\",\"instType\":\"SPOT\"}");
            }
            Thread.sleep(500); // warm-up of the load threads
            for (int i = 0; System.nanoTime() < until - 500_000_000L; i++) {
                String clOrdId = "lat" + i;
                int pod = i % 2;
                long t0 = System.nanoTime();
                sentAt.put(clOrdId, t0);
                Answer a = probe[pod].post("/api/v5/trade/order", order("BTC-USDT", "buy", "55000", "0.001", clOrdId));
                rest.add(new long[] {pod, System.nanoTime() - t0});
                assertEquals("0", a.code(), a.toString());
                probe[pod].post("/api/v5/trade/cancel-order", "{\"instId\":\"BTC-USDT\",\"ordId\":\""
                        + a.first().path("ordId").asText() + "\"}");
                Thread.sleep(20);
            }
            CompletableFuture.allOf(load.toArray(CompletableFuture[]::new)).join();
            Thread.sleep(500);
            System.out.println("TraderWsIT latency: REST order ack, BTC-USDT (shard 0) through pod 0 (owner): "
                    + stats(rest.stream().filter(r -> r[0] == 0).map(r -> r[1]).toList()));
            System.out.println("TraderWsIT latency: REST order ack, BTC-USDT through pod 1 (forwarded): "
                    + stats(rest.stream().filter(r -> r[0] == 1).map(r -> r[1]).toList()));
            for (OkxWsClient ws : List.of(ws0, ws1)) {
                List<Long> push = new ArrayList<>();
                for (OkxWsClient.Message m : ws.all()) {
                    JsonNode j = m.json();
                    if (j != null && "orders".equals(j.path("arg").path("channel").asText())) {
                        for (JsonNode o : j.path("data")) {
                            Long t0 = sentAt.get(o.path("clOrdId").asText());
                            if (t0 != null && "live".equals(o.path("state").asText())) {
                                push.add(m.receivedNanos() - t0);
                            }
                        }
                    }
                }
                System.out.println("TraderWsIT latency: orders push 'live' on " + (ws == ws0 ? "pod 0 (owner)" : "pod 1 (via Redis)")
                        + ", from request sent: " + stats(push));
            }
        }
    }

    private static String stats(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "no samples";
        }
        List<Long> s = new ArrayList<>(nanos);
        s.sort(null);
        return String.format("n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms", s.size(), s.get(s.size() / 2) / 1e6,
                s.get((int) (s.size() * 0.9)) / 1e6, s.get(Math.min(s.size() - 1, (int) (s.size() * 0.99))) / 1e6,
                s.get(s.size() - 1) / 1e6);
    }
}
