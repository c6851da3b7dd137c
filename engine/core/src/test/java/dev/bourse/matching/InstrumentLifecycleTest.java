package dev.bourse.matching;

import dev.bourse.asset.Asset;
import dev.bourse.funds.InMemoryBalances;
import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;
import dev.bourse.order.OrderType;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.bourse.matching.TestMarket.B;
import static dev.bourse.matching.TestMarket.Q;
import static dev.bourse.matching.TestMarket.U1;
import static dev.bourse.matching.TestMarket.U2;
import static dev.bourse.matching.TestMarket.U3;
import static dev.bourse.matching.TestMarket.px;
import static dev.bourse.matching.TestMarket.sz;
import static dev.bourse.matching.TestMarket.usdt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Listing changes while the engine runs: new rules for a listed symbol (the book stays), a symbol taken
 * off with its resting orders, and the same orders adopted by another engine, as when the control plane
 * moves a symbol between shards.
 */
class InstrumentLifecycleTest {

    @Test
    void newRulesKeepTheBookAndApplyFromTheNextCommand() {
        TestMarket m = new TestMarket(b -> b.bandBps(1_000).referencePrice("100").fees("0", "0"));
        long ask = m.sell(U1, "100", "1");
        m.buy(U2, "99", "1");
        String before = m.snapshot();

        m.engine.replaceInstrument(TestMarket.btcUsdt().bandBps(200).referencePrice("100").fees("0.001", "0.002")
                .minSize("0.5").build());

        assertEquals(before, m.snapshot(), "the book, balances and counters are untouched");
        assertEquals(200, m.engine.priceBandBps(m.sym));
        // band 2 % around the mid 99.5 (floored to 99.5): 97.6 .. 101.4
        assertEquals(RejectReason.PRICE_OUT_OF_BAND, m.place(U3, Side.BUY, OrderType.LIMIT, "102", "1"));
        assertEquals(RejectReason.SIZE_BELOW_MIN, m.place(U3, Side.BUY, OrderType.LIMIT, "100", "0.1"));
        // the next fill pays the new fees: taker buyer 0.2 % of 1 BTC, maker seller 0.1 % of 100 USDT
        long u3Btc = m.avail(U3, B);
        long u1Usdt = m.avail(U1, Q);
        m.buy(U3, "100", "1");
        assertNull(m.live(ask));
        assertEquals(sz("1") - sz("0.002"), m.avail(U3, B) - u3Btc);
        assertEquals(usdt("100") - usdt("0.1"), m.avail(U1, Q) - u1Usdt);
    }

    @Test
    void tickAndLotChangeOnlyOnAnEmptyBook() {
        TestMarket m = new TestMarket();
        long bid = m.buy(U1, "100", "1");
        m.buy(U2, "99.9", "1");
        Instrument coarser = TestMarket.btcUsdt().tickSize(5, 1).build(); // tick 0.5 at the same price scale
        String before = m.snapshot();

        assertEquals("BTC-USDT: tickSz and lotSz can change only on an empty book (resting orders: 2)",
                m.engine.replaceRefusal(coarser));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.engine.replaceInstrument(coarser));
        assertTrue(e.getMessage().contains("(resting orders: 2)"), e.getMessage());
        assertEquals(before, m.snapshot());
        assertEquals(1, m.engine.instrument(m.sym).tickSize());

