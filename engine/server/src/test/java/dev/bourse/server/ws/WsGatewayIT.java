package dev.bourse.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.ledger.AccountBalances;
import dev.bourse.asset.Asset;
import dev.bourse.book.BookChecksum;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.OrderState;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.server.auth.ApiKeyVerifier;
import dev.bourse.server.auth.ApiPrincipal;
import dev.bourse.server.auth.AuthException;
import dev.bourse.server.auth.Permission;
import dev.bourse.server.auth.SignedRequest;
import dev.bourse.server.events.BatchEvents;
import dev.bourse.server.events.EngineEvent;
import dev.bourse.server.events.InProcessEventBus;
import dev.bourse.server.marketdata.BookDepth;
import dev.bourse.server.marketdata.BookLevel;
import dev.bourse.server.marketdata.BookSnapshot;
import dev.bourse.server.marketdata.MarketData;
import dev.bourse.server.shard.FillRecord;
import dev.bourse.server.shard.OrderRecord;
import dev.bourse.server.trading.OrderEntry;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The WebSocket gateway over a real Helidon server, a real projection fed through the in-process bus, fakes for auth and orders. */
class WsGatewayIT {
    static final ObjectMapper M = new ObjectMapper();
    static final Asset BTC = new Asset(0, "BTC", 8);
    static final Asset USDT = new Asset(1, "USDT", 6);
    static final Instrument BTC_USDT = Instrument.builder("BTC-USDT", BTC, USDT).tickSize("0.1").lotSize("0.0001")
            .minSize("0.0001").maxSize("100").build();
    static final String ID = "BTC-USDT";
    static final long ALICE = 10_000;
    static final long BOB = 10_001;

    /** The engine's book: snapshots are cut from it, events are produced by changing it. */
    static final class EngineBook {
        final TreeMap<Long, long[]> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<Long, long[]> asks = new TreeMap<>();
        long seqId;

        synchronized BookSnapshot snapshot() {
            return new BookSnapshot(seqId, bids.keySet().stream().mapToLong(Long::longValue).toArray(),
                    bids.values().stream().mapToLong(v -> v[0]).toArray(), bids.values().stream().mapToInt(v -> (int) v[1]).toArray(),
                    asks.keySet().stream().mapToLong(Long::longValue).toArray(),
                    asks.values().stream().mapToLong(v -> v[0]).toArray(), asks.values().stream().mapToInt(v -> (int) v[1]).toArray());
        }

        /** One command changing {@code changes} ({side, px, sz, count}): its level events. */
        synchronized List<EngineEvent> command(long seq, Map<Long, long[]> changes) {
            seqId++;
            List<EngineEvent> out = new ArrayList<>();
            for (long[] ch : changes.values()) {
                TreeMap<Long, long[]> side = ch[0] == 0 ? bids : asks;
                if (ch[2] == 0) {
                    side.remove(ch[1]);
                } else {
                    side.put(ch[1], new long[] {ch[2], ch[3]});
                }
                out.add(new EngineEvent.BookLevelEvent(seq, ID, ch[0] == 0 ? Side.BUY : Side.SELL, ch[1], ch[2], (int) ch[3], seqId));
            }
            return out;
        }
    }

    static final class FakeVerifier implements ApiKeyVerifier {
        @Override
        public ApiPrincipal verify(SignedRequest request) {
            throw new AuthException("50113", "Invalid Sign", 401);
        }

        @Override
        public ApiPrincipal verifyWsLogin(String apiKey, String passphrase, String timestamp, String sign, String remoteIp) {
            if (!sign.equals("good-sign")) {
                throw new AuthException("60007", "Invalid sign", 401);
            }
            return switch (apiKey) {
                case "alice-key" -> new ApiPrincipal(ALICE, apiKey, Set.of(Permission.READ, Permission.TRADE));
                case "bob-readonly" -> new ApiPrincipal(BOB, apiKey, Set.of(Permission.READ));
                default -> throw new AuthException("60005", "Invalid apiKey", 401);
            };
        }
    }

