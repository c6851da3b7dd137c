package dev.bourse.client.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.client.auth.Credentials;
import dev.bourse.client.ws.model.OrderUpdate;
import dev.bourse.client.ws.model.Ticker;
import dev.bourse.client.ws.op.CancelOrder;
import dev.bourse.client.ws.op.OpReply;
import dev.bourse.client.ws.op.PlaceOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(30)
class OkxWebSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Credentials KEY = new Credentials("key-1", "SECRET-XYZ", "Pass-1!");

    private FakeOkxServer server;
    private final List<OkxWebSocket> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new FakeOkxServer();
    }

    @AfterEach
    void stop() {
        clients.forEach(OkxWebSocket::close);
        server.close();
    }

    private WsConfig.Builder config(String path) {
        return WsConfig.builder(server.url(path))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
                .requestTimeout(Duration.ofSeconds(2));
    }

    private OkxWebSocket client(WsConfig c) {
        OkxWebSocket ws = new OkxWebSocket(c);
        clients.add(ws);
        return ws;
    }

    private static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String push(String channel, String instId, String data) {
        return "{\"arg\":{\"channel\":\"" + channel + "\",\"instId\":\"" + instId + "\"},\"data\":[" + data + "]}";
    }

    // ------------------------------------------------------------------------------------ login, subscribe

    @Test
    void privateClientLogsInWithOkxSignatureBeforeSubscribing() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/private").credentials(KEY).build());
        ws.connect(WAIT);
        FakeOkxServer.Conn c = server.nextConnection(WAIT);
        JsonNode login = FakeOkxServer.M.readTree(c.all.getFirst());
        assertEquals("login", login.path("op").asText());
        JsonNode a = login.path("args").get(0);
        assertEquals("key-1", a.path("apiKey").asText());
        assertEquals("Pass-1!", a.path("passphrase").asText());
        long ts = Long.parseLong(a.path("timestamp").asText());
        assertTrue(Math.abs(ts - System.currentTimeMillis() / 1000) <= 5, "timestamp in Unix seconds: " + ts);
        assertEquals(hmac("SECRET-XYZ", ts + "GET/users/self/verify"), a.path("sign").asText());

        List<SubscribeAck> acks = ws.subscribeAndWait(WAIT, ChannelArg.orders("SPOT"), ChannelArg.account());
        assertEquals(List.of(ChannelArg.orders("SPOT"), ChannelArg.account()), acks.stream().map(SubscribeAck::arg).toList());
        assertEquals("c1", acks.getFirst().connId());
        WsStats s = ws.stats();
        assertTrue(s.connected());
        assertEquals(2, s.subscribeOk());
        assertEquals(0, s.subscribeError());
        assertEquals(2, s.subscriptions());
    }

    @Test
    void refusedLoginIsVisibleAndRetried() throws Exception {
        server.loginError = "60009";
        OkxWebSocket ws = client(config("/ws/v5/private").credentials(KEY).build());
        ws.start();
        WsException e = assertThrows(WsException.class, () -> ws.awaitReady(Duration.ofMillis(500)));
        assertTrue(e.getMessage().contains("login failed: 60009"), e.getMessage());
        assertFalse(ws.stats().connected());
        assertTrue(ws.stats().lastError().contains("60009"), ws.stats().lastError());
        // each refusal closes the connection and the client tries again with backoff
        await(() -> server.conns.size() >= 2, "a second login attempt");
        assertTrue(ws.stats().reconnects() >= 1);
        server.loginError = null;
        ws.awaitReady(WAIT);
        assertTrue(ws.stats().connected());
    }

    @Test
    void refusedSubscriptionFailsWithItsCodeAndIsNotResubscribed() throws Exception {
        server.refusedInstIds = Set.of("NOPE-USDT");
        OkxWebSocket ws = client(config("/ws/v5/public").build());
        ws.connect(WAIT);
        SubscribeException e = assertThrows(SubscribeException.class,
                () -> ws.subscribeAndWait(WAIT, ChannelArg.of("books", "NOPE-USDT")));
        assertEquals("60018", e.code());
        assertEquals(List.of(ChannelArg.of("books", "NOPE-USDT")), e.args());
        assertEquals(1, ws.stats().subscribeError());
        assertEquals(Set.of(), ws.subscriptions());

        // in one request with a good arg: the error names the refused one, the good one is acknowledged
        CompletableFuture<List<SubscribeAck>> both = ws.subscribe(ChannelArg.of("tickers", "BTC-USDT"),
                ChannelArg.of("tickers", "NOPE-USDT"));
        ExecutionException ex = assertThrows(ExecutionException.class, () -> both.get(5, TimeUnit.SECONDS));
        assertEquals(List.of(ChannelArg.of("tickers", "NOPE-USDT")), ((SubscribeException) ex.getCause()).args());
        await(() -> ws.stats().subscribeOk() == 1, "the good arg's ack");
        assertEquals(Set.of(ChannelArg.of("tickers", "BTC-USDT")), ws.subscriptions());
    }

    @Test
    void subscribeAndWaitTimesOutVisibly() throws Exception {
        server.ackSubscriptions = false;
        OkxWebSocket ws = client(config("/ws/v5/public").build());
        ws.connect(WAIT);
        long t0 = System.nanoTime();
        SubscribeException e = assertThrows(SubscribeException.class,
                () -> ws.subscribeAndWait(Duration.ofMillis(300), ChannelArg.of("books", "BTC-USDT")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.isTimeout());
        assertNull(e.code());
        assertTrue(ms >= 290 && ms < 3000, "waited " + ms + " ms");
        assertTrue(ws.stats().lastError().contains("no subscribe acknowledgement"), ws.stats().lastError());
    }

    // ------------------------------------------------------------------------------------ keep-alive, reconnect

    @Test
    void textPingIsSentAndPongRecorded() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/public").pingInterval(Duration.ofMillis(100))
                .pongTimeout(Duration.ofMillis(500)).build());
        ws.connect(WAIT);
        FakeOkxServer.Conn c = server.nextConnection(WAIT);
        c.await("ping"::equals, WAIT);
        c.await("ping"::equals, WAIT);
        await(() -> ws.stats().lastPong() != null, "a pong");
        WsStats s = ws.stats();
        assertNotNull(s.lastPing());
        assertNotNull(s.lastRecv());
        assertEquals(0, s.reconnects());
        assertEquals(1, server.conns.size());
    }

    @Test
    void missingPongCountsAsDeadConnection() throws Exception {
        server.answerPings = false;
        OkxWebSocket ws = client(config("/ws/v5/public").pingInterval(Duration.ofMillis(100))
                .pongTimeout(Duration.ofMillis(200)).build());
        ws.connect(WAIT);
        ws.subscribeAndWait(WAIT, ChannelArg.of("tickers", "BTC-USDT"));
        FakeOkxServer.Conn first = server.nextConnection(WAIT);
        FakeOkxServer.Conn second = server.nextConnection(WAIT);
        assertTrue(ws.stats().lastError() != null && ws.stats().reconnects() >= 1);
        second.awaitOp("subscribe", WAIT);
        await(() -> first.closedByClient, "the dead connection to be dropped");
        assertTrue(server.conns.stream().anyMatch(c -> c.all.contains("ping")));
    }

    @Test
    void reconnectsAfterServerCloseAndResubscribesAfterLogin() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/private").credentials(KEY).build());
        List<String> events = new CopyOnWriteArrayList<>();
        ws.addConnectionListener(new ConnectionListener() {
            @Override
            public void onReady(String url) {
                events.add("ready");
            }

            @Override
            public void onDisconnected(String reason, boolean reconnecting) {
                events.add("lost " + reconnecting);
            }
        });
        ws.connect(WAIT);
        ws.subscribeAndWait(WAIT, ChannelArg.orders("SPOT"), ChannelArg.account("USDT"));
        FakeOkxServer.Conn first = server.nextConnection(WAIT);
        first.ws.close(1001, "going away");

        FakeOkxServer.Conn second = server.nextConnection(WAIT);
        JsonNode login = second.awaitOp("login", WAIT);
        assertNotNull(login);
        JsonNode sub = second.awaitOp("subscribe", WAIT);
        List<ChannelArg> resubscribed = new ArrayList<>();
        sub.path("args").forEach(a -> resubscribed.add(ChannelArg.fromJson(a)));
        assertEquals(List.of(ChannelArg.orders("SPOT"), ChannelArg.account("USDT")), resubscribed);
        assertTrue(second.all.getFirst().contains("\"op\":\"login\""), "login first: " + second.all);
        await(() -> ws.stats().subscribeOk() == 4, "the resubscription acks");
        WsStats s = ws.stats();
        assertTrue(s.connected());
        assertEquals(1, s.reconnects());
        assertTrue(s.lastError().contains("1001"), s.lastError());
        await(() -> events.size() == 3, "listener events");
        assertEquals(List.of("ready", "lost true", "ready"), events);
    }

    @Test
    void notice64008Reconnects() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/public").build());
        ws.connect(WAIT);
        ws.subscribeAndWait(WAIT, ChannelArg.of("books", "BTC-USDT"));
        FakeOkxServer.Conn first = server.nextConnection(WAIT);
        first.send("{\"event\":\"notice\",\"code\":\"64008\",\"msg\":\"The connection will soon be closed for a service upgrade. Please reconnect.\",\"connId\":\"c1\"}");
        FakeOkxServer.Conn second = server.nextConnection(WAIT);
        second.awaitOp("subscribe", WAIT);
        await(() -> first.closedByClient, "the client to leave the old connection");
        assertTrue(ws.stats().lastError().contains("64008"), ws.stats().lastError());
        assertEquals(1, ws.stats().reconnects());
        ws.awaitReady(WAIT);
    }

    @Test
    void noReconnectAfterClose() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/public").build());
        ws.connect(WAIT);
        FakeOkxServer.Conn first = server.nextConnection(WAIT);
        ws.close();
        await(() -> first.closedByClient, "the close");
        Thread.sleep(200);
        assertEquals(1, server.conns.size());
        assertFalse(ws.isReady());
    }

    // ------------------------------------------------------------------------------------ handlers and queues

    @Test
    void typedHandlersReadRecords() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/public").build());
        LinkedBlockingQueue<WsPush<Ticker>> tickers = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<WsPush<OrderUpdate>> orders = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<RawMessage> raw = new LinkedBlockingQueue<>();
        ws.on(WsChannel.TICKERS, tickers::add);
        ws.on(WsChannel.ORDERS, orders::add);
        ws.onRaw(raw::add);
        ws.connect(WAIT);
        FakeOkxServer.Conn c = server.nextConnection(WAIT);
        c.send(push("tickers", "BTC-USDT", "{\"instType\":\"SPOT\",\"instId\":\"BTC-USDT\",\"last\":\"60000.1\",\"lastSz\":\"0.01\","
                + "\"askPx\":\"60000.2\",\"askSz\":\"1\",\"bidPx\":\"60000\",\"bidSz\":\"2\",\"open24h\":\"59000\",\"high24h\":\"61000\","
                + "\"low24h\":\"58000\",\"volCcy24h\":\"100\",\"vol24h\":\"0.5\",\"sodUtc0\":\"\",\"sodUtc8\":\"\",\"ts\":\"1700000000000\"}"));
        c.send("{\"arg\":{\"channel\":\"orders\",\"instType\":\"SPOT\",\"uid\":\"10000\"},\"data\":[{\"instId\":\"BTC-USDT\","
                + "\"ordId\":\"42\",\"clOrdId\":\"a1\",\"px\":\"59000\",\"sz\":\"0.01\",\"side\":\"buy\",\"state\":\"live\","
                + "\"accFillSz\":\"0\",\"fillPx\":\"\",\"fillSz\":\"0\",\"fillTime\":\"\",\"avgPx\":\"0\",\"fee\":\"0\",\"uTime\":\"1700000000001\"}]}");
        WsPush<Ticker> t = tickers.poll(5, TimeUnit.SECONDS);
        assertNotNull(t);
        assertEquals(new BigDecimal("60000.1"), t.data().getFirst().last());
        assertNull(t.data().getFirst().sodUtc0());
        assertEquals(1700000000000L, t.data().getFirst().ts());
        assertEquals(ChannelArg.of("tickers", "BTC-USDT"), t.arg());
        WsPush<OrderUpdate> o = orders.poll(5, TimeUnit.SECONDS);
        assertNotNull(o);
        OrderUpdate u = o.data().getFirst();
        assertEquals("a1", u.clOrdId());
        assertEquals("live", u.state());
        assertNull(u.fillPx());
        assertNull(u.fillTime());
        assertEquals(new BigDecimal("0.01"), u.sz());
        assertEquals("10000", o.arg().get("uid"));
        assertTrue(o.recvSeq() > t.recvSeq());
        RawMessage r1 = raw.poll(5, TimeUnit.SECONDS);
        RawMessage r2 = raw.poll(5, TimeUnit.SECONDS);
        assertNotNull(r2);
        assertEquals("tickers", r1.json().path("arg").path("channel").asText());
        assertEquals(t.recvSeq(), r1.recvSeq());
        assertEquals(0, ws.stats().handlerErrors());
    }

    @Test
    void candleAccountAndBookPushesReadRecords() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/private").credentials(KEY).typedDelivery(Delivery.inline()).build());
        LinkedBlockingQueue<WsPush<?>> got = new LinkedBlockingQueue<>();
        ws.on(WsChannel.candle("1m"), got::add);
        ws.on(WsChannel.ACCOUNT, got::add);
        ws.on(WsChannel.BBO_TBT, got::add);
        ws.connect(WAIT);
        FakeOkxServer.Conn c = server.nextConnection(WAIT);
        c.send("{\"arg\":{\"channel\":\"candle1m\",\"instId\":\"BTC-USDT\"},\"data\":[[\"1597026383085\",\"8533.02\","
                + "\"8553.74\",\"8527.17\",\"8548.26\",\"45247\",\"529.5858061\",\"529.5858061\",\"0\"]]}");
        c.send("{\"arg\":{\"channel\":\"account\",\"uid\":\"10000\"},\"eventType\":\"snapshot\",\"data\":[{\"uTime\":\"1\","
                + "\"totalEq\":\"\",\"details\":[{\"ccy\":\"USDT\",\"cashBal\":\"1000000\",\"eq\":\"1000000\",\"availBal\":\"999000\","
                + "\"frozenBal\":\"1000\",\"ordFrozen\":\"1000\",\"eqUsd\":\"\",\"uTime\":\"1\"}]}]}");
        c.send(push("bbo-tbt", "BTC-USDT", "{\"asks\":[[\"111.06\",\"55154\",\"0\",\"2\"]],\"bids\":[[\"111.05\",\"57745\",\"0\",\"2\"]],"
                + "\"ts\":\"1670324386802\",\"seqId\":363996337}"));
        var candle = (dev.bourse.client.ws.model.Candle) got.poll(5, TimeUnit.SECONDS).data().getFirst();
        assertEquals(1597026383085L, candle.ts());
        assertEquals(new BigDecimal("8548.26"), candle.close());
        assertFalse(candle.closed());
        WsPush<?> account = got.poll(5, TimeUnit.SECONDS);
        assertEquals("snapshot", account.eventType());
        var detail = ((dev.bourse.client.ws.model.AccountUpdate) account.data().getFirst()).details().getFirst();
        assertEquals("USDT", detail.ccy());
        assertEquals(new BigDecimal("999000"), detail.availBal());
        var bbo = (dev.bourse.client.ws.model.BookData) got.poll(5, TimeUnit.SECONDS).data().getFirst();
        assertEquals(new BigDecimal("111.05"), bbo.bids().getFirst().price());
        assertEquals(2, bbo.asks().getFirst().orderCount());
        assertEquals(363996337L, bbo.seqId());
        assertNull(bbo.prevSeqId());
        assertEquals(0, ws.stats().handlerErrors(), ws.stats().lastError());
    }

    @Test
    void failingHandlerIsCountedAndDoesNotStopDelivery() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/public").build());
        LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
        ws.on(WsChannel.TRADES, p -> {
            String id = p.data().getFirst().tradeId();
            seen.add(id);
            if (id.equals("1")) {
                throw new IllegalStateException("boom");
            }
        });
        ws.connect(WAIT);
        FakeOkxServer.Conn c = server.nextConnection(WAIT);
        for (int i = 1; i <= 2; i++) {
            c.send(push("trades", "BTC-USDT", "{\"instId\":\"BTC-USDT\",\"tradeId\":\"" + i + "\",\"px\":\"1\",\"sz\":\"1\",\"side\":\"buy\",\"ts\":\"1\"}"));
        }
        assertEquals("1", seen.poll(5, TimeUnit.SECONDS));
        assertEquals("2", seen.poll(5, TimeUnit.SECONDS));
        await(() -> ws.stats().handlerErrors() == 1, "the counted failure");
        assertTrue(ws.stats().lastError().contains("boom"), ws.stats().lastError());
    }

    /** A typed handler that blocks on {@code release} and records trade ids in arrival order. */
    private static final class SlowHandler implements PushHandler<dev.bourse.client.ws.model.Trade> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> ids = new CopyOnWriteArrayList<>();
        volatile String thread;

        @Override
        public void onPush(WsPush<dev.bourse.client.ws.model.Trade> push) throws Exception {
            thread = Thread.currentThread().getName();
            ids.add(push.data().getFirst().tradeId());
            entered.countDown();
            release.await();
        }
    }

    private static String trade(int i) {
        return push("trades", "BTC-USDT", "{\"instId\":\"BTC-USDT\",\"tradeId\":\"" + i + "\",\"px\":\"1\",\"sz\":\"1\",\"side\":\"buy\",\"ts\":\"1\"}");
    }

    /** Starts a client with {@code delivery} whose handler is stuck on trade 1, then pushes trades 2..10. */
    private SlowHandler stuckHandler(OkxWebSocket ws) throws Exception {
        SlowHandler h = new SlowHandler();
        ws.on(WsChannel.TRADES, h);
        ws.connect(WAIT);
        FakeOkxServer.Conn c = server.nextConnection(WAIT);
        c.send(trade(1));
        assertTrue(h.entered.await(5, TimeUnit.SECONDS));
        for (int i = 2; i <= 10; i++) {
            c.send(trade(i));
        }
        c.send("{\"event\":\"notice\",\"code\":\"1\",\"msg\":\"marker\"}");
        return h;
    }

    @Test
    void dropPolicyCountsDropsAndKeepsTheConnection() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/public").typedDelivery(Delivery.async(2, QueuePolicy.DROP)).build());
        SlowHandler h = stuckHandler(ws);
        await(() -> ws.stats().lastError() != null && ws.stats().lastError().contains("marker"), "all pushes read");
        WsStats s = ws.stats();
        assertEquals(2, s.typedQueueLen());
        assertEquals(2, s.typedQueueCap());
        assertEquals(7, s.typedDropped());
        assertTrue(s.connected());
        h.release.countDown();
        await(() -> h.ids.size() == 3, "the queued pushes");
        assertEquals(List.of("1", "2", "3"), h.ids);
        assertEquals(1, server.conns.size());
        assertTrue(h.thread.endsWith("-typed"), h.thread);
    }

    @Test
    void disconnectPolicyReconnectsOnOverflow() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/public").typedDelivery(Delivery.async(2, QueuePolicy.DISCONNECT)).build());
        ws.subscribe(ChannelArg.of("trades", "BTC-USDT"));
        SlowHandler h = stuckHandler(ws);
        FakeOkxServer.Conn second = server.nextConnection(WAIT);
        second.awaitOp("subscribe", WAIT);
        WsStats s = ws.stats();
        assertEquals(1, s.typedDropped());
        assertEquals(1, s.reconnects());
        assertTrue(s.lastError().contains("typed handler queue full (2): disconnecting"), s.lastError());
        h.release.countDown();
        await(() -> h.ids.size() == 3, "the queued pushes");
        assertEquals(List.of("1", "2", "3"), h.ids);
    }

    @Test
    void blockPolicyStallsTheReaderWithoutLoss() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/public").typedDelivery(Delivery.async(2, QueuePolicy.BLOCK)).build());
        SlowHandler h = stuckHandler(ws);
        await(() -> ws.stats().typedQueueLen() == 2, "a full queue");
        Thread.sleep(100);
        WsStats s = ws.stats();
        assertEquals(2, s.typedQueueLen());
        assertEquals(0, s.typedDropped());
        assertTrue(s.lastError() == null || !s.lastError().contains("marker"), "the reader is held up: " + s.lastError());
        h.release.countDown();
        await(() -> h.ids.size() == 10, "every push");
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"), h.ids);
        await(() -> ws.stats().lastError() != null && ws.stats().lastError().contains("marker"), "the reader to catch up");
        assertEquals(0, ws.stats().typedDropped());
    }

    @Test
    void inlineDeliveryRunsOnTheReaderThread() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/public").typedDelivery(Delivery.inline()).build());
        SlowHandler h = new SlowHandler();
        h.release.countDown();
        ws.on(WsChannel.TRADES, h);
        ws.connect(WAIT);
        server.nextConnection(WAIT).send(trade(1));
        await(() -> h.ids.size() == 1, "the push");
        assertFalse(h.thread.endsWith("-typed"), h.thread);
        assertEquals(0, ws.stats().typedQueueCap());
    }

    @Test
    void rawQueueIsReportedSeparately() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/public").rawDelivery(Delivery.async(3, QueuePolicy.DROP)).build());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        ws.onRaw(m -> {
            entered.countDown();
            release.await();
        });
        ws.connect(WAIT);
        FakeOkxServer.Conn c = server.nextConnection(WAIT);
        c.send(trade(1));
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        for (int i = 2; i <= 6; i++) {
            c.send(trade(i));
        }
        await(() -> ws.stats().rawDropped() == 2, "drops");
        WsStats s = ws.stats();
        assertEquals(3, s.rawQueueLen());
        assertEquals(3, s.rawQueueCap());
        assertEquals(0, s.typedDropped());
        release.countDown();
    }

    // ------------------------------------------------------------------------------------ order ops

    private static String opReply(JsonNode req, String code, String sCode) {
        ObjectNode r = FakeOkxServer.M.createObjectNode();
        r.put("id", req.path("id").asText());
        r.put("op", req.path("op").asText());
        r.put("code", code);
        r.put("msg", "");
        ObjectNode item = r.putArray("data").addObject();
        item.put("ordId", "9" + req.path("args").get(0).path("clOrdId").asText());
        item.put("clOrdId", req.path("args").get(0).path("clOrdId").asText());
        item.put("tag", "");
        item.put("ts", "1");
        item.put("sCode", sCode);
        item.put("sMsg", "");
        r.put("inTime", "1");
        r.put("outTime", "2");
        return r.toString();
    }

    @Test
    void opRepliesAreMatchedByIdEvenOutOfOrder() throws Exception {
        List<JsonNode> held = new CopyOnWriteArrayList<>();
        server.ops = (c, req) -> {
            held.add(req);
            if (held.size() == 2) { // answer the second first
                c.send(opReply(held.get(1), "0", "0"));
                c.send(opReply(held.get(0), "1", "51008"));
            }
            return null;
        };
        OkxWebSocket ws = client(config("/ws/v5/private").credentials(KEY).build());
        ws.connect(WAIT);
        CompletableFuture<OpReply> a = ws.placeOrder(PlaceOrder.limit("BTC-USDT", "buy", new BigDecimal("59000"),
                new BigDecimal("0.01"), "a1"));
        CompletableFuture<OpReply> b = ws.placeOrder(PlaceOrder.limit("BTC-USDT", "sell", new BigDecimal("61000"),
                new BigDecimal("0.02"), "b2"));
        OpReply ra = a.get(5, TimeUnit.SECONDS);
        OpReply rb = b.get(5, TimeUnit.SECONDS);
        assertEquals("a1", ra.first().clOrdId());
        assertEquals("51008", ra.first().sCode());
        assertFalse(ra.ok());
        assertEquals("b2", rb.first().clOrdId());
        assertTrue(rb.ok() && rb.first().ok());
        assertEquals("order", rb.op());
        JsonNode sent = held.getFirst();
        assertEquals("order", sent.path("op").asText());
        JsonNode arg = sent.path("args").get(0);
        assertEquals("59000", arg.path("px").asText());
        assertEquals("0.01", arg.path("sz").asText());
        assertEquals("cash", arg.path("tdMode").asText());
        assertFalse(arg.has("tag"), "no nulls sent: " + arg);
        assertTrue(sent.path("id").asText().matches("[A-Za-z0-9]{1,32}"));
        assertEquals(0, ws.stats().pendingOps());
    }

    @Test
    void errorEventAnsweringAnOpFailsIt() throws Exception {
        server.ops = (c, req) -> "{\"id\":\"" + req.path("id").asText() + "\",\"event\":\"error\",\"code\":\"60012\",\"msg\":\"Invalid request\"}";
        OkxWebSocket ws = client(config("/ws/v5/private").credentials(KEY).build());
        ws.connect(WAIT);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> ws.cancelOrder(CancelOrder.byClOrdId("BTC-USDT", "a1")).get(5, TimeUnit.SECONDS));
        WsErrorException w = assertInstanceOf(WsErrorException.class, e.getCause());
        assertEquals("60012", w.code());
    }

    @Test
    void pendingOpsFailAsOutcomeUnknownOnDisconnect() throws Exception {
        CountDownLatch got = new CountDownLatch(1);
        server.ops = (c, req) -> {
            got.countDown();
            return null;
        };
        OkxWebSocket ws = client(config("/ws/v5/private").credentials(KEY).build());
        ws.connect(WAIT);
        CompletableFuture<OpReply> f = ws.placeOrder(PlaceOrder.limit("BTC-USDT", "buy", BigDecimal.ONE, BigDecimal.ONE, "x1"));
        assertTrue(got.await(5, TimeUnit.SECONDS));
        assertEquals(1, ws.stats().pendingOps());
        server.conns.getFirst().ws.close(1011, "server error");
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        OpOutcomeUnknownException u = assertInstanceOf(OpOutcomeUnknownException.class, e.getCause());
        assertEquals(OpOutcomeUnknownException.Reason.DISCONNECTED, u.reason());
        assertTrue(u.getMessage().startsWith("sent, outcome unknown"), u.getMessage());
        assertEquals(0, ws.stats().pendingOps());
    }

    @Test
    void unansweredOpTimesOutAsOutcomeUnknown() throws Exception {
        OkxWebSocket ws = client(config("/ws/v5/private").credentials(KEY).requestTimeout(Duration.ofMillis(200)).build());
        ws.connect(WAIT);
        CompletableFuture<OpReply> f = ws.placeOrder(PlaceOrder.limit("BTC-USDT", "buy", BigDecimal.ONE, BigDecimal.ONE, "x1"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertEquals(OpOutcomeUnknownException.Reason.TIMEOUT,
                assertInstanceOf(OpOutcomeUnknownException.class, e.getCause()).reason());
        assertTrue(ws.stats().connected(), "a slow answer is not a dead connection");
    }

    @Test
    void opsAreNotSentWhileDisconnected() {
        OkxWebSocket ws = client(config("/ws/v5/private").credentials(KEY).build());
        CompletableFuture<OpReply> f = ws.placeOrder(PlaceOrder.limit("BTC-USDT", "buy", BigDecimal.ONE, BigDecimal.ONE, "x1"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(1, TimeUnit.SECONDS));
        assertInstanceOf(WsNotSentException.class, e.getCause());
    }

    @Test
    void badArgumentsAreRefusedBeforeSending() {
        assertThrows(IllegalArgumentException.class, () -> new CancelOrder("BTC-USDT", null, null));
        assertThrows(IllegalArgumentException.class, () -> PlaceOrder.limit(" ", "buy", BigDecimal.ONE, BigDecimal.ONE, null));
        assertThrows(IllegalArgumentException.class, () -> WsConfig.builder("http//x").build());
        assertThrows(IllegalArgumentException.class, () -> Delivery.async(0, QueuePolicy.DROP));
        assertThrows(IllegalArgumentException.class, () -> WsConfig.builder("ws://x").pingInterval(Duration.ZERO).build());
    }
}
