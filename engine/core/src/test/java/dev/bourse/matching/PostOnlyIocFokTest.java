package dev.bourse.matching;

import dev.bourse.order.OrderState;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.matching.TestMarket.*;
import static org.junit.jupiter.api.Assertions.*;

class PostOnlyIocFokTest {

    /** Executes {@code place} and asserts it was rejected with {@code reason} and changed nothing. */

    // ------------------------------------------------------------------ post only

    @Test
    void postOnlyThatWouldTakeIsRejectedAndChangesNothing() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "1");
        m.buy(U3, "99", "1");
        assertRejectedUntouched(m, RejectReason.POST_ONLY_WOULD_TAKE, "51511",
                () -> m.place(U1, Side.BUY, OrderType.POST_ONLY, "100", "1")); // equal to the best ask crosses
        assertRejectedUntouched(m, RejectReason.POST_ONLY_WOULD_TAKE, "51511",
                () -> m.place(U1, Side.BUY, OrderType.POST_ONLY, "105", "1"));
        assertRejectedUntouched(m, RejectReason.POST_ONLY_WOULD_TAKE, "51511",
                () -> m.place(U1, Side.SELL, OrderType.POST_ONLY, "99", "1"));
    }

    @Test
    void postOnlyThatDoesNotCrossRestsAndLaterMakes() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "1");
        long id = m.accept(U1, Side.BUY, OrderType.POST_ONLY, "99.9", "1", null);
        assertEquals(OrderType.POST_ONLY, m.live(id).type());
        assertEquals(OrderState.LIVE, m.live(id).state());
        m.assertLevel(Side.BUY, "99.9", "1", 1);
        m.place(U3, Side.SELL, OrderType.LIMIT, "99.9", "0.4");
        String fill = m.rec.linesStartingWith("fill").get(0);
        assertTrue(fill.contains(" takerSide=SELL ") && fill.contains(" maker=" + id + "/1 "), fill);
        assertEquals(sz("0.6"), m.live(id).remainingSize());
    }

    // ------------------------------------------------------------------ IOC

    @Test
    void iocTakesWhatCrossesAndCancelsTheRest() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "0.5");
        m.sell(U2, "101", "0.5");
        assertNull(m.place(U1, Side.BUY, OrderType.IOC, "100", "1"));
        long id = m.lastId();
        assertEquals(1, m.rec.linesStartingWith("fill").size());
        String last = m.lastOrderLine(id);
        assertTrue(last.startsWith("canceled seq=3 reason=IOC_REMAINDER ord=" + id + " "), last);
        assertTrue(last.contains(" IOC ") && last.contains(" filled=50000000 filledQuote=50000000 rem=50000000 held=0 "),
                last);
        // held 100, paid 50, got 50 back
        assertEquals(usdt("99950"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
        assertEquals(0, m.book().levelCount(Side.BUY));
        m.assertLevel(Side.SELL, "101", "0.5", 1);
        assertEquals(0, m.engine.liveOrderCount(U1));
    }

    @Test
    void iocThatDoesNotCrossIsCanceledWithoutTouchingTheBook() {
        TestMarket m = new TestMarket();
        m.sell(U2, "101", "1");
        long seqId = m.book().seqId();
        assertNull(m.place(U1, Side.BUY, OrderType.IOC, "100", "1"));
        List<String> lines = m.linesOfLastCommand();
        assertEquals(4, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("postings seq=2 HOLD "));
        assertTrue(lines.get(1).startsWith("accepted seq=2 "));
        assertTrue(lines.get(2).startsWith("postings seq=2 RELEASE "));
        assertTrue(lines.get(3).startsWith("canceled seq=2 reason=IOC_REMAINDER ") && lines.get(3).contains(" filled=0 "));
        assertEquals(seqId, m.book().seqId());
        assertEquals(usdt("100000"), m.avail(U1, Q));
    }

    @Test
    void iocThatFillsCompletelyIsFilled() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "2");
        assertNull(m.place(U1, Side.BUY, OrderType.IOC, "100", "1"));
        assertTrue(m.lastOrderLine(m.lastId()).contains(" state=FILLED"));
        assertEquals(0, m.rec.linesStartingWith("canceled").size());
    }

    // ------------------------------------------------------------------ FOK

    @Test
    void fokFillsCompletelyAcrossLevels() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "0.5");
        m.sell(U3, "101", "0.5");
        assertNull(m.place(U1, Side.BUY, OrderType.FOK, "101", "1"));
        long id = m.lastId();
        assertEquals(2, m.rec.linesStartingWith("fill").size());
        assertTrue(m.lastOrderLine(id).contains(" FOK ") && m.lastOrderLine(id).contains(
                " filled=100000000 filledQuote=100500000 rem=0 held=0 fee=0 state=FILLED"), m.lastOrderLine(id));
        // held 1 x 101, paid 50 + 50.5 = 100.5
        assertEquals(usdt("99899.5"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
        assertEquals(0, m.book().levelCount(Side.SELL));
    }

    @Test
    void fokThatCannotFillCompletelyIsRejectedAndChangesNothing() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "0.5");
        m.sell(U3, "101", "0.5");
        m.sell(U3, "102", "5");
        // 1.5 BTC needed, only 1 at or below 101
        assertRejectedUntouched(m, RejectReason.FOK_NOT_FILLABLE, "51140",
                () -> m.place(U1, Side.BUY, OrderType.FOK, "101", "1.5"));
        // one lot too many
        assertRejectedUntouched(m, RejectReason.FOK_NOT_FILLABLE, "51140",
                () -> m.place(U1, Side.BUY, OrderType.FOK, "101", "1.00001"));
        // exactly what is there at or below 101 works
        assertNull(m.place(U1, Side.BUY, OrderType.FOK, "101", "1"));
    }

    @Test
    void fokOnAnEmptyBookIsRejected() {
        TestMarket m = new TestMarket();
        assertRejectedUntouched(m, RejectReason.FOK_NOT_FILLABLE, "51140",
                () -> m.place(U1, Side.SELL, OrderType.FOK, "100", "1"));
    }

    @Test
    void fokSell() {
        TestMarket m = new TestMarket();
        m.buy(U2, "100", "0.5");
        m.buy(U3, "99", "0.5");
        assertRejectedUntouched(m, RejectReason.FOK_NOT_FILLABLE, "51140",
                () -> m.place(U1, Side.SELL, OrderType.FOK, "99.1", "1")); // 99 is below the limit
        assertNull(m.place(U1, Side.SELL, OrderType.FOK, "99", "1"));
        // 50 + 49.5 = 99.5 USDT
        assertEquals(usdt("100099.5"), m.avail(U1, Q));
        assertEquals(btc("9"), m.avail(U1, B));
        assertEquals(0, m.held(U1, B));
    }

    @Test
    void fokWithCancelBothIsRejected() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "5"); // fillable, still rejected
        assertRejectedUntouched(m, RejectReason.STP_FOK_CANCEL_BOTH, "54036",
                () -> m.place(U1, Side.BUY, OrderType.FOK, "100", "1", null, StpMode.CANCEL_BOTH));
        assertNull(m.place(U1, Side.BUY, OrderType.FOK, "100", "1", null, StpMode.CANCEL_TAKER));
    }

    @Test
    void fokSkipsOwnOrdersUnderCancelMakerAndCancelsThemWhenItFills() {
        TestMarket m = new TestMarket();
        long own = m.sell(U1, "100", "0.5");
        long other = m.sell(U2, "100", "1");
        assertNull(m.place(U1, Side.BUY, OrderType.FOK, "100", "1", null, StpMode.CANCEL_MAKER));
        long id = m.lastId();
        assertTrue(m.lastOrderLine(own).startsWith("canceled seq=3 reason=SELF_TRADE_PREVENTION "), m.lastOrderLine(own));
        List<String> fills = m.rec.linesStartingWith("fill");
        assertEquals(1, fills.size());
        assertTrue(fills.get(0).contains(" sz=100000000 ") && fills.get(0).contains(" maker=" + other + "/2 "));
        assertTrue(m.lastOrderLine(id).contains(" state=FILLED"));
    }

    @Test
    void fokCountsOnlyOtherUsersLiquidityUnderCancelMaker() {
        TestMarket m = new TestMarket();
        m.sell(U1, "100", "0.5");
        m.sell(U2, "100", "0.5");
        // 1 BTC at 100, but half of it is U1's own and would be canceled, not traded
        assertRejectedUntouched(m, RejectReason.FOK_NOT_FILLABLE, "51140",
                () -> m.place(U1, Side.BUY, OrderType.FOK, "100", "1", null, StpMode.CANCEL_MAKER));
    }

    @Test
    void fokBlockedByOwnOrderUnderCancelTakerIsRejected() {
        TestMarket m = new TestMarket();
        m.sell(U1, "100", "0.5");
        m.sell(U2, "100", "5");
        assertRejectedUntouched(m, RejectReason.FOK_NOT_FILLABLE, "51140",
                () -> m.place(U1, Side.BUY, OrderType.FOK, "100", "1", null, StpMode.CANCEL_TAKER));
    }
}
