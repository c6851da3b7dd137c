package dev.bourse.matching;

import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.matching.TestMarket.*;
import static org.junit.jupiter.api.Assertions.*;

class CancelTest {


    @Test
    void cancelByOrderIdRemovesItAndReleasesTheHold() {
        TestMarket m = new TestMarket();
        long id = m.buy(U1, "100", "1");
        m.rec.clear();
        assertNull(m.cancel(U1, id));
        assertEquals(id, m.cmd.resultOrderId());
        List<String> lines = m.rec.lines();
        assertEquals(3, lines.size(), lines::toString);
        assertEquals("level seq=2 sym=0 BUY px=1000 sz=0 n=0 bookSeq=2", lines.get(0));
        assertEquals("postings seq=2 RELEASE ord=1 trade=0 1/HELD/1=-100000000 1/AVAILABLE/1=100000000", lines.get(1));
        assertTrue(lines.get(2).startsWith("canceled seq=2 reason=USER ord=1 user=1 ")
                && lines.get(2).contains(" held=0 fee=0 state=CANCELED"), lines.get(2));
        assertEquals(usdt("100000"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
        assertNull(m.live(id));
        assertEquals(0, m.engine.liveOrderCount(U1));
        assertEquals(0, m.book().levelCount(Side.BUY));
    }

    @Test
    void cancelOneOfSeveralAtALevelKeepsTheOthersInOrder() {
        TestMarket m = new TestMarket();
        long a = m.sell(U2, "100", "1");
        long b = m.sell(U3, "100", "2");
        long c = m.sell(U2, "100", "3");
        assertNull(m.cancel(U3, b));
        assertArrayEquals(new long[]{a, c}, m.queue(Side.SELL, "100"));
        m.assertLevel(Side.SELL, "100", "4", 2);
        assertEquals(btc("10"), m.avail(U3, B));
    }

    @Test
    void cancelByClientOrderId() {
        TestMarket m = new TestMarket();
        assertNull(m.place(U2, Side.SELL, OrderType.LIMIT, "100", "1", "abc123", null));
        long id = m.lastId();
        assertNull(m.cancelByClOrdId(U2, "abc123"));
        assertEquals(id, m.cmd.resultOrderId());
        assertNull(m.live(id));
        assertEquals(btc("10"), m.avail(U2, B));
        // the client id is free again
        assertNull(m.place(U2, Side.SELL, OrderType.LIMIT, "100", "1", "abc123", null));
    }

    @Test
    void orderIdWinsOverClientOrderId() {
        TestMarket m = new TestMarket();
        assertNull(m.place(U2, Side.SELL, OrderType.LIMIT, "100", "1", "first", null));
        long first = m.lastId();
        assertNull(m.place(U2, Side.SELL, OrderType.LIMIT, "101", "1", "second", null));
        long second = m.lastId();
        assertNull(m.engine.execute(m.cmd.cancel(U2, m.sym, second, "first", 1)));
        assertNull(m.live(second));
        assertNotNull(m.live(first));
    }

    @Test
    void cancelingSomeoneElsesOrderIsNotFound() {
        TestMarket m = new TestMarket();
        long id = m.buy(U1, "100", "1");
        assertNull(m.place(U1, Side.BUY, OrderType.LIMIT, "99", "1", "x1", null));
        assertRejectedUntouched(m, RejectReason.CANCEL_ORDER_NOT_FOUND, "51400", () -> m.cancel(U2, id));
        assertRejectedUntouched(m, RejectReason.CANCEL_ORDER_NOT_FOUND, "51400", () -> m.cancelByClOrdId(U2, "x1"));
        assertNotNull(m.live(id));
    }

    @Test
    void cancelingAFilledOrCanceledOrderIsNotFound() {
        TestMarket m = new TestMarket();
        long filled = m.sell(U2, "100", "1");
        m.buy(U1, "100", "1");
        long canceled = m.sell(U2, "101", "1");
        assertNull(m.cancel(U2, canceled));
        assertRejectedUntouched(m, RejectReason.CANCEL_ORDER_NOT_FOUND, "51400", () -> m.cancel(U2, filled));
        assertRejectedUntouched(m, RejectReason.CANCEL_ORDER_NOT_FOUND, "51400", () -> m.cancel(U2, canceled));
        assertRejectedUntouched(m, RejectReason.CANCEL_ORDER_NOT_FOUND, "51400", () -> m.cancel(U2, 12_345));
        assertRejectedUntouched(m, RejectReason.CANCEL_ORDER_NOT_FOUND, "51400", () -> m.cancelByClOrdId(U2, "none"));
    }

    @Test
    void cancelOnTheWrongSymbolIsNotFound() {
        TestMarket m = new TestMarket();
        long id = m.buy(U1, "100", "1");
        assertRejectedUntouched(m, RejectReason.CANCEL_ORDER_NOT_FOUND, "51400",
                () -> m.engine.execute(m.cmd.cancel(U1, 3, id, null, 1)));
        // a negative symbol id means "any symbol"
        assertNull(m.engine.execute(m.cmd.cancel(U1, -1, id, null, 1)));
    }

    @Test
    void cancelWithoutAnyIdIsRejected() {
        TestMarket m = new TestMarket();
        m.buy(U1, "100", "1");
        assertRejectedUntouched(m, RejectReason.ORDER_ID_REQUIRED, "51407", () -> m.cancel(U1, 0));
        assertRejectedUntouched(m, RejectReason.ORDER_ID_REQUIRED, "51407", () -> m.cancel(U1, -4));
    }

    @Test
    void cancelOfAPartiallyFilledOrderReleasesOnlyWhatIsLeft() {
        TestMarket m = new TestMarket();
        long bid = m.buy(U1, "100", "1");
        m.sell(U2, "100", "0.3");
        assertNull(m.cancel(U1, bid));
        // paid 0.3 x 100 = 30, the other 70 come back
        assertTrue(m.rec.lines().contains("postings seq=3 RELEASE ord=" + bid
                + " trade=0 1/HELD/1=-70000000 1/AVAILABLE/1=70000000"), m.rec.lines()::toString);
        assertEquals(usdt("99970"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
        assertEquals(btc("10.3"), m.avail(U1, B));
        assertTrue(m.lastOrderLine(bid).contains(" filled=30000000 ") && m.lastOrderLine(bid).contains(" state=CANCELED"));
    }

    @Test
    void cancelIsAcceptedWhileHaltedOrCancelOnly() {
        TestMarket m = new TestMarket();
        long a = m.buy(U1, "100", "1");
        long b = m.buy(U1, "99", "1");
        assertNull(m.setState(SymbolState.HALTED));
        assertNull(m.cancel(U1, a));
        assertNull(m.setState(SymbolState.CANCEL_ONLY));
        assertNull(m.cancel(U1, b));
        assertEquals(usdt("100000"), m.avail(U1, Q));
    }

    // ------------------------------------------------------------------ mass cancel

    /** Adds ETH-USDT (tick 0.01, lot 0.0001) as symbol 1 and funds U1..U4 with 10 ETH. */
    private static int addEthUsdt(TestMarket m) {
        int s = m.engine.addInstrument(Instrument.builder("ETH-USDT", ETH, USDT).tickSize("0.01").lotSize("0.0001")
                .minSize("0.0001").maxSize("1000").build());
        for (long u = U1; u <= U4; u++) {
            m.balances.deposit(u, E, 1_000_000_000L);
        }
        return s;
    }

    @Test
    void massCancelPerSymbolLeavesOtherSymbolsAndUsers() {
        TestMarket m = new TestMarket();
        int eth = addEthUsdt(m);
        long b1 = m.buy(U1, "100", "1");
        long s1 = m.sell(U1, "110", "2");
        // 1 ETH at 2000.00 (200000 at scale 2): holds 2000 USDT
        assertNull(m.engine.execute(m.cmd.place(U1, eth, Side.BUY, OrderType.LIMIT, 200_000, 100_000_000, null, null, 1)));
        long e1 = m.lastId();
        long other = m.buy(U2, "100", "1");
        assertEquals(usdt("2100"), m.held(U1, Q));

        m.rec.clear();
        assertNull(m.massCancel(U1, m.sym));
        assertEquals(2, m.cmd.resultCount());
        assertEquals(2, m.rec.linesStartingWith("canceled").size());
        assertTrue(m.rec.linesStartingWith("canceled").stream().allMatch(l -> l.contains(" reason=MASS_CANCEL ")));
        assertNull(m.live(b1));
        assertNull(m.live(s1));
        assertNotNull(m.live(e1));
        assertNotNull(m.live(other));
        assertEquals(usdt("2000"), m.held(U1, Q)); // the ETH bid's hold stays
        assertEquals(0, m.held(U1, B));
        assertEquals(btc("10"), m.avail(U1, B));
        m.assertLevel(Side.BUY, "100", "1", 1);
        assertEquals(0, m.book().levelCount(Side.SELL));
        assertEquals(1, m.engine.liveOrderCount(U1));
    }

    @Test
    void massCancelOnEverySymbolReleasesEveryHold() {
        TestMarket m = new TestMarket();
        int eth = addEthUsdt(m);
        m.buy(U1, "100", "1");
        m.sell(U1, "110", "2");
        assertNull(m.engine.execute(m.cmd.place(U1, eth, Side.SELL, OrderType.LIMIT, 200_000, 300_000_000, null, null, 1)));
        assertNull(m.engine.execute(m.cmd.place(U1, eth, Side.BUY, OrderType.LIMIT, 190_000, 100_000_000, null, null, 1)));
        long other = m.buy(U2, "100", "1");

        assertNull(m.massCancel(U1, -1));
        assertEquals(4, m.cmd.resultCount());
        assertEquals(0, m.engine.liveOrderCount(U1));
        assertEquals(0, m.held(U1, B));
        assertEquals(0, m.held(U1, Q));
        assertEquals(0, m.held(U1, E));
        assertEquals(usdt("100000"), m.avail(U1, Q));
        assertEquals(btc("10"), m.avail(U1, B));
        assertEquals(1_000_000_000L, m.avail(U1, E));
        assertEquals(0, m.engine.book(eth).levelCount(Side.BUY) + m.engine.book(eth).levelCount(Side.SELL));
        assertNotNull(m.live(other));
    }

    @Test
    void massCancelWithNothingToCancelIsAcceptedWithZero() {
        TestMarket m = new TestMarket();
        m.buy(U2, "100", "1");
        String before = m.snapshot();
        assertNull(m.massCancel(U1, m.sym));
        assertEquals(0, m.cmd.resultCount());
        assertNull(m.massCancel(U1, -1));
        assertEquals(before, m.snapshot());
    }

    @Test
    void massCancelOnAnUnknownSymbolIsRejected() {
        TestMarket m = new TestMarket();
        m.buy(U1, "100", "1");
        assertRejectedUntouched(m, RejectReason.INSTRUMENT_NOT_FOUND, "51001", () -> m.massCancel(U1, 5));
    }
}