    /** Accepts everything except size "0"; answers asynchronously, like a shard after commit. */
    static final class FakeOrders implements OrderEntry {
        final AtomicLong ids = new AtomicLong(1000);
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        CompletableFuture<ObjectNode> answer(ApiPrincipal who, JsonNode args, String what) {
            seen.add(what + ":" + who.userId() + ":" + args);
            return CompletableFuture.supplyAsync(() -> {
                ObjectNode r = M.createObjectNode();
                boolean bad = "0".equals(args.path("sz").asText()) || "0".equals(args.path("newSz").asText());
                r.put("ordId", bad ? "" : args.has("ordId") ? args.get("ordId").asText() : Long.toString(ids.incrementAndGet()));
                r.put("clOrdId", args.path("clOrdId").asText(""));
                r.put("tag", "");
                r.put("ts", Long.toString(System.currentTimeMillis()));
                r.put("sCode", bad ? "51000" : "0");
                r.put("sMsg", bad ? "Parameter sz error" : "");
                return r;
            }, CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
        }

        @Override
        public CompletableFuture<ObjectNode> place(ApiPrincipal who, JsonNode args) {
            return answer(who, args, "place");
        }

        @Override
        public CompletableFuture<ObjectNode> cancel(ApiPrincipal who, JsonNode args) {
            return answer(who, args, "cancel");
        }

        @Override
        public CompletableFuture<ObjectNode> amend(ApiPrincipal who, JsonNode args) {
            return answer(who, args, "amend");
        }
    }

