package dev.bourse.matching;

import dev.bourse.order.OrderState;
import dev.bourse.order.OrderType;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.matching.TestMarket.*;
import static org.junit.jupiter.api.Assertions.*;

class LimitOrderTest {

    @Test
    void buyRestsOnAnEmptyBookAndHoldsItsQuote() {
        TestMarket m = new TestMarket();
        long id = m.buy(U1, "100", "1");

        assertEquals(1, id);
        // 1 BTC x 100 USDT = 100 USDT held
        assertEquals(usdt("100"), m.held(U1, Q));
        assertEquals(usdt("99900"), m.avail(U1, Q));
        assertEquals(btc("10"), m.avail(U1, B));
        OrderView o = m.live(id);
        assertEquals(OrderState.LIVE, o.state());
        assertEquals(px("100"), o.price());
        assertEquals(sz("1"), o.remainingSize());
        assertEquals(usdt("100"), o.held());
        assertEquals(0, o.filledSize());
        assertEquals(m.clock, o.createdAt());
        m.assertLevel(Side.BUY, "100", "1", 1);
        assertEquals(px("100"), m.book().bestBid());
        assertEquals(0, m.book().bestAsk());
        assertEquals(1, m.engine.liveOrderCount(U1));

        List<String> lines = m.rec.lines();
        assertEquals(3, lines.size(), lines::toString);
        assertEquals("postings seq=1 HOLD ord=1 trade=0 1/AVAILABLE/1=-100000000 1/HELD/1=100000000", lines.get(0));
        assertTrue(lines.get(1).startsWith("accepted seq=1 ord=1 user=1 sym=0 clOrdId=null BUY LIMIT stp=CANCEL_MAKER"
                + " tgt=BASE_CCY px=1000 sz=100000000 filled=0 filledQuote=0 rem=100000000 held=100000000 fee=0"
                + " state=LIVE"), lines.get(1));
        assertEquals("level seq=1 sym=0 BUY px=1000 sz=100000000 n=1 bookSeq=1", lines.get(2));
    }

    @Test
    void sellRestsAndHoldsItsBase() {
        TestMarket m = new TestMarket();
        long id = m.sell(U2, "101", "0.5");
        assertEquals(btc("0.5"), m.held(U2, B));
        assertEquals(btc("9.5"), m.avail(U2, B));
        assertEquals(usdt("100000"), m.avail(U2, Q));
        assertEquals(btc("0.5"), m.live(id).held());
        m.assertLevel(Side.SELL, "101", "0.5", 1);
        assertEquals(px("101"), m.book().bestAsk());
    }

