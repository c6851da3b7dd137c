package dev.bourse.matching;

import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.matching.TestMarket.*;
import static org.junit.jupiter.api.Assertions.*;

class StpTest {

    @Test
    void cancelMakerCancelsTheOwnRestingOrderAndKeepsMatching() {
        TestMarket m = new TestMarket();
        long own = m.sell(U1, "100", "0.5");
        long other = m.sell(U2, "100", "0.5");
        long taker = m.accept(U1, Side.BUY, OrderType.LIMIT, "100", "0.5", StpMode.CANCEL_MAKER);

        String ownLast = m.lastOrderLine(own);
        assertTrue(ownLast.startsWith("canceled seq=3 reason=SELF_TRADE_PREVENTION ord=" + own + " "), ownLast);
        List<String> fills = m.rec.linesStartingWith("fill");
        assertEquals(1, fills.size());
        assertTrue(fills.get(0).contains(" taker=" + taker + "/1 maker=" + other + "/2 "), fills.get(0));
        assertTrue(m.lastOrderLine(taker).contains(" state=FILLED"));
        // U1: own ask's 0.5 BTC released, +0.5 BTC bought for 50 USDT
        assertEquals(btc("10.5"), m.avail(U1, B));
        assertEquals(0, m.held(U1, B));
        assertEquals(usdt("99950"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
        assertEquals(0, m.engine.liveOrderCount());
        assertEquals(1, m.engine.lastTradeId());
    }

    @Test
    void cancelMakerCancelsSeveralOwnOrdersAcrossLevels() {
        TestMarket m = new TestMarket();
        long own1 = m.sell(U1, "100", "0.2");
        long own2 = m.sell(U1, "100.5", "0.2");
        long other = m.sell(U2, "101", "1");
        long taker = m.accept(U1, Side.BUY, OrderType.LIMIT, "101", "0.5", StpMode.CANCEL_MAKER);
        assertNull(m.live(own1));
        assertNull(m.live(own2));
        assertEquals(2, m.rec.linesStartingWith("canceled").size());
        assertTrue(m.rec.linesStartingWith("fill").get(0).contains(" maker=" + other + "/2 "));
        assertTrue(m.lastOrderLine(taker).contains(" state=FILLED"));
        m.assertLevel(Side.SELL, "101", "0.5", 1);
    }

    @Test
    void cancelTakerCancelsTheTakerRemainderAndLeavesTheMaker() {
        TestMarket m = new TestMarket();
        long other = m.sell(U2, "99", "0.3");
        long own = m.sell(U1, "100", "0.5");
        long taker = m.accept(U1, Side.BUY, OrderType.LIMIT, "100", "1", StpMode.CANCEL_TAKER);

        // 0.3 traded at 99 with U2, then U1's own ask stops it
        List<String> fills = m.rec.linesStartingWith("fill");
        assertEquals(1, fills.size());
        assertTrue(fills.get(0).contains(" sz=30000000 ") && fills.get(0).contains(" maker=" + other + "/2 "));
        String last = m.lastOrderLine(taker);
        assertTrue(last.startsWith("canceled seq=3 reason=SELF_TRADE_PREVENTION ord=" + taker + " "), last);
        assertTrue(last.contains(" filled=30000000 ") && last.contains(" rem=70000000 held=0 "), last);
        assertNotNull(m.live(own));
        m.assertLevel(Side.SELL, "100", "0.5", 1);
        assertEquals(0, m.book().levelCount(Side.BUY)); // the taker did not rest
        // U1 paid 0.3 x 99 = 29.7 USDT, nothing else held in USDT
        assertEquals(usdt("99970.3"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
        assertEquals(btc("0.5"), m.held(U1, B));
    }

    @Test
    void cancelBothCancelsBoth() {
        TestMarket m = new TestMarket();
        long own = m.sell(U1, "100", "0.5");
        m.sell(U2, "100", "0.5");
        long taker = m.accept(U1, Side.BUY, OrderType.LIMIT, "100", "1", StpMode.CANCEL_BOTH);
        assertTrue(m.lastOrderLine(own).startsWith("canceled seq=3 reason=SELF_TRADE_PREVENTION "));
        assertTrue(m.lastOrderLine(taker).startsWith("canceled seq=3 reason=SELF_TRADE_PREVENTION "));
        assertEquals(0, m.rec.linesStartingWith("fill").size());
        // U2's ask behind the own one is untouched
        m.assertLevel(Side.SELL, "100", "0.5", 1);
        assertEquals(usdt("100000"), m.avail(U1, Q));
        assertEquals(btc("10"), m.avail(U1, B));
        assertEquals(0, m.held(U1, Q) + m.held(U1, B));
    }

    @Test
    void otherUsersOrdersStillMatchUnderEveryMode() {
        for (StpMode mode : StpMode.values()) {
            TestMarket m = new TestMarket();
            m.sell(U2, "100", "0.5");
            m.sell(U3, "100", "0.5");
            long taker = m.accept(U1, Side.BUY, OrderType.LIMIT, "100", "1", mode);
            assertEquals(2, m.rec.linesStartingWith("fill").size(), mode.toString());
            assertTrue(m.lastOrderLine(taker).contains(" state=FILLED"), mode.toString());
            assertEquals(0, m.rec.linesStartingWith("canceled").size(), mode.toString());
        }
    }

    @Test
    void defaultModeIsCancelMaker() {
        TestMarket m = new TestMarket();
        long own = m.sell(U1, "100", "0.5");
        m.sell(U2, "100", "0.5");
        long taker = m.accept(U1, Side.BUY, OrderType.LIMIT, "100", "0.5", null);
        assertTrue(m.rec.lines().stream().anyMatch(l -> l.startsWith("accepted") && l.contains(" ord=" + taker + " ")
                && l.contains(" stp=CANCEL_MAKER ")));
        assertTrue(m.lastOrderLine(own).startsWith("canceled seq=3 reason=SELF_TRADE_PREVENTION "));
        assertTrue(m.lastOrderLine(taker).contains(" state=FILLED"));
    }

    @Test
    void ownOrdersBeyondTheLimitAreLeftAlone() {
        TestMarket m = new TestMarket();
        long own = m.sell(U1, "101", "1");
        m.accept(U1, Side.BUY, OrderType.LIMIT, "100", "1", StpMode.CANCEL_BOTH);
        assertNotNull(m.live(own));
        assertEquals(0, m.rec.linesStartingWith("canceled").size());
        assertEquals(2, m.engine.liveOrderCount(U1));
    }

    @Test
    void stpAppliesToSellTakersToo() {
        TestMarket m = new TestMarket();
        long own = m.buy(U1, "100", "1");
        long other = m.buy(U2, "99", "1");
        long taker = m.accept(U1, Side.SELL, OrderType.LIMIT, "99", "0.5", StpMode.CANCEL_MAKER);
        assertNull(m.live(own));
        assertTrue(m.rec.linesStartingWith("fill").get(0).contains(" maker=" + other + "/2 "));
        assertTrue(m.lastOrderLine(taker).contains(" state=FILLED"));
        // U1's 100 USDT bid hold is back; it sold 0.5 at 99 = 49.5
        assertEquals(usdt("100049.5"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
    }

    @Test
    void stpAppliesToMarketOrders() {
        TestMarket m = new TestMarket();
        long own = m.buy(U1, "100", "1");
        assertNull(m.place(U1, Side.SELL, OrderType.MARKET, null, "1", null, StpMode.CANCEL_TAKER));
        long taker = m.lastId();
        assertNotNull(m.live(own));
        assertTrue(m.lastOrderLine(taker).startsWith("canceled seq=2 reason=SELF_TRADE_PREVENTION "));
        assertEquals(btc("10"), m.avail(U1, B));
    }

    @Test
    void stpModesMapToOkxNames() {
        assertEquals("cancel_maker", StpMode.CANCEL_MAKER.okx());
        assertEquals("cancel_taker", StpMode.CANCEL_TAKER.okx());
        assertEquals("cancel_both", StpMode.CANCEL_BOTH.okx());
    }
}