    /** A JDK WebSocket client collecting whole text messages. */
    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        final CompletableFuture<int[]> closed = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                inbox.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new int[] {statusCode});
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new int[] {-1});
        }

        void send(String text) {
            ws.sendText(text, true).join();
        }

        String nextRaw() throws InterruptedException {
            String s = inbox.poll(10, TimeUnit.SECONDS);
            if (s == null) {
                fail("no message within 10 s");
            }
            return s;
        }

        /** The next JSON message matching {@code p}, skipping others. */
        JsonNode next(Predicate<JsonNode> p) throws Exception {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                String s = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (s != null && !s.equals("pong")) {
                    JsonNode n = M.readTree(s);
                    if (p.test(n)) {
                        return n;
                    }
                }
            }
            fail("no matching message within 10 s");
            return null;
        }
    }

    final EngineBook engine = new EngineBook();
    final InProcessEventBus bus = new InProcessEventBus();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final FakeOrders orders = new FakeOrders();
    final List<Client> clients = new ArrayList<>();
    MarketData md;
    WsGateway gateway;
    WebServer server;

    void start(WsSettings settings) throws Exception {
        for (int i = 0; i < 20; i++) {
            engine.command(0, Map.of(0L, new long[] {0, 10_000 - i, 10_000L * (i + 1), 1}, 1L, new long[] {1, 10_001 + i, 20_000, 2}));
        }
        md = new MarketData(() -> Map.of(ID, BTC_USDT), id -> CompletableFuture.completedFuture(engine.snapshot()), meters);
        AccountBalances balances = user -> new ArrayList<>(List.of(new AccountBalances.Balance(0, "BTC", 8, 150_000_000L, 1_000_000L),
                new AccountBalances.Balance(1, "USDT", 6, 0, 0)));
        gateway = new WsGateway(md, bus, new FakeVerifier(), orders, balances, meters, settings);
        md.start(bus, List.of());
        server = WebServer.builder().host("127.0.0.1").port(0).addRouting(gateway.routing()).build().start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!md.book(ID, 1).orElseThrow().ready()) {
            assertTrue(System.nanoTime() < deadline, "projection never got its snapshot");
            Thread.sleep(5);
        }
    }

    void start() throws Exception {
        start(WsSettings.defaults());
    }

    Client connect(String path) {
        Client c = new Client();
        c.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), c).join();
        clients.add(c);
        return c;
    }

    @AfterEach
    void stop() {
        for (Client c : clients) {
            c.ws.abort();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (server != null) {
            server.stop();
        }
        if (md != null) {
            md.close();
        }
    }

    @Test
    void pingPongAndSubscribeErrors() throws Exception {
        start();
        Client c = connect("/ws/v5/public");
        c.send("ping");
        assertEquals("pong", c.nextRaw());

        c.send("{\"id\":\"1\",\"op\":\"subscribe\",\"args\":[{\"channel\":\"tickers\",\"instId\":\"BTC-USDT\"}]}");
        JsonNode ack = c.next(n -> n.has("event"));
        assertEquals("1", ack.get("id").asText());
        assertEquals("subscribe", ack.get("event").asText());
        assertEquals("tickers", ack.get("arg").get("channel").asText());
        assertEquals(ID, ack.get("arg").get("instId").asText());
        assertFalse(ack.get("connId").asText().isEmpty());

        c.send("{\"id\":\"2\",\"op\":\"subscribe\",\"args\":[{\"channel\":\"books\",\"instId\":\"NOPE-USDT\"}]}");
        JsonNode err = c.next(n -> "2".equals(n.path("id").asText()));
        assertEquals("error", err.get("event").asText());
        assertEquals("60018", err.get("code").asText());
        c.send("{\"id\":\"3\",\"op\":\"subscribe\",\"args\":[{\"channel\":\"no-such-channel\",\"instId\":\"BTC-USDT\"}]}");
        assertEquals("60018", c.next(n -> "3".equals(n.path("id").asText())).get("code").asText());
        c.send("{\"id\":\"4\",\"op\":\"subscribe\",\"argss\":[]}");
        JsonNode bad = c.next(n -> "4".equals(n.path("id").asText()));
        assertEquals("60012", bad.get("code").asText());
        assertTrue(bad.get("msg").asText().startsWith("Invalid request: "));
        c.send("not json");
        assertEquals("60012", c.next(n -> n.has("code")).get("code").asText());
        c.send("{\"id\":\"5\",\"op\":\"explode\"}");
        assertEquals("60019", c.next(n -> "5".equals(n.path("id").asText())).get("code").asText());
        c.send("{\"id\":\"6\",\"op\":\"subscribe\",\"args\":[{\"channel\":\"orders\",\"instType\":\"SPOT\"}]}");
        assertEquals("60018", c.next(n -> "6".equals(n.path("id").asText())).get("code").asText(), "private channel on /public");
        c.send("{\"id\":\"7\",\"op\":\"subscribe\",\"args\":[{\"channel\":\"candle1Dutc\",\"instId\":\"BTC-USDT\"}]}");
        assertEquals("subscribe", c.next(n -> "7".equals(n.path("id").asText())).get("event").asText());
        c.send("{\"id\":\"8\",\"op\":\"unsubscribe\",\"args\":[{\"channel\":\"tickers\",\"instId\":\"BTC-USDT\"}]}");
        assertEquals("unsubscribe", c.next(n -> "8".equals(n.path("id").asText())).get("event").asText());
        assertEquals(4.0, meters.get("bourse_ws_subscribe_errors_total").counter().count());

        Client p = connect("/ws/v5/private");
        p.send("{\"id\":\"9\",\"op\":\"subscribe\",\"args\":[{\"channel\":\"orders\",\"instType\":\"SPOT\"}]}");
        assertEquals("60011", p.next(n -> "9".equals(n.path("id").asText())).get("code").asText(), "login first");

        gateway.announceShutdown();
        JsonNode notice = c.next(n -> "notice".equals(n.path("event").asText()));
        assertEquals("64008", notice.get("code").asText());
        assertEquals("The connection will soon be closed for a service upgrade. Please reconnect.", notice.get("msg").asText());
    }

    /** A client's book: rebuilt from the books channel, checking the chain and the checksum of every message. */
    static final class ClientBook {
        final TreeMap<Long, String[]> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<Long, String[]> asks = new TreeMap<>();
        long seqId = -1;
        int messages;

        void apply(JsonNode msg) {
            JsonNode d = msg.get("data").get(0);
            String action = msg.get("action").asText();
            if (action.equals("snapshot")) {
                assertEquals(-1, d.get("prevSeqId").asLong());
                bids.clear();
                asks.clear();
            } else {
                assertEquals("update", action);
                assertEquals(seqId, d.get("prevSeqId").asLong(), "prevSeqId chains to the previous seqId");
            }
            put(bids, d.get("bids"));
            put(asks, d.get("asks"));
            seqId = d.get("seqId").asLong();
            messages++;
            assertEquals(d.get("checksum").asInt(), BookChecksum.compute(top(bids), top(asks)), "checksum at seqId " + seqId);
            assertTrue(d.get("ts").isTextual());
        }

        static void put(TreeMap<Long, String[]> side, JsonNode levels) {
            for (JsonNode l : levels) {
                assertEquals(4, l.size());
                long px = Decimals.parse(l.get(0).asText(), 1);
                if (l.get(1).asText().equals("0")) {
                    side.remove(px);
                } else {
                    side.put(px, new String[] {l.get(0).asText(), l.get(1).asText(), l.get(3).asText()});
                }
            }
        }

        static List<List<String>> top(TreeMap<Long, String[]> side) {
            return side.values().stream().limit(25).map(v -> List.of(v[0], v[1])).toList();
        }

        List<BookLevel> levels(TreeMap<Long, String[]> side) {
            return side.values().stream().map(v -> new BookLevel(v[0], v[1], Integer.parseInt(v[2]))).toList();
        }
    }

    @Test
    void booksSnapshotThenChainedUpdatesRebuildTheProjectionsBook() throws Exception {
        start();
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("WsGatewayIT.books seed=" + seed);
        Random rnd = new Random(seed);
        Client c = connect("/ws/v5/business");
        c.send("{\"id\":\"b\",\"op\":\"subscribe\",\"args\":[{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},"
                + "{\"channel\":\"books5\",\"instId\":\"BTC-USDT\"},{\"channel\":\"bbo-tbt\",\"instId\":\"BTC-USDT\"}]}");
        ClientBook book = new ClientBook();
        JsonNode snap = c.next(n -> n.has("data") && n.path("arg").path("channel").asText().equals("books"));
        assertEquals("snapshot", snap.get("action").asText());
        book.apply(snap);
        assertEquals(engine.seqId, book.seqId);
        long seq = 1;
        for (int b = 0; b < 150; b++) {
            List<EngineEvent> events = new ArrayList<>();
            int commands = 1 + rnd.nextInt(3);
            for (int k = 0; k < commands; k++) {
                Map<Long, long[]> changes = new java.util.LinkedHashMap<>();
                for (int j = 0; j < 1 + rnd.nextInt(3); j++) {
                    int side = rnd.nextInt(2);
                    long px = side == 0 ? 10_000 - rnd.nextInt(600) : 10_001 + rnd.nextInt(600);
                    boolean delete = rnd.nextInt(3) == 0;
                    changes.put(side * 1_000_000 + px, new long[] {side, px, delete ? 0 : (1 + rnd.nextInt(999)) * 10_000L, delete ? 0 : 1 + rnd.nextInt(3)});
                }
                events.addAll(engine.command(seq++, changes));
            }
            bus.publish(new BatchEvents(0, seq - commands, seq - 1, events));
        }
        long last = engine.seqId;
        JsonNode lastBooks5 = null;
        JsonNode lastBbo = null;
        while (book.seqId != last) {
            JsonNode n = c.next(x -> x.has("data"));
            switch (n.get("arg").get("channel").asText()) {
                case "books" -> book.apply(n);
                case "books5" -> lastBooks5 = n;
                case "bbo-tbt" -> lastBbo = n;
                default -> fail("unexpected push " + n);
            }
        }
        BookDepth want = md.book(ID, MarketData.BOOKS_DEPTH).orElseThrow();
        assertEquals(last, want.seqId());
        assertEquals(want.bids(), book.levels(book.bids), "seed " + seed);
        assertEquals(want.asks(), book.levels(book.asks), "seed " + seed);
        assertTrue(book.messages > 150);
        // books5 and bbo-tbt: the latest push is the current top (later ones may still be in flight: drain them)
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            String s = c.inbox.poll(100, TimeUnit.MILLISECONDS);
            if (s == null) {
                break;
            }
            JsonNode n = M.readTree(s);
            if (n.get("arg").get("channel").asText().equals("books5")) {
                lastBooks5 = n;
            } else if (n.get("arg").get("channel").asText().equals("bbo-tbt")) {
                lastBbo = n;
            }
        }
        assertNotNull(lastBooks5);
        JsonNode five = lastBooks5.get("data").get(0);
        assertEquals(5, five.get("bids").size());
        assertEquals(want.bids().get(0).px(), five.get("bids").get(0).get(0).asText());
        assertEquals(want.asks().get(4).px(), five.get("asks").get(4).get(0).asText());
        assertEquals(ID, five.get("instId").asText());
        assertNotNull(lastBbo);
        assertEquals(want.bids().get(0).toOkx(), M.convertValue(lastBbo.get("data").get(0).get("bids").get(0), List.class));
        assertEquals(want.asks().get(0).toOkx(), M.convertValue(lastBbo.get("data").get(0).get("asks").get(0), List.class));
    }

    static OrderRecord order(long ordId, long user, OrderState state, long filled) {
        return new OrderRecord(ordId, 0, ID, user, "c" + ordId, null, Side.BUY, OrderType.LIMIT, StpMode.CANCEL_MAKER, null, 420_000,
                30_000, filled, BTC_USDT.quoteAmount(420_000, filled), 30_000 - filled, 0, filled / 1000, state, null, 1, 1, 2,
                1_700_000_000_000L, 1_700_000_000_500L);
    }

    @Test
    void loginPrivateOrdersAccountAndOrderOps() throws Exception {
        start();
        Client c = connect("/ws/v5/private");
        c.send("{\"id\":\"l1\",\"op\":\"login\",\"args\":[{\"apiKey\":\"alice-key\",\"passphrase\":\"p\",\"timestamp\":\"1\",\"sign\":\"bad\"}]}");
        JsonNode refused = c.next(n -> n.has("event"));
        assertEquals("error", refused.get("event").asText());
        assertEquals("60007", refused.get("code").asText());

        c.send("{\"id\":\"o0\",\"op\":\"order\",\"args\":[{\"instId\":\"BTC-USDT\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"1\",\"sz\":\"1\"}]}");
        JsonNode noLogin = c.next(n -> "o0".equals(n.path("id").asText()));
        assertEquals("60011", noLogin.get("code").asText());
        assertEquals("order", noLogin.get("op").asText());

        c.send("{\"op\":\"login\",\"args\":[{\"apiKey\":\"alice-key\",\"passphrase\":\"p\",\"timestamp\":\"1\",\"sign\":\"good-sign\"}]}");
        JsonNode ok = c.next(n -> n.has("event"));
        assertEquals("login", ok.get("event").asText());
        assertEquals("0", ok.get("code").asText());
        assertEquals("", ok.get("msg").asText());

        c.send("{\"id\":\"s1\",\"op\":\"subscribe\",\"args\":[{\"channel\":\"orders\",\"instType\":\"SPOT\",\"instId\":\"BTC-USDT\"},{\"channel\":\"account\"}]}");
        assertEquals("orders", c.next(n -> "subscribe".equals(n.path("event").asText())).get("arg").get("channel").asText());
        assertEquals("account", c.next(n -> "subscribe".equals(n.path("event").asText())).get("arg").get("channel").asText());
        JsonNode acct = c.next(n -> "account".equals(n.path("arg").path("channel").asText()) && n.has("data"));
        assertEquals("snapshot", acct.get("eventType").asText());
        JsonNode details = acct.get("data").get(0).get("details");
        assertEquals(1, details.size(), "only non-zero balances in the snapshot");
        assertEquals("BTC", details.get(0).get("ccy").asText());
        assertEquals("1.5", details.get(0).get("availBal").asText());
        assertEquals("0.01", details.get(0).get("frozenBal").asText());
        assertEquals("1.51", details.get(0).get("cashBal").asText());

        // a committed batch: Alice's order partly fills against Bob's; Bob's order must not reach Alice
        FillRecord f = new FillRecord(77, 0, 5, ID, 420_000, 10_000, BTC_USDT.quoteAmount(420_000, 10_000), Side.BUY, 501, ALICE,
                502, BOB, 10, 0, 42, 1, 1_700_000_000_400L);
        bus.publish(new BatchEvents(0, 5, 5, List.of(new EngineEvent.TradeEvent(5, f),
                new EngineEvent.OrderEvent(5, order(502, BOB, OrderState.FILLED, 10_000)),
                new EngineEvent.OrderEvent(5, order(501, ALICE, OrderState.PARTIALLY_FILLED, 10_000)),
                new EngineEvent.BalanceEvent(ALICE, 0, 10_000, 0))));
        JsonNode push = c.next(n -> "orders".equals(n.path("arg").path("channel").asText()) && n.has("data"));
        assertEquals(Long.toString(ALICE), push.get("arg").get("uid").asText());
        assertEquals(1, push.get("data").size());
        JsonNode o = push.get("data").get(0);
        assertEquals("501", o.get("ordId").asText());
        assertEquals("c501", o.get("clOrdId").asText());
        assertEquals("partially_filled", o.get("state").asText());
        assertEquals("42000", o.get("px").asText());
        assertEquals("0.0003", o.get("sz").asText());
        assertEquals("0.0001", o.get("accFillSz").asText());
        assertEquals("0.0001", o.get("fillSz").asText());
        assertEquals("42000", o.get("fillPx").asText());
        assertEquals("42000", o.get("avgPx").asText());
        assertEquals("77", o.get("tradeId").asText());
        assertEquals("T", o.get("execType").asText());
        assertEquals("-0.0000001", o.get("fillFee").asText());
        assertEquals("BTC", o.get("fillFeeCcy").asText());
        assertEquals("SPOT", o.get("instType").asText());
        JsonNode accountEvent = c.next(n -> "event".equals(n.path("eventType").asText()));
        assertEquals("BTC", accountEvent.get("data").get(0).get("details").get(0).get("ccy").asText());

        // order operations: each reply carries its id; code 0 / 1 / 2
        c.send("{\"id\":\"o1\",\"op\":\"order\",\"args\":[{\"instId\":\"BTC-USDT\",\"side\":\"buy\",\"ordType\":\"limit\",\"px\":\"1\",\"sz\":\"1\",\"clOrdId\":\"x1\"}]}");
        c.send("{\"id\":\"o2\",\"op\":\"batch-orders\",\"args\":[{\"instId\":\"BTC-USDT\",\"sz\":\"1\"},{\"instId\":\"BTC-USDT\",\"sz\":\"0\"}]}");
        c.send("{\"id\":\"o3\",\"op\":\"cancel-order\",\"args\":[{\"instId\":\"BTC-USDT\",\"ordId\":\"1001\",\"sz\":\"0\"}]}");
        StringBuilder many = new StringBuilder("{\"id\":\"o4\",\"op\":\"batch-amend-orders\",\"args\":[");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("{\"instId\":\"BTC-USDT\",\"ordId\":\"1\",\"newSz\":\"2\"}");
        }
        c.send(many.append("]}").toString());
        c.send("{\"id\":\"o5\",\"op\":\"amend-order\",\"args\":[{\"instId\":\"BTC-USDT\",\"ordId\":\"9\",\"newSz\":\"2\"}]}");
        Map<String, JsonNode> replies = new java.util.HashMap<>();
        while (replies.size() < 5) {
            JsonNode r = c.next(n -> n.has("op"));
            replies.put(r.get("id").asText(), r);
        }
        JsonNode r1 = replies.get("o1");
        assertEquals("0", r1.get("code").asText());
        assertEquals("x1", r1.get("data").get(0).get("clOrdId").asText());
        assertEquals("0", r1.get("data").get(0).get("sCode").asText());
        assertTrue(r1.get("inTime").asLong() <= r1.get("outTime").asLong());
        assertEquals(16, r1.get("inTime").asText().length(), "microseconds");
        assertEquals("2", replies.get("o2").get("code").asText());
        assertEquals("51000", replies.get("o2").get("data").get(1).get("sCode").asText());
        assertEquals("1", replies.get("o3").get("code").asText());
        assertEquals("60013", replies.get("o4").get("code").asText(), "more than 20 items");
        assertEquals("0", replies.get("o5").get("code").asText());
        assertEquals("9", replies.get("o5").get("data").get(0).get("ordId").asText());
        assertEquals(5, orders.seen.size());
        assertTrue(orders.seen.stream().allMatch(s -> s.contains(":" + ALICE + ":")));

        // a read-only key may log in but not trade
        Client bob = connect("/ws/v5/private");
        bob.send("{\"op\":\"login\",\"args\":[{\"apiKey\":\"bob-readonly\",\"passphrase\":\"p\",\"timestamp\":\"1\",\"sign\":\"good-sign\"}]}");
        assertEquals("0", bob.next(n -> n.has("event")).get("code").asText());
        bob.send("{\"id\":\"b1\",\"op\":\"order\",\"args\":[{\"instId\":\"BTC-USDT\",\"sz\":\"1\"}]}");
        assertEquals("50120", bob.next(n -> n.has("op")).get("code").asText());
        // order ops belong to /private
        Client pub = connect("/ws/v5/public");
        pub.send("{\"id\":\"p1\",\"op\":\"order\",\"args\":[{\"instId\":\"BTC-USDT\",\"sz\":\"1\"}]}");
        assertEquals("60028", pub.next(n -> n.has("op")).get("code").asText());
    }

    @Test
    void idleConnectionIsClosed() throws Exception {
        start(new WsSettings(Duration.ofMillis(600), 1024, 1 << 20, Duration.ofSeconds(1)));
        Client quiet = connect("/ws/v5/public");
        Client chatty = connect("/ws/v5/public");
        long t0 = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            Thread.sleep(200);
            chatty.send("ping");
        }
        int[] status = quiet.closed.get(5, TimeUnit.SECONDS);
        assertEquals(4004, status[0]);
        assertTrue(System.nanoTime() - t0 >= 500_000_000L);
        assertFalse(chatty.closed.isDone(), "a client that pings stays connected");
        assertEquals(1.0, meters.get("bourse_ws_idle_disconnects_total").counter().count());
    }

    @Test
    void slowConsumerIsDisconnectedWithoutHoldingUpOthers() throws Exception {
        start(new WsSettings(Duration.ofSeconds(30), 64, 256 * 1024, Duration.ofMillis(500)));
        // a raw client that upgrades, subscribes and then never reads
        Socket raw = new Socket("127.0.0.1", server.port());
        OutputStream os = raw.getOutputStream();
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        os.write(("GET /ws/v5/public HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        writeMaskedText(os, "{\"op\":\"subscribe\",\"args\":[{\"channel\":\"books\",\"instId\":\"BTC-USDT\"}]}");
        Client healthy = connect("/ws/v5/public");
        healthy.send("{\"op\":\"subscribe\",\"args\":[{\"channel\":\"trades\",\"instId\":\"BTC-USDT\"}]}");
        healthy.next(n -> "subscribe".equals(n.path("event").asText()));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (gateway.connectionCount() < 2) {
            assertTrue(System.nanoTime() < deadline);
            Thread.sleep(10);
        }
        Thread.sleep(200); // the raw client's subscribe is processed
        long seq = 1;
        int batches = 0;
        deadline = System.nanoTime() + 60_000_000_000L;
        while (meters.get("bourse_ws_slow_consumer_disconnects_total").counter().count() < 1) {
            assertTrue(System.nanoTime() < deadline, "slow consumer never detected");
            Map<Long, long[]> changes = new java.util.LinkedHashMap<>();
            for (int j = 0; j < 200; j++) { // big updates: 200 levels each
                long px = 9_000 + j;
                changes.put(px, new long[] {0, px, (1 + (seq + j) % 997) * 10_000L, 1});
            }
            bus.publish(new BatchEvents(0, seq, seq, engine.command(seq, changes)));
            seq++;
            if (++batches % 50 == 0) {
                Thread.sleep(5);
            }
        }
        // the healthy client still gets data
        FillRecord f = new FillRecord(1, 0, seq, ID, 420_000, 10_000, BTC_USDT.quoteAmount(420_000, 10_000), Side.SELL, 1, 1, 2, 2,
                0, 0, 0, 0, System.currentTimeMillis());
        bus.publish(new BatchEvents(0, seq, seq, List.of(new EngineEvent.TradeEvent(seq, f))));
        JsonNode trade = healthy.next(n -> "trades".equals(n.path("arg").path("channel").asText()));
        assertEquals("42000", trade.get("data").get(0).get("px").asText());
        // the slow one is gone: its socket reaches end of stream (or is reset) once drained
        deadline = System.nanoTime() + 10_000_000_000L;
        while (gateway.connectionCount() != 1) {
            assertTrue(System.nanoTime() < deadline, "slow connection still registered");
            Thread.sleep(10);
        }
        raw.setSoTimeout(10_000);
        InputStream in = raw.getInputStream();
        byte[] buf = new byte[1 << 16];
        boolean ended = false;
        try {
            long t = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < t) {
                if (in.read(buf) < 0) {
                    ended = true;
                    break;
                }
            }
        } catch (java.io.IOException e) {
            ended = true; // reset by the server: also closed
        }
        assertTrue(ended, "the server closed the slow consumer's socket");
        raw.close();
    }

    static void writeMaskedText(OutputStream os, String text) throws java.io.IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(0x81);
        if (payload.length < 126) {
            b.write(0x80 | payload.length);
        } else {
            b.write(0x80 | 126);
            b.write(payload.length >>> 8);
            b.write(payload.length & 0xff);
        }
        b.write(mask);
        for (int i = 0; i < payload.length; i++) {
            b.write(payload[i] ^ mask[i % 4]);
        }
        os.write(b.toByteArray());
        os.flush();
    }
}