    @Test
    void crossingBuyFillsAcrossLevelsThenRestsTheRemainder() {
        TestMarket m = new TestMarket();
        long a1 = m.sell(U2, "100", "0.5");
        long a2 = m.sell(U3, "101", "0.5");
        long a3 = m.sell(U2, "102", "1");
        long b = m.buy(U1, "101", "1.2");

        List<String> fills = m.rec.linesStartingWith("fill");
        assertEquals(2, fills.size());
        // 0.5 x 100 = 50 USDT, then 0.5 x 101 = 50.5 USDT
        assertTrue(fills.get(0).contains(" px=1000 sz=50000000 quote=50000000 takerSide=BUY taker=" + b + "/1 maker=" + a1
                + "/2 "), fills.get(0));
        assertTrue(fills.get(1).contains(" px=1010 sz=50000000 quote=50500000 takerSide=BUY taker=" + b + "/1 maker=" + a2
                + "/3 "), fills.get(1));

        // the rest, 0.2 BTC, rests at 101 holding 0.2 x 101 = 20.2 USDT
        OrderView o = m.live(b);
        assertEquals(OrderState.PARTIALLY_FILLED, o.state());
        assertEquals(sz("1"), o.filledSize());
        assertEquals(usdt("100.5"), o.filledQuote());
        assertEquals(sz("0.2"), o.remainingSize());
        assertEquals(usdt("20.2"), o.held());
        m.assertLevel(Side.BUY, "101", "0.2", 1);
        m.assertLevel(Side.SELL, "100", null, 0);
        m.assertLevel(Side.SELL, "101", null, 0);
        m.assertLevel(Side.SELL, "102", "1", 1);
        assertNotNull(m.live(a3));

        // buyer: +1 BTC; paid 100.5 and holds 20.2: 100000 - 100.5 - 20.2 = 99879.3
        assertEquals(btc("11"), m.avail(U1, B));
        assertEquals(usdt("99879.3"), m.avail(U1, Q));
        assertEquals(usdt("20.2"), m.held(U1, Q));
        // sellers
        assertEquals(btc("8.5"), m.avail(U2, B)); // 10 - 0.5 sold - 1 held
        assertEquals(btc("1"), m.held(U2, B));
        assertEquals(usdt("100050"), m.avail(U2, Q));
        assertEquals(btc("9.5"), m.avail(U3, B));
        assertEquals(0, m.held(U3, B));
        assertEquals(usdt("100050.5"), m.avail(U3, Q));
        assertEquals(px("101"), m.engine.lastTradePrice(m.sym));
        assertEquals(2, m.engine.lastTradeId());
    }

