package dev.bourse.matching;

import dev.bourse.order.OrderState;
import dev.bourse.order.OrderType;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.matching.TestMarket.*;
import static org.junit.jupiter.api.Assertions.*;

class AmendTest {


    /** Three 1 BTC asks at 100 from U2, U3, U2 (ids 1, 2, 3). */
    private static TestMarket threeAsks() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "1");
        m.sell(U3, "100", "1");
        m.sell(U2, "100", "1");
        m.rec.clear();
        return m;
    }

    @Test
    void sizeDownKeepsTimePriorityAndReleasesTheHold() {
        TestMarket m = threeAsks();
        assertNull(m.amend(U2, 1, "0.4", null));
        assertEquals(1, m.cmd.resultOrderId());
        assertArrayEquals(new long[]{1, 2, 3}, m.queue(Side.SELL, "100"));
        List<String> lines = m.rec.lines();
        assertEquals(3, lines.size(), lines::toString);
        // 1 - 0.4 = 0.6 BTC back to available
        assertEquals("postings seq=4 RELEASE ord=1 trade=0 2/HELD/0=-60000000 2/AVAILABLE/0=60000000", lines.get(0));
        assertTrue(lines.get(1).startsWith("amended seq=4 keptPriority=true ord=1 ") && lines.get(1).contains(
                " sz=40000000 filled=0 filledQuote=0 rem=40000000 held=40000000 "), lines.get(1));
        assertEquals("level seq=4 sym=0 SELL px=1000 sz=240000000 n=3 bookSeq=4", lines.get(2));
        assertEquals(btc("1.4"), m.held(U2, B)); // 0.4 + 1
        assertEquals(btc("8.6"), m.avail(U2, B));

        // it is still first in line
        m.buy(U1, "100", "0.4");
        assertTrue(m.rec.linesStartingWith("fill").get(0).contains(" maker=1/2 "));
        assertNull(m.live(1));
        assertArrayEquals(new long[]{2, 3}, m.queue(Side.SELL, "100"));
    }

    @Test
    void buySizeDownReleasesQuote() {
        TestMarket m = new TestMarket();
        long id = m.buy(U1, "100", "1");
        assertNull(m.amend(U1, id, "0.25", null));
        // held 1 x 100 = 100, now 0.25 x 100 = 25
        assertEquals(usdt("25"), m.held(U1, Q));
        assertEquals(usdt("99975"), m.avail(U1, Q));
        assertEquals(usdt("25"), m.live(id).held());
        m.assertLevel(Side.BUY, "100", "0.25", 1);
    }

    @Test
    void sizeUpLosesPriorityAndHoldsMore() {
        TestMarket m = threeAsks();
        assertNull(m.amend(U2, 1, "1.5", null));
        assertArrayEquals(new long[]{2, 3, 1}, m.queue(Side.SELL, "100"));
        List<String> lines = m.rec.lines();
        assertEquals("postings seq=4 HOLD ord=1 trade=0 2/AVAILABLE/0=-50000000 2/HELD/0=50000000", lines.get(0));
        assertTrue(lines.get(1).startsWith("amended seq=4 keptPriority=false ord=1 "), lines.get(1));
        // the order leaves the level (2 left) and re-enters at the tail (3.5); one book change
        assertEquals("level seq=4 sym=0 SELL px=1000 sz=200000000 n=2 bookSeq=4", lines.get(2));
        assertEquals("level seq=4 sym=0 SELL px=1000 sz=350000000 n=3 bookSeq=4", lines.get(3));
        assertEquals(4, lines.size());
        assertEquals(btc("2.5"), m.held(U2, B)); // 1.5 + 1
        assertEquals(btc("7.5"), m.avail(U2, B));
        OrderView o = m.live(1);
        assertEquals(sz("1.5"), o.size());
        assertEquals(sz("1.5"), o.remainingSize());
        assertEquals(OrderState.LIVE, o.state());
    }

    @Test
    void priceChangeLosesPriority() {
        TestMarket m = threeAsks();
        assertNull(m.amend(U3, 2, null, "100.5"));
        assertArrayEquals(new long[]{1, 3}, m.queue(Side.SELL, "100"));
        assertArrayEquals(new long[]{2}, m.queue(Side.SELL, "100.5"));
        assertTrue(m.rec.lines().get(0).startsWith("amended seq=4 keptPriority=false ord=2 "), m.rec.lines().get(0));
        // a sell's hold is in base: unchanged by a price change, so no postings
        assertEquals(0, m.rec.linesStartingWith("postings").size());
        // and back to 100: now at the tail
        assertNull(m.amend(U3, 2, null, "100"));
        assertArrayEquals(new long[]{1, 3, 2}, m.queue(Side.SELL, "100"));
        assertEquals(1, m.book().levelCount(Side.SELL));
    }

    @Test
    void priceChangeThatCrossesTradesImmediatelyAsTaker() {
        TestMarket m = new TestMarket();
        long bid = m.buy(U1, "99", "1");
        long ask = m.sell(U2, "100", "1");
        assertNull(m.amend(U2, ask, null, "99"));
        List<String> fills = m.rec.linesStartingWith("fill");
        assertEquals(1, fills.size());
        assertTrue(fills.get(0).contains(" px=990 sz=100000000 quote=99000000 takerSide=SELL taker=" + ask + "/2 maker="
                + bid + "/1 "), fills.get(0));
        assertTrue(m.lastOrderLine(ask).contains(" state=FILLED"), m.lastOrderLine(ask));
        assertNull(m.live(ask));
        assertNull(m.live(bid));
        assertEquals(usdt("100099"), m.avail(U2, Q));
        assertEquals(0, m.held(U2, B));
        assertEquals(btc("9"), m.avail(U2, B));
        assertEquals(usdt("99901"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
        assertEquals(0, m.engine.liveOrderCount());
    }

    @Test
    void buyPriceUpHoldsTheDifferenceAndRestsTheRemainder() {
        TestMarket m = new TestMarket();
        long bid = m.buy(U1, "99", "1");
        m.sell(U2, "100", "0.6");
        m.rec.clear();
        assertNull(m.amend(U1, bid, null, "100"));
        // hold goes from 1 x 99 to 1 x 100: +1 USDT
        assertEquals("postings seq=3 HOLD ord=" + bid + " trade=0 1/AVAILABLE/1=-1000000 1/HELD/1=1000000",
                m.rec.lines().get(0));
        // 0.6 fills at 100 (60 USDT); 0.4 rests at 100 holding 40
        OrderView o = m.live(bid);
        assertEquals(OrderState.PARTIALLY_FILLED, o.state());
        assertEquals(sz("0.4"), o.remainingSize());
        assertEquals(usdt("40"), o.held());
        assertEquals(usdt("40"), m.held(U1, Q));
        assertEquals(usdt("99900"), m.avail(U1, Q));
        m.assertLevel(Side.BUY, "100", "0.4", 1);
        m.assertLevel(Side.BUY, "99", null, 0);
        assertEquals(1, m.engine.liveOrderCount(U1));
    }

    @Test
    void buyPriceDownReleasesTheDifference() {
        TestMarket m = new TestMarket();
        long bid = m.buy(U1, "100", "2");
        assertNull(m.amend(U1, bid, null, "90"));
        // 2 x 100 = 200 held -> 2 x 90 = 180
        assertEquals(usdt("180"), m.held(U1, Q));
        assertEquals(usdt("99820"), m.avail(U1, Q));
    }

    @Test
    void sizeAndPriceTogether() {
        TestMarket m = new TestMarket();
        long bid = m.buy(U1, "100", "1");
        assertNull(m.amend(U1, bid, "2", "50"));
        // 2 x 50 = 100: the hold is the same, nothing posted
        assertEquals(usdt("100"), m.held(U1, Q));
        assertEquals(1, m.rec.linesStartingWith("postings").size()); // only the original hold
        m.assertLevel(Side.BUY, "50", "2", 1);
        m.assertLevel(Side.BUY, "100", null, 0);
    }

    @Test
    void amendToFilledSizeOrBelowCancelsTheOrder() {
        TestMarket m = new TestMarket();
        long ask = m.sell(U2, "100", "1");
        m.buy(U1, "100", "0.4");
        m.rec.clear();
        assertNull(m.amend(U2, ask, "0.4", null)); // new total size = what has filled
        assertEquals(ask, m.cmd.resultOrderId());
        String last = m.lastOrderLine(ask);
        assertTrue(last.startsWith("canceled seq=3 reason=AMEND_BELOW_FILLED ord=" + ask + " "), last);
        assertTrue(last.contains(" filled=40000000 ") && last.contains(" held=0 "), last);
        assertTrue(m.rec.lines().contains("postings seq=3 RELEASE ord=" + ask
                + " trade=0 2/HELD/0=-60000000 2/AVAILABLE/0=60000000"), m.rec.lines()::toString);
        assertNull(m.live(ask));
        assertEquals(0, m.book().levelCount(Side.SELL));
        assertEquals(btc("9.6"), m.avail(U2, B));
        assertEquals(0, m.held(U2, B));
    }

    @Test
    void amendBelowFilledSizeCancelsToo() {
        TestMarket m = new TestMarket();
        long ask = m.sell(U2, "100", "1");
        m.buy(U1, "100", "0.4");
        assertNull(m.amend(U2, ask, "0.3", null));
        assertTrue(m.lastOrderLine(ask).startsWith("canceled seq=3 reason=AMEND_BELOW_FILLED "));
    }

    @Test
    void newSizeIncludesWhatHasFilled() {
        TestMarket m = new TestMarket();
        long ask = m.sell(U2, "100", "1");
        m.buy(U1, "100", "0.4");
        assertNull(m.amend(U2, ask, "0.7", null));
        // 0.7 total - 0.4 filled = 0.3 left
        OrderView o = m.live(ask);
        assertEquals(sz("0.7"), o.size());
        assertEquals(sz("0.3"), o.remainingSize());
        assertEquals(btc("0.3"), o.held());
        assertEquals(OrderState.PARTIALLY_FILLED, o.state());
        assertTrue(m.rec.lines().stream().anyMatch(l -> l.startsWith("amended seq=3 keptPriority=true ")));
        m.assertLevel(Side.SELL, "100", "0.3", 1);
    }

    @Test
    void increaseWithoutFundsIsRejectedAndChangesNothing() {
        TestMarket m = new TestMarket();
        long poor = 5;
        m.fund(poor, "0", "100");
        long bid = m.buy(poor, "100", "1"); // holds all 100 USDT
        m.sell(U2, "101", "1");
        assertRejectedUntouched(m, RejectReason.INSUFFICIENT_BALANCE, "51008", () -> m.amend(poor, bid, "1.00001", null));
        assertRejectedUntouched(m, RejectReason.INSUFFICIENT_BALANCE, "51008", () -> m.amend(poor, bid, null, "100.1"));
        // the rejected price change did not trade against the 101 ask either
        assertRejectedUntouched(m, RejectReason.INSUFFICIENT_BALANCE, "51008", () -> m.amend(poor, bid, null, "101"));
        assertEquals(0, m.rec.linesStartingWith("fill").size());
    }

    @Test
    void postOnlyAmendThatWouldCrossIsRejected() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "1");
        long po = m.accept(U1, Side.BUY, OrderType.POST_ONLY, "99", "1", null);
        assertRejectedUntouched(m, RejectReason.AMEND_POST_ONLY_WOULD_TAKE, "51511", () -> m.amend(U1, po, null, "100"));
        assertRejectedUntouched(m, RejectReason.AMEND_POST_ONLY_WOULD_TAKE, "51511", () -> m.amend(U1, po, "2", "101"));
        // a post-only amend that does not cross is fine
        assertNull(m.amend(U1, po, null, "99.9"));
        m.assertLevel(Side.BUY, "99.9", "1", 1);
        assertEquals(0, m.rec.linesStartingWith("fill").size());
    }

    @Test
    void unknownOrderIsNotFound() {
        TestMarket m = new TestMarket();
        long mine = m.sell(U2, "100", "1");
        long filled = m.sell(U3, "99", "0.1");
        m.buy(U4, "99", "0.1"); // fills `filled`
        long canceled = m.sell(U3, "102", "1");
        assertNull(m.cancel(U3, canceled));
        assertRejectedUntouched(m, RejectReason.AMEND_ORDER_NOT_FOUND, "51503", () -> m.amend(U2, 999, "0.5", null));
        assertRejectedUntouched(m, RejectReason.AMEND_ORDER_NOT_FOUND, "51503", () -> m.amend(U1, mine, "0.5", null));
        assertRejectedUntouched(m, RejectReason.AMEND_ORDER_NOT_FOUND, "51503", () -> m.amend(U3, filled, "0.5", null));
        assertRejectedUntouched(m, RejectReason.AMEND_ORDER_NOT_FOUND, "51503", () -> m.amend(U3, canceled, "0.5", null));
        assertRejectedUntouched(m, RejectReason.AMEND_ORDER_NOT_FOUND, "51503",
                () -> m.engine.execute(m.cmd.amend(U2, m.sym, 0, "nope", sz("0.5"), 0, 1)));
        // the right id on another symbol id is not found either
        assertRejectedUntouched(m, RejectReason.AMEND_ORDER_NOT_FOUND, "51503",
                () -> m.engine.execute(m.cmd.amend(U2, 7, mine, null, sz("0.5"), 0, 1)));
    }

    @Test
    void amendWithoutSizeOrPriceIsRejected() {
        TestMarket m = new TestMarket();
        long id = m.sell(U2, "100", "1");
        assertRejectedUntouched(m, RejectReason.AMEND_NOTHING, "51500", () -> m.amend(U2, id, null, null));
    }

    @Test
    void amendWithoutAnyIdIsRejected() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "1");
        assertRejectedUntouched(m, RejectReason.ORDER_ID_REQUIRED, "51407",
                () -> m.engine.execute(m.cmd.amend(U2, m.sym, 0, null, sz("0.5"), 0, 1)));
    }

    @Test
    void amendByClientOrderId() {
        TestMarket m = new TestMarket();
        assertNull(m.place(U2, Side.SELL, OrderType.LIMIT, "100", "1", "myAsk7", null));
        long id = m.lastId();
        assertNull(m.engine.execute(m.cmd.amend(U2, m.sym, 0, "myAsk7", sz("0.5"), 0, 1)));
        assertEquals(id, m.cmd.resultOrderId());
        assertEquals(sz("0.5"), m.live(id).size());
        assertEquals("myAsk7", m.live(id).clOrdId());
    }

    @Test
    void amendValuesAreValidated() {
        TestMarket m = new TestMarket(b -> b.tickSize("0.5").bandBps(1_000).referencePrice("100"));
        long id = m.sell(U2, "100", "1");
        // 1.000005 BTC is not a multiple of the 0.00001 lot
        assertRejectedUntouched(m, RejectReason.SIZE_NOT_ON_LOT, "51121", () -> m.amend(U2, id, "1.000005", null));
        assertRejectedUntouched(m, RejectReason.SIZE_ABOVE_MAX, "51203", () -> m.amend(U2, id, "1000.00001", null));
        assertRejectedUntouched(m, RejectReason.PRICE_NOT_ON_TICK, "51150", () -> m.amend(U2, id, null, "100.1"));
        // band [90, 110] around the reference 100
        assertRejectedUntouched(m, RejectReason.PRICE_OUT_OF_BAND, "51006", () -> m.amend(U2, id, null, "110.5"));
        assertRejectedUntouched(m, RejectReason.PRICE_OUT_OF_BAND, "51006", () -> m.amend(U2, id, null, "89.5"));
        assertRejectedUntouched(m, RejectReason.INVALID_SIZE, "51000",
                () -> m.engine.execute(m.cmd.amend(U2, m.sym, id, null, -1_000, 0, 1)));
        assertRejectedUntouched(m, RejectReason.INVALID_PRICE, "51000",
                () -> m.engine.execute(m.cmd.amend(U2, m.sym, id, null, 0, -5, 1)));
    }

    @Test
    void amendedOrderKeepsItsIdentityAndUpdatesItsTimestamp() {
        TestMarket m = new TestMarket();
        m.clock = 5;
        long id = m.buy(U1, "100", "1");
        m.clock = 9;
        assertNull(m.amend(U1, id, "0.5", null));
        OrderView o = m.live(id);
        assertEquals(5, o.createdAt());
        assertEquals(9, o.updatedAt());
        assertEquals(U1, o.userId());
        assertEquals(Side.BUY, o.side());
        assertEquals(1, m.engine.lastOrderId()); // an amend creates no order
    }
}
