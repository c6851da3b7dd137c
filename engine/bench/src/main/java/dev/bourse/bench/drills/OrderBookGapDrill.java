package dev.bourse.bench.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.bench.load.Market;
import dev.bourse.client.OkxClient;
import dev.bourse.client.auth.Credentials;
import dev.bourse.client.book.LocalOrderBook;
import dev.bourse.client.book.OrderBookException;
import dev.bourse.client.book.OrderBookFeed;
import dev.bourse.client.book.OrderBookSequenceException;
import dev.bourse.client.book.OrderBookStore;
import dev.bourse.client.book.PriceLevel;
import dev.bourse.client.rest.market.BookLevel;
import dev.bourse.client.rest.market.OrderBook;
import dev.bourse.client.rest.trade.OrderRequest;
import dev.bourse.client.rest.trade.OrderType;
import dev.bourse.client.rest.trade.Side;
import dev.bourse.client.ws.OkxWebSocket;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runbook §7 "order-book gap drill": a local {@code books} copy kept by {@link OrderBookFeed} over a public
 * WebSocket through a {@link FaultProxy}, which swallows one {@code books} update while orders are placed. PASS
 * when the next update fails the sequence check ({@code OrderBookSequenceException}: its {@code prevSeqId} is not
 * the book's {@code seqId}), the book stops being ready, and the runbook's recovery — reset, resubscribe, wait for
 * the snapshot ({@code feed.resync}) — rebuilds a book equal to {@code GET /api/v5/market/books}: the same
 * {@code seqId} and the same levels (price, size, order count), also after further trading.
 */
public final class OrderBookGapDrill implements Drill {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper M = new ObjectMapper();

    public static void main(String[] args) {
        Drill.main(new OrderBookGapDrill(), args);
    }

    @Override
    public String name() {
        return "order-book-gap";
    }

    @Override
    public String proves() {
        return "a forced gap in the books sequence is detected, and reset + resubscribe recovers a book equal to "
                + "market/books";
    }

    @Override
    public void run(DrillContext ctx, DrillReport r) throws Exception {
        Credentials key = ctx.traders(1).getFirst();
        OkxClient a = ctx.client(key);
        OkxClient pubRest = ctx.client(null);
        a.syncTime();
        Market m = ctx.market(a);
        String inst = m.instId();
        FaultProxy proxy = ctx.closeLater(new FaultProxy(ctx.host(), ctx.port()));
        OkxWebSocket ws = ctx.ws("ws://127.0.0.1:" + proxy.port() + "/ws/v5/public", w -> w.name("drill-books"));
        // no automatic resync: the drill performs the runbook's steps itself
        OrderBookFeed feed = ctx.closeLater(new OrderBookFeed(ws, new OrderBookStore(), false, WAIT));
        List<OrderBookException> errors = new CopyOnWriteArrayList<>();
        feed.addListener(new OrderBookFeed.Listener() {
            @Override
            public void onBookError(OrderBookException error, boolean resyncing) {
                errors.add(error);
            }
        });
        ws.connect(WAIT);
        LocalOrderBook book = feed.subscribe("books", inst, WAIT);
        String same = sameAsRest(book, pubRest, inst);
        r.evidence("subscribed books %s through the proxy: seqId %d, %d bids, %d asks; equal to market/books: %s",
                inst, book.seqId(), book.bidCount(), book.askCount(), same == null ? "yes" : same);
        r.check(same == null, "the book starts equal to market/books");

        proxy.dropServerFrame(text -> isBooksUpdate(text, inst));
        BigDecimal sz = m.sizeFor(new BigDecimal("50"));
        int placed = 0;
        while (errors.isEmpty() && placed < 10) {
            // bids 1 % and more below the price: they rest and change the book without trading
            BigDecimal px = m.priceAway(-100 - placed);
            a.trade().placeOrder().order(OrderRequest.of(inst, Side.BUY, OrderType.POST_ONLY, px, sz)
                    .withClOrdId(a.trade().clOrdIds().next())).execute();
            placed++;
            Waits.until(Duration.ofMillis(500), () -> !errors.isEmpty());
        }
        OrderBookException e = errors.isEmpty() ? null : errors.getFirst();
        r.evidence("the proxy dropped %d books update(s); %d bids placed; the feed reported: %s", proxy.droppedFrames(),
                placed, e == null ? "nothing" : e.getClass().getSimpleName() + ": " + e.getMessage());
        r.check(proxy.droppedFrames() == 1 && e instanceof OrderBookSequenceException,
                "the gap was detected as OrderBookSequenceException");
        if (e instanceof OrderBookSequenceException seq) {
            r.evidence("expected prevSeqId %d, got prevSeqId %d (seqId %d); book ready: %s",
                    seq.expectedPrevSeqId(), seq.prevSeqId(), seq.seqId(), book.isReady());
        }
        r.check(!book.isReady(), "the broken book is marked not ready (do not trade on it)");

        long resyncStart = System.nanoTime();
        LocalOrderBook fresh = feed.resync("books", inst, WAIT);
        long resyncMs = (System.nanoTime() - resyncStart) / 1_000_000;
        same = sameAsRest(fresh, pubRest, inst);
        r.evidence("reset + resubscribe took %d ms: seqId %d, %d bids, %d asks, ready %s; skipped stale pushes %d",
                resyncMs, fresh.seqId(), fresh.bidCount(), fresh.askCount(), fresh.isReady(), feed.skipped());
        r.check(fresh.isReady() && same == null, "the recovered book equals market/books (seqId and every level)%s",
                same == null ? "" : ": " + same);

        for (int i = 0; i < 3; i++) {
            a.trade().placeOrder().order(OrderRequest.of(inst, Side.BUY, OrderType.POST_ONLY,
                    m.priceAway(-100 - placed - i), sz).withClOrdId(a.trade().clOrdIds().next())).execute();
        }
        same = sameAsRest(fresh, pubRest, inst);
        r.check(same == null && errors.size() == 1, "after three more orders it still equals market/books "
                + "(seqId %d, feed errors %d)%s", fresh.seqId(), errors.size(), same == null ? "" : ": " + same);
        r.evidence("cleanup: cancelled %d resting orders", DrillContext.cancelAll(a, inst));
    }

    static boolean isBooksUpdate(String text, String inst) {
        try {
            JsonNode n = M.readTree(text);
            return "books".equals(n.path("arg").path("channel").asText()) && inst.equals(n.path("arg").path("instId")
                    .asText()) && "update".equals(n.path("action").asText());
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Polls until the local book and {@code GET market/books} (400 levels) agree on seqId and every level; null then,
     * else what differed at the deadline.
     */
    private static String sameAsRest(LocalOrderBook book, OkxClient c, String inst) throws InterruptedException {
        String[] last = {""};
        boolean ok = Waits.until(WAIT, () -> {
            OrderBook rest = c.market().books().instId(inst).sz(400).execute();
            LocalOrderBook.View v = book.view();
            List<String> restBids = rest.bids().stream().map(OrderBookGapDrill::row).toList();
            List<String> restAsks = rest.asks().stream().map(OrderBookGapDrill::row).toList();
            List<String> bids = v.bids().stream().map(OrderBookGapDrill::row).toList();
            List<String> asks = v.asks().stream().map(OrderBookGapDrill::row).toList();
            boolean equal = v.ready() && rest.seqId() != null && v.seqId() == rest.seqId() && bids.equals(restBids)
                    && asks.equals(restAsks);
            if (!equal) {
                last[0] = "local seqId " + v.seqId() + " (ready " + v.ready() + ") vs REST " + rest.seqId()
                        + "; bids equal " + bids.equals(restBids) + ", asks equal " + asks.equals(restAsks);
            }
            return equal;
        });
        return ok ? null : last[0];
    }

    private static String row(BookLevel l) {
        return l.px().stripTrailingZeros().toPlainString() + ":" + l.sz().stripTrailingZeros().toPlainString() + ":"
                + l.orderCount();
    }

    private static String row(PriceLevel l) {
        return l.px().stripTrailingZeros().toPlainString() + ":" + l.sz().stripTrailingZeros().toPlainString() + ":"
                + l.orders();
    }
}