    @Test
    void crossingBuySweepsLevelsAndIsFilled() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "0.5");
        m.sell(U3, "101", "0.5");
        long a3 = m.sell(U2, "102", "1");
        long b = m.buy(U1, "102", "1.2");

        // 0.5 x 100 + 0.5 x 101 + 0.2 x 102 = 50 + 50.5 + 20.4 = 120.9 USDT (held 1.2 x 102 = 122.4)
        assertEquals(3, m.rec.linesStartingWith("fill").size());
        assertNull(m.live(b));
        assertTrue(m.lastOrderLine(b).startsWith("updated seq=4 ord=" + b + " "), m.lastOrderLine(b));
        assertTrue(m.lastOrderLine(b).contains(" filled=120000000 filledQuote=120900000 rem=0 held=0 fee=0 state=FILLED"),
                m.lastOrderLine(b));
        assertEquals(usdt("99879.1"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
        assertEquals(btc("11.2"), m.avail(U1, B));
        OrderView rest = m.live(a3);
        assertEquals(OrderState.PARTIALLY_FILLED, rest.state());
        assertEquals(sz("0.8"), rest.remainingSize());
        assertEquals(btc("0.8"), rest.held());
        m.assertLevel(Side.SELL, "102", "0.8", 1);
        assertEquals(0, m.book().bestBid());
    }

    @Test
    void ordersAtOnePriceFillInTimePriority() {
        TestMarket m = new TestMarket();
        long o1 = m.sell(U2, "100", "1");
        long o2 = m.sell(U3, "100", "1");
        long o3 = m.sell(U4, "100", "1");
        assertArrayEquals(new long[]{o1, o2, o3}, m.queue(Side.SELL, "100"));

        m.buy(U1, "100", "1.5");
        List<String> fills = m.rec.linesStartingWith("fill");
        assertEquals(2, fills.size());
        assertTrue(fills.get(0).contains(" sz=100000000 ") && fills.get(0).contains(" maker=" + o1 + "/2 "), fills.get(0));
        assertTrue(fills.get(1).contains(" sz=50000000 ") && fills.get(1).contains(" maker=" + o2 + "/3 "), fills.get(1));
        assertArrayEquals(new long[]{o2, o3}, m.queue(Side.SELL, "100"));
        assertEquals(OrderState.PARTIALLY_FILLED, m.live(o2).state());
        assertEquals(OrderState.LIVE, m.live(o3).state());
        m.assertLevel(Side.SELL, "100", "1.5", 2);

        // the partially filled head keeps its place
        m.rec.clear();
        m.buy(U1, "100", "0.7");
        fills = m.rec.linesStartingWith("fill");
        assertEquals(2, fills.size());
        assertTrue(fills.get(0).contains(" sz=50000000 ") && fills.get(0).contains(" maker=" + o2 + "/3 "), fills.get(0));
        assertTrue(fills.get(1).contains(" sz=20000000 ") && fills.get(1).contains(" maker=" + o3 + "/4 "), fills.get(1));
        assertArrayEquals(new long[]{o3}, m.queue(Side.SELL, "100"));
    }

    @Test
    void betterPriceBeatsEarlierTime() {
        TestMarket m = new TestMarket();
        long early = m.sell(U2, "101", "1");
        long better = m.sell(U3, "100", "1");
        m.buy(U1, "101", "1");
        List<String> fills = m.rec.linesStartingWith("fill");
        assertEquals(1, fills.size());
        assertTrue(fills.get(0).contains(" px=1000 ") && fills.get(0).contains(" maker=" + better + "/3 "), fills.get(0));
        assertNotNull(m.live(early));
    }

    @Test
    void buyTakerPaysTheMakerPriceAndGetsTheExcessHoldBack() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "1");
        long b = m.buy(U1, "101", "1");

        // held 1 x 101 = 101 USDT, paid 1 x 100 = 100, so 1 USDT goes straight back to available
        assertEquals("postings seq=2 HOLD ord=" + b + " trade=0 1/AVAILABLE/1=-101000000 1/HELD/1=101000000",
                m.rec.linesStartingWith("postings").get(1));
        assertEquals("postings seq=2 FILL ord=" + b + " trade=1 2/HELD/0=-100000000 1/AVAILABLE/0=100000000"
                        + " 1/HELD/1=-101000000 1/AVAILABLE/1=1000000 2/AVAILABLE/1=100000000",
                m.rec.linesStartingWith("postings").get(2));
        assertTrue(m.rec.linesStartingWith("fill").get(0).contains(" px=1000 sz=100000000 quote=100000000 "));
        assertEquals(usdt("99900"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
        assertEquals(btc("11"), m.avail(U1, B));
        assertEquals(usdt("100100"), m.avail(U2, Q));
        assertEquals(btc("9"), m.avail(U2, B));
        assertEquals(0, m.held(U2, B));
    }

    @Test
    void sellTakerGetsTheRestingBidPrice() {
        TestMarket m = new TestMarket();
        m.buy(U1, "101", "1");
        m.sell(U2, "100", "1");
        assertTrue(m.rec.linesStartingWith("fill").get(0).contains(" px=1010 sz=100000000 quote=101000000 takerSide=SELL "));
        assertEquals(usdt("100101"), m.avail(U2, Q));
        assertEquals(usdt("99899"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
    }

    @Test
    void nonCrossingOrdersBothRest() {
        TestMarket m = new TestMarket();
        m.buy(U1, "99.9", "1");
        m.sell(U2, "100", "1");
        assertEquals(0, m.rec.linesStartingWith("fill").size());
        assertEquals(px("99.9"), m.book().bestBid());
        assertEquals(px("100"), m.book().bestAsk());
        assertEquals(2, m.engine.liveOrderCount());
    }

    @Test
    void levelsAreSortedBestFirst() {
        TestMarket m = new TestMarket();
        m.buy(U1, "99", "1");
        m.buy(U1, "101", "1");
        m.buy(U1, "100", "1");
        m.sell(U2, "105", "1");
        m.sell(U2, "103", "1");
        m.sell(U2, "104", "1");
        long[] p = new long[5];
        long[] s = new long[5];
        int[] c = new int[5];
        assertEquals(3, m.book().depth(Side.BUY, 5, p, s, c));
        assertArrayEquals(new long[]{1010, 1000, 990}, java.util.Arrays.copyOf(p, 3));
        assertEquals(3, m.book().depth(Side.SELL, 5, p, s, c));
        assertArrayEquals(new long[]{1030, 1040, 1050}, java.util.Arrays.copyOf(p, 3));
        assertEquals(3, m.book().levelCount(Side.SELL));
        // a capped depth keeps the best
        assertEquals(2, m.book().depth(Side.SELL, 2, p, s, null));
        assertEquals(1030, p[0]);
    }

    @Test
    void filledMakerLeavesTheBookAndItsLevelIsReportedEmpty() {
        TestMarket m = new TestMarket();
        long a = m.sell(U2, "100", "1");
        m.buy(U1, "100", "1");
        assertNull(m.live(a));
        assertEquals(0, m.engine.liveOrderCount());
        assertEquals(0, m.engine.liveOrderCount(U2));
        assertEquals(0, m.book().levelCount(Side.SELL));
        assertTrue(m.rec.lines().contains("level seq=2 sym=0 SELL px=1000 sz=0 n=0 bookSeq=2"), m.rec.lines()::toString);
        assertTrue(m.lastOrderLine(a).contains(" filled=100000000 filledQuote=100000000 rem=0 held=0 fee=0 state=FILLED"),
                m.lastOrderLine(a));
        // the taker did not rest: no bid
        assertEquals(0, m.book().levelCount(Side.BUY));
    }

    @Test
    void partiallyFilledMakerIsUpdatedAndStays() {
        TestMarket m = new TestMarket();
        long a = m.sell(U2, "100", "1");
        m.buy(U1, "100", "0.25");
        OrderView o = m.live(a);
        assertEquals(OrderState.PARTIALLY_FILLED, o.state());
        assertEquals(sz("0.25"), o.filledSize());
        assertEquals(sz("0.75"), o.remainingSize());
        assertEquals(btc("0.75"), o.held());
        assertEquals(usdt("25"), o.filledQuote());
        assertTrue(m.rec.lines().contains("level seq=2 sym=0 SELL px=1000 sz=75000000 n=1 bookSeq=2"));
    }

    @Test
    void orderAndTradeIdsAreSequential() {
        TestMarket m = new TestMarket();
        assertEquals(1, m.sell(U2, "100", "1"));
        assertEquals(2, m.sell(U3, "100", "1"));
        assertEquals(3, m.buy(U1, "100", "2"));
        assertEquals(3, m.engine.lastOrderId());
        assertEquals(2, m.engine.lastTradeId());
        List<String> fills = m.rec.linesStartingWith("fill");
        assertTrue(fills.get(0).contains(" trade=1 "));
        assertTrue(fills.get(1).contains(" trade=2 "));
        assertEquals(3, m.engine.lastSequence());
    }

    @Test
    void eventsOfACrossingPlaceComeInTheDocumentedOrder() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "0.4");
        m.rec.clear();
        m.buy(U1, "100", "1");
        List<String> kinds = m.rec.lines().stream().map(l -> l.substring(0, l.indexOf(' '))).toList();
        // hold, accepted; per fill: postings, fill, maker updated, level; then the taker rests
        assertEquals(List.of("postings", "accepted", "postings", "fill", "updated", "level", "updated", "level"), kinds);
        assertTrue(m.rec.lines().get(6).contains(" state=PARTIALLY_FILLED"));
        assertEquals("level seq=2 sym=0 BUY px=1000 sz=60000000 n=1 bookSeq=2", m.rec.lines().get(7));
    }

    @Test
    void orderTypeOfARestingLimitIsReported() {
        TestMarket m = new TestMarket();
        long id = m.accept(U1, Side.BUY, OrderType.LIMIT, "50", "0.00001", null);
        // the smallest order: one lot at 50 holds 0.00001 x 50 = 0.0005 USDT = 500 micro
        assertEquals(500, m.held(U1, Q));
        assertEquals(OrderType.LIMIT, m.live(id).type());
    }
}