        m.cancel(U1, bid);
        m.massCancel(U2, m.sym);
        assertNull(m.engine.replaceRefusal(coarser));
        m.engine.replaceInstrument(coarser);
        assertEquals(RejectReason.PRICE_NOT_ON_TICK, m.place(U1, Side.BUY, OrderType.LIMIT, "100.1", "1"));
        assertNull(m.place(U1, Side.BUY, OrderType.LIMIT, "100.5", "1"));
    }

    @Test
    void assetsAndPriceScaleNeverChange() {
        TestMarket m = new TestMarket();
        Instrument otherScale = TestMarket.btcUsdt().tickSize("1").build(); // price scale 0
        assertEquals("BTC-USDT: the price scale cannot change (prices are stored with 1 decimals)",
                m.engine.replaceRefusal(otherScale));
        Instrument otherQuote = Instrument.builder("BTC-USDT", TestMarket.BTC, new Asset(1, "USDT", 4)).tickSize("0.1")
                .lotSize("0.001").minSize("0.001").maxSize("1000").build();
        assertEquals("BTC-USDT: the base and quote assets cannot change", m.engine.replaceRefusal(otherQuote));
        Instrument unlisted = Instrument.builder("ETH-USDT", TestMarket.ETH, TestMarket.USDT).tickSize("0.1")
                .lotSize("0.0001").minSize("0.0001").maxSize("1000").build();
        assertEquals("ETH-USDT is not listed on this engine", m.engine.replaceRefusal(unlisted));
    }

    @Test
    void newBreakerSettingsStartAFreshWindow() {
        // 5 % within a minute halts; after the change 20 % is allowed
        TestMarket m = new TestMarket(b -> b.breaker(500, 60_000));
        m.sell(U1, "100", "1");
        m.buy(U2, "100", "1"); // trades at 100: in the window
        m.sell(U1, "110", "1");
        m.engine.replaceInstrument(TestMarket.btcUsdt().breaker(2_000, 60_000).build());
        m.buy(U2, "110", "1"); // +10 %: would have tripped the old breaker
        assertEquals(SymbolState.TRADING, m.engine.symbolState(m.sym));
        assertEquals(px("110"), m.engine.lastTradePrice(m.sym));
    }

    @Test
    void removingASymbolKeepsTheOthersWorkingUnderTheirNewIds() {
        InMemoryBalances balances = new InMemoryBalances(3);
        EventRecorder rec = new EventRecorder();
        MatchingEngine e = new MatchingEngine(balances, rec);
        int btc = e.addInstrument(TestMarket.btcUsdt().build());
        int eth = e.addInstrument(ethUsdt());
        for (long u = U1; u <= U3; u++) {
            balances.deposit(u, B, sz("10"));
            balances.deposit(u, Q, usdt("100000"));
            balances.deposit(u, TestMarket.E, sz("100"));
        }
        Command c = new Command();
        assertNull(e.execute(c.place(U1, btc, Side.BUY, OrderType.LIMIT, px("100"), sz("1"), "keep1", StpMode.CANCEL_MAKER, 1)));
        long btcBid = c.resultOrderId();
        assertNull(e.execute(c.place(U2, btc, Side.SELL, OrderType.LIMIT, px("101"), sz("2"), null, StpMode.CANCEL_MAKER, 2)));
        assertNull(e.execute(c.place(U1, eth, Side.SELL, OrderType.LIMIT, 5_000, sz("3"), null, StpMode.CANCEL_MAKER, 3)));
        long ethAsk = c.resultOrderId();
        int events = rec.lines().size();
        long[] before = {balances.available(U1, Q), balances.held(U1, Q), balances.held(U2, B), balances.held(U1, TestMarket.E)};

        List<String> removed = new ArrayList<>();
        e.removeInstrument(btc, o -> removed.add(o.orderId() + "/" + o.userId() + "/" + o.held()));

        assertEquals(List.of(btcBid + "/" + U1 + "/" + usdt("100"), (btcBid + 1) + "/" + U2 + "/" + sz("2")), removed);
        assertEquals(events, rec.lines().size(), "no events: nothing happened to the orders themselves");
        assertArrayEquals(before, new long[] {balances.available(U1, Q), balances.held(U1, Q), balances.held(U2, B),
                balances.held(U1, TestMarket.E)}, "holds stay where they are (the new owner keeps them)");
        assertEquals(1, e.symbolCount());
        assertEquals(-1, e.symbolId("BTC-USDT"));
        assertEquals(0, e.symbolId("ETH-USDT"));
        assertNull(e.liveOrder(btcBid));
        assertEquals(1, e.liveOrderCount());
        assertEquals(1, e.liveOrderCount(U1));
        assertEquals(RejectReason.CANCEL_ORDER_NOT_FOUND, e.execute(c.cancel(U1, -1, btcBid, null, 4)),
                "a moved-away order is not live here");
        assertEquals(RejectReason.INSTRUMENT_NOT_FOUND, e.execute(c.massCancel(U1, 1, 4)), "the old id 1 is gone");
        // ETH-USDT now has id 0: its order is found, matched and canceled under it
        assertEquals(0, e.liveOrder(ethAsk).symbolId());
        assertNull(e.execute(c.place(U3, 0, Side.BUY, OrderType.LIMIT, 5_000, sz("1"), null, StpMode.CANCEL_MAKER, 5)));
        assertEquals(sz("2"), e.liveOrder(ethAsk).remainingSize());
        assertTrue(rec.lines().stream().anyMatch(l -> l.startsWith("fill") && l.contains(" sym=0 ")));
        assertNull(e.execute(c.massCancel(U1, -1, 6)));
        assertEquals(1, c.resultCount(), "the moved-away order is not the user's here any more");
        // the clOrdId of a moved-away order is free again on this engine
        int again = e.addInstrument(TestMarket.btcUsdt().build());
        assertNull(e.execute(c.place(U1, again, Side.BUY, OrderType.LIMIT, px("100"), sz("1"), "keep1", StpMode.CANCEL_MAKER, 7)));
    }

    /**
     * A symbol leaves engine A (shard 1: ids above 10^12) for engine B (shard 0) with its resting orders:
     * B restores them in their queue order and keeps price-time priority; ids from A's range are adopted.
     */
    @Test
    void aMovedBookKeepsItsPriorityOnTheNewEngine() {
        InMemoryBalances shared = new InMemoryBalances(3); // the balances are shared by every shard
        for (long u = U1; u <= U3; u++) {
            shared.deposit(u, B, sz("10"));
            shared.deposit(u, Q, usdt("100000"));
        }
        long range = 1_000_000_000_000L;
        MatchingEngine a = new MatchingEngine(shared, null, 1001, 0, range, range);
        int symA = a.addInstrument(TestMarket.btcUsdt().build());
        Command c = new Command();
        long first = place(a, c, U1, symA, Side.SELL, "100", "1");
        long second = place(a, c, U2, symA, Side.SELL, "100", "2");
        long third = place(a, c, U1, symA, Side.SELL, "100.5", "1");
        long bid = place(a, c, U2, symA, Side.BUY, "99", "1");
        assertNull(a.execute(c.amend(U1, symA, first, null, sz("0.5"), 0, 10))); // size down keeps first place
        a.execute(c.setSymbolState(symA, SymbolState.HALTED, 11));
        String book = describe(a, symA);
        long seqId = a.book(symA).seqId();

        List<long[]> moved = new ArrayList<>(); // what the server reads back: id, user, side, px, sz, held
        a.removeInstrument(symA, o -> moved.add(new long[] {o.orderId(), o.userId(), o.side().ordinal(), o.price(),
                o.size(), o.filledSize(), o.filledQuote(), o.held()}));

        EventRecorder rec = new EventRecorder();
        MatchingEngine b = new MatchingEngine(shared, rec, 1000, 500, 40, 7);
        int symB = b.addInstrument(TestMarket.btcUsdt().build());
        b.restoreMarket(symB, SymbolState.HALTED, 0, seqId);
        // restoreOrder refuses ids beyond B's own counter; adoptOrder takes them
        long[] o0 = moved.get(0);
        assertThrows(IllegalStateException.class, () -> restore(b, symB, o0, false));
        for (long[] o : moved) {
            restore(b, symB, o, true);
        }
        assertEquals(book, describe(b, symB));
        assertEquals(4, b.liveOrderCount());
        assertThrows(IllegalStateException.class, () -> restore(b, symB, o0, true), "already live");

        assertNull(b.execute(c.setSymbolState(symB, SymbolState.TRADING, 12)));
        long taker = place(b, c, U3, symB, Side.BUY, "100", "1");
        assertEquals(41, taker, "B's own counter goes on");
        List<String> fills = rec.linesStartingWith("fill");
        assertEquals(2, fills.size(), fills::toString);
        assertTrue(fills.get(0).contains("maker=" + first + "/"), "the oldest order at 100 fills first: " + fills);
        assertTrue(fills.get(1).contains("maker=" + second + "/"), fills::toString);
        assertEquals(sz("1.5"), b.liveOrder(second).remainingSize());
        assertEquals(seqId + 1, b.book(symB).seqId(), "the book sequence goes on from where A left it");
        assertNull(b.execute(c.cancel(U1, symB, third, null, 13)), "adopted orders cancel like any other");
        assertNull(b.execute(c.massCancel(U2, symB, 14)));
        assertEquals(0, b.liveOrderCount());
        assertNull(b.liveOrder(bid));
        assertEquals(0, shared.held(U1, B) + shared.held(U2, B) + shared.held(U2, Q), "every hold was released");
    }

    private static Instrument ethUsdt() {
        return Instrument.builder("ETH-USDT", TestMarket.ETH, TestMarket.USDT).tickSize("0.01").lotSize("0.0001")
                .minSize("0.0001").maxSize("1000").build();
    }

    private static long place(MatchingEngine e, Command c, long user, int sym, Side side, String price, String size) {
        RejectReason r = e.execute(c.place(user, sym, side, OrderType.LIMIT, px(price), sz(size), null, StpMode.CANCEL_MAKER, 1));
        assertNull(r);
        return c.resultOrderId();
    }

    private static void restore(MatchingEngine e, int sym, long[] o, boolean adopt) {
        Side side = Side.values()[(int) o[2]];
        if (adopt) {
            e.adoptOrder(o[0], o[1], sym, null, side, OrderType.LIMIT, StpMode.CANCEL_MAKER, o[3], o[4], o[5], o[6], o[7], 0, 1, 1);
        } else {
            e.restoreOrder(o[0], o[1], sym, null, side, OrderType.LIMIT, StpMode.CANCEL_MAKER, o[3], o[4], o[5], o[6], o[7], 0, 1, 1);
        }
    }

    /** Each level of both sides with its orders in queue order and their remaining sizes. */
    private static String describe(MatchingEngine e, int sym) {
        StringBuilder sb = new StringBuilder();
        OrderBook book = e.book(sym);
        for (Side side : Side.values()) {
            int n = book.levelCount(side);
            long[] p = new long[n];
            long[] z = new long[n];
            int[] k = new int[n];
            book.depth(side, n, p, z, k);
            for (int i = 0; i < n; i++) {
                sb.append(side).append(' ').append(p[i]).append(' ').append(z[i]).append(' ').append(k[i]);
                for (long id : book.queueAt(side, p[i])) {
                    OrderView o = e.liveOrder(id);
                    sb.append(" {").append(id).append(' ').append(o.remainingSize()).append(' ').append(o.held()).append('}');
                }
                sb.append('\n');
            }
        }
        return sb.append(Arrays.toString(new long[] {book.bestBid(), book.bestAsk()})).toString();
    }
}
