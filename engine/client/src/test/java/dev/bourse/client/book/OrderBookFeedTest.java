package dev.bourse.client.book;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.client.ws.FakeOkxServer;
import dev.bourse.client.ws.OkxWebSocket;
import dev.bourse.client.ws.WsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(30)
class OrderBookFeedTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private FakeOkxServer server;
    private OkxWebSocket ws;
    private OrderBookFeed feed;
    private final AtomicInteger snapshots = new AtomicInteger();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new FakeOkxServer();
        // every subscription gets a snapshot: the n-th one has seqId n*100 and a bid at price n
        server.afterSubscribe = (c, arg) -> {
            int n = snapshots.incrementAndGet();
            c.send(books(arg.path("instId").asText(), "snapshot", "[[\"" + n + "\",\"1\",\"0\",\"1\"]]", -1, n * 100L));
        };
        // a push still in flight when the unsubscription is answered: it must not reach the new book
        server.beforeUnsubscribe = (c, arg) -> c.send(books(arg.path("instId").asText(), "update", "[]", 5, 6));
        ws = new OkxWebSocket(WsConfig.builder(server.url("/ws/v5/public")).build());
    }

    @AfterEach
    void stop() {
        if (feed != null) {
            feed.close();
        }
        ws.close();
        server.close();
    }

    private static String books(String instId, String action, String bids, long prev, long seq) {
        return "{\"arg\":{\"channel\":\"books\",\"instId\":\"" + instId + "\"},\"action\":\"" + action + "\",\"data\":[{"
                + "\"asks\":[],\"bids\":" + bids + ",\"ts\":\"1\",\"checksum\":0,\"prevSeqId\":" + prev + ",\"seqId\":" + seq + "}]}";
    }

    private void listen() {
        feed.addListener(new OrderBookFeed.Listener() {
            @Override
            public void onBookError(OrderBookException error, boolean resyncing) {
                events.add(error.getClass().getSimpleName() + " " + resyncing);
            }

            @Override
            public void onResynced(LocalOrderBook book) {
                events.add("resynced " + book.seqId());
            }
        });
    }

    private static void await(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void subscribeReturnsOnceTheSnapshotIsApplied() throws Exception {
        feed = new OrderBookFeed(ws, new OrderBookStore());
        ws.connect(WAIT);
        LocalOrderBook b = feed.subscribe("books", "BTC-USDT", WAIT);
        assertTrue(b.isReady());
        assertEquals(100, b.seqId());
        assertEquals("1", b.bestBid().orElseThrow().pxText());
        server.conns.getFirst().send(books("BTC-USDT", "update", "[[\"0.5\",\"2\",\"0\",\"1\"]]", 100, 101));
        await(() -> b.seqId() == 101, "the update");
        assertEquals(2, b.bidCount());
    }

    @Test
    void gapTriggersUnsubscribeResetSubscribeAndIgnoresStalePushes() throws Exception {
        feed = new OrderBookFeed(ws, new OrderBookStore());
        listen();
        ws.connect(WAIT);
        LocalOrderBook b = feed.subscribe("books", "BTC-USDT", WAIT);
        FakeOkxServer.Conn c = server.conns.getFirst();
        c.await(s -> s.contains("\"op\":\"subscribe\""), WAIT);
        c.send(books("BTC-USDT", "update", "[]", 100, 101));
        c.send(books("BTC-USDT", "update", "[[\"0.5\",\"2\",\"0\",\"1\"]]", 999, 1000)); // gap

        JsonNode unsub = c.awaitOp("unsubscribe", WAIT);
        assertEquals("BTC-USDT", unsub.path("args").get(0).path("instId").asText());
        c.awaitOp("subscribe", WAIT);
        await(() -> feed.resyncs() == 1, "the resync");
        LocalOrderBook after = feed.store().book("BTC-USDT").orElseThrow();
        assertTrue(after.isReady());
        assertEquals(200, after.seqId());
        assertEquals(List.of("2"), after.bids(10).stream().map(PriceLevel::pxText).toList(), "only the new snapshot");
        assertEquals(1, feed.errors());
        assertEquals(1, feed.skipped(), "the update sent before the unsubscription's ack");
        assertEquals(List.of("OrderBookSequenceException true", "resynced 200"), events);
        assertEquals(1, ws.stats().handlerErrors(), "the failed push is visible in the client's stats too");
        assertTrue(ws.stats().lastError().contains("sequence gap"), ws.stats().lastError());
        // the book goes on from the new snapshot
        c.send(books("BTC-USDT", "update", "[]", 200, 201));
        await(() -> after.seqId() == 201, "the next update");
        assertEquals(b, after);
    }

    @Test
    void withoutAutoResyncTheBookStaysBrokenUntilResynced() throws Exception {
        feed = new OrderBookFeed(ws, new OrderBookStore(), false, WAIT);
        listen();
        ws.connect(WAIT);
        feed.subscribe("books", "BTC-USDT", WAIT);
        FakeOkxServer.Conn c = server.conns.getFirst();
        c.send(books("BTC-USDT", "update", "[]", 42, 43));
        await(() -> feed.errors() == 1, "the gap");
        c.send(books("BTC-USDT", "update", "[]", 100, 101));
        await(() -> feed.errors() == 2, "the update to a broken book");
        assertEquals(List.of("OrderBookSequenceException false", "OrderBookNotReadyException false"), events);
        assertFalse(feed.store().book("BTC-USDT").orElseThrow().isReady());

        LocalOrderBook b = feed.resync("books", "BTC-USDT", WAIT);
        assertTrue(b.isReady());
        assertEquals(200, b.seqId());
        assertEquals(1, feed.resyncs());
    }

    @Test
    void onlyBookChannelsAreServed() {
        feed = new OrderBookFeed(ws, new OrderBookStore());
        assertInstanceOf(IllegalArgumentException.class, catchThrowable(() -> feed.subscribe("trades", "BTC-USDT", WAIT)));
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            return t;
        }
        return fail("nothing thrown");
    }
}
