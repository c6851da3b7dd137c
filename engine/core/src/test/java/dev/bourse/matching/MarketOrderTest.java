package dev.bourse.matching;

import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.TargetCurrency;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.matching.TestMarket.*;
import static org.junit.jupiter.api.Assertions.*;

class MarketOrderTest {

    /** BTC-USDT with a ±10 % band around a default reference of 100. */
    private static TestMarket banded() {
        return new TestMarket(b -> b.bandBps(1_000).referencePrice("100"));
    }

    /**
     * Asks 0.5 @ 100, 0.5 @ 104 and 0.5 @ 109 placed while the band is [90, 110], then a trade at 95
     * moves the reference to 95: the band's upper edge becomes floor(95 * 1.1) = 104.5.
     */
    private static TestMarket asksThenTradeAt95() {
        TestMarket m = banded();
        m.sell(U2, "100", "0.5");
        m.sell(U2, "104", "0.5");
        m.sell(U2, "109", "0.5");
        m.buy(U4, "95", "0.1");
        m.sell(U3, "95", "0.1"); // trades with U4 at 95
        assertEquals(px("95"), m.engine.lastTradePrice(m.sym));
        assertEquals(px("95"), m.engine.referencePrice(m.sym));
        m.rec.clear();
        return m;
    }

    @Test
    void marketBuyStopsAtTheBandEdgeAndCancelsTheRest() {
        TestMarket m = asksThenTradeAt95();
        assertNull(m.place(U1, Side.BUY, OrderType.MARKET, null, "1.5"));
        long id = m.lastId();

        // held at the band edge: 1.5 x 104.5 = 156.75 USDT
        assertEquals("postings seq=6 HOLD ord=" + id + " trade=0 1/AVAILABLE/1=-156750000 1/HELD/1=156750000",
                m.rec.lines().get(0));
        List<String> fills = m.rec.linesStartingWith("fill");
        assertEquals(2, fills.size());
        assertTrue(fills.get(0).contains(" px=1000 sz=50000000 quote=50000000 "), fills.get(0));
        assertTrue(fills.get(1).contains(" px=1040 sz=50000000 quote=52000000 "), fills.get(1));
        String canceled = m.lastOrderLine(id);
        assertTrue(canceled.startsWith("canceled seq=6 reason=PRICE_BAND ord=" + id + " "), canceled);
        assertTrue(canceled.contains(" MARKET ") && canceled.contains(" px=0 sz=150000000 filled=100000000"
                + " filledQuote=102000000 rem=50000000 held=0 "), canceled);
        // paid 50 + 52 = 102 USDT, everything else back
        assertEquals(usdt("99898"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
        assertEquals(btc("11"), m.avail(U1, B));
        // the ask beyond the band is untouched and nothing rests on the bid side
        m.assertLevel(Side.SELL, "109", "0.5", 1);
        assertEquals(0, m.book().levelCount(Side.BUY));
        assertEquals(0, m.engine.liveOrderCount(U1));
    }

    @Test
    void marketSellStopsAtTheLowerBandEdge() {
        TestMarket m = banded();
        m.buy(U2, "99", "0.5");
        m.buy(U2, "95", "0.5");
        m.buy(U2, "91", "0.5");
        m.sell(U4, "105", "0.1");
        m.buy(U3, "105", "0.1"); // trade at 105: lower edge ceil(105 * 0.9) = 94.5
        m.rec.clear();

        assertNull(m.place(U1, Side.SELL, OrderType.MARKET, null, "1.5"));
        long id = m.lastId();
        List<String> fills = m.rec.linesStartingWith("fill");
        assertEquals(2, fills.size());
        assertTrue(fills.get(0).contains(" px=990 sz=50000000 quote=49500000 "), fills.get(0));
        assertTrue(fills.get(1).contains(" px=950 sz=50000000 quote=47500000 "), fills.get(1));
        assertTrue(m.lastOrderLine(id).startsWith("canceled seq=6 reason=PRICE_BAND "), m.lastOrderLine(id));
        // sold 1 BTC, the held 0.5 rest is released; received 49.5 + 47.5 = 97 USDT
        assertEquals(btc("9"), m.avail(U1, B));
        assertEquals(0, m.held(U1, B));
        assertEquals(usdt("100097"), m.avail(U1, Q));
        m.assertLevel(Side.BUY, "91", "0.5", 1);
    }

    @Test
    void marketOrderThatRunsOutOfLiquidityInsideTheBandIsCanceledAsRemainder() {
        TestMarket m = banded();
        m.sell(U2, "100", "0.5");
        assertNull(m.place(U1, Side.BUY, OrderType.MARKET, null, "1"));
        long id = m.lastId();
        assertTrue(m.lastOrderLine(id).startsWith("canceled seq=2 reason=MARKET_REMAINDER "), m.lastOrderLine(id));
        // held 1 x 110 (band edge at reference 100), paid 0.5 x 100 = 50
        assertEquals(usdt("99950"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
        assertEquals(btc("10.5"), m.avail(U1, B));
    }

    @Test
    void marketBuyWithQuoteBudgetSpendsWholeLotsAndReleasesTheDust() {
        TestMarket m = new TestMarket(); // no band needed for a quote budget
        m.sell(U2, "100", "0.3");
        long a2 = m.sell(U3, "101", "1");
        assertNull(m.marketQuote(U1, Side.BUY, "100"));
        long id = m.lastId();

        // 0.3 x 100 = 30 USDT; the remaining 70 USDT buy floor(70 / 0.00101) = 69306 lots of 0.00001 at 101:
        // 0.69306 BTC for 69.99906 USDT, leaving 0.00094 USDT of dust (less than one lot at 101)
        List<String> fills = m.rec.linesStartingWith("fill");
        assertEquals(2, fills.size());
        assertTrue(fills.get(0).contains(" px=1000 sz=30000000 quote=30000000 "), fills.get(0));
        assertTrue(fills.get(1).contains(" px=1010 sz=69306000 quote=69999060 "), fills.get(1));
        assertEquals("postings seq=3 RELEASE ord=" + id + " trade=0 1/HELD/1=-940 1/AVAILABLE/1=940",
                m.rec.linesStartingWith("postings").get(m.rec.linesStartingWith("postings").size() - 1));
        String last = m.lastOrderLine(id);
        assertTrue(last.startsWith("updated seq=3 ord=" + id + " "), last);
        assertTrue(last.contains(" MARKET stp=CANCEL_MAKER tgt=QUOTE_CCY px=0 sz=100000000 filled=99306000"
                + " filledQuote=99999060 rem=0 held=0 fee=0 state=FILLED"), last);
        assertEquals(btc("10.99306"), m.avail(U1, B));
        assertEquals(usdt("99900.00094"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
        // 1 - 0.69306 = 0.30694 BTC left at 101
        assertEquals(sz("0.30694"), m.live(a2).remainingSize());
    }

    @Test
    void quoteBudgetSpentExactlyEndsFilledEvenWhenTheBookRunsEmpty() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "0.3");
        assertNull(m.marketQuote(U1, Side.BUY, "30")); // exactly 0.3 x 100
        long id = m.lastId();
        assertEquals(1, m.rec.linesStartingWith("fill").size());
        String last = m.lastOrderLine(id);
        // the whole budget was spent: the order is filled, not canceled
        assertTrue(last.startsWith("updated seq=2 ord=" + id + " "), last);
        assertTrue(last.contains(" filled=30000000 filledQuote=30000000 rem=0 held=0 fee=0 state=FILLED"), last);
        assertEquals(usdt("99970"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
    }

    @Test
    void quoteBudgetTooSmallForOneLotIsCanceledAndFullyReleased() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "1");
        String before = m.snapshot();
        long seqBefore = m.book().seqId();
        // one lot at 100 costs 0.00001 x 100 = 0.001 USDT; 0.000999 buys nothing
        assertNull(m.marketQuote(U1, Side.BUY, "0.000999"));
        long id = m.lastId();
        assertEquals(List.of(
                "postings seq=2 HOLD ord=" + id + " trade=0 1/AVAILABLE/1=-999 1/HELD/1=999",
                "postings seq=2 RELEASE ord=" + id + " trade=0 1/HELD/1=-999 1/AVAILABLE/1=999"),
                m.rec.linesStartingWith("postings").subList(1, 3));
        assertTrue(m.lastOrderLine(id).startsWith("canceled seq=2 reason=MARKET_REMAINDER "), m.lastOrderLine(id));
        assertEquals(seqBefore, m.book().seqId());
        assertEquals(usdt("100000"), m.avail(U1, Q));
        // only the order id counter moved
        assertEquals(before.replace("lastOrderId=1 ", "lastOrderId=2 "), m.snapshot());
    }

    @Test
    void quoteBudgetMarketBuyStopsAtTheBand() {
        TestMarket m = asksThenTradeAt95();
        assertNull(m.marketQuote(U1, Side.BUY, "200"));
        long id = m.lastId();
        // takes 0.5 @ 100 and 0.5 @ 104 (102 USDT), 109 is beyond the 104.5 edge
        assertEquals(2, m.rec.linesStartingWith("fill").size());
        assertTrue(m.lastOrderLine(id).startsWith("canceled seq=6 reason=PRICE_BAND "), m.lastOrderLine(id));
        assertEquals(usdt("99898"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
    }

    @Test
    void baseSizedMarketBuyNeedsABand() {
        TestMarket m = new TestMarket(); // no band
        m.sell(U2, "100", "1");
        String before = m.snapshot();
        RejectReason r = m.place(U1, Side.BUY, OrderType.MARKET, null, "0.5");
        assertEquals(RejectReason.MARKET_BUY_UNBOUNDED, r);
        assertEquals("51000", r.okxCode());
        assertEquals(before, m.snapshot());
        // a band without any reference (no trade, no two-sided book, no default) does not bound it either
        TestMarket n = new TestMarket(b -> b.bandBps(1_000));
        n.sell(U2, "100", "1");
        assertEquals(RejectReason.MARKET_BUY_UNBOUNDED, n.place(U1, Side.BUY, OrderType.MARKET, null, "0.5"));
        // once there is a mid (99 / 100 -> 99.5) the band bounds it
        n.buy(U3, "99", "1");
        assertEquals(px("99.5"), n.engine.referencePrice(n.sym));
        assertNull(n.place(U1, Side.BUY, OrderType.MARKET, null, "0.5"));
    }

    @Test
    void quoteCurrencyIsOnlyForMarketBuys() {
        TestMarket m = new TestMarket();
        m.buy(U2, "100", "1");
        RejectReason r = m.marketQuote(U1, Side.SELL, "50");
        assertEquals(RejectReason.INVALID_TGT_CCY, r);
        assertEquals("51000", r.okxCode());
        r = m.engine.execute(m.cmd.place(U1, m.sym, Side.BUY, OrderType.LIMIT, px("100"), sz("1"), null, null, 1)
                .targetCurrency(TargetCurrency.QUOTE_CCY));
        assertEquals(RejectReason.INVALID_TGT_CCY, r);
        assertEquals(1, m.engine.lastOrderId());
    }

    @Test
    void marketSellIntoAnEmptyBookIsCanceledAndReleased() {
        TestMarket m = new TestMarket();
        assertNull(m.place(U1, Side.SELL, OrderType.MARKET, null, "1"));
        long id = m.lastId();
        List<String> lines = m.rec.lines();
        assertEquals(4, lines.size(), lines::toString);
        assertEquals("postings seq=1 HOLD ord=1 trade=0 1/AVAILABLE/0=-100000000 1/HELD/0=100000000", lines.get(0));
        assertTrue(lines.get(1).startsWith("accepted seq=1 ord=1 "));
        assertEquals("postings seq=1 RELEASE ord=1 trade=0 1/HELD/0=-100000000 1/AVAILABLE/0=100000000", lines.get(2));
        assertTrue(lines.get(3).startsWith("canceled seq=1 reason=MARKET_REMAINDER ord=" + id + " "), lines.get(3));
        assertEquals(btc("10"), m.avail(U1, B));
        assertEquals(0, m.held(U1, B));
        assertEquals(0, m.book().seqId());
    }

    @Test
    void marketBuyIntoAnEmptyBookReleasesItsBandHold() {
        TestMarket m = banded();
        assertNull(m.place(U1, Side.BUY, OrderType.MARKET, null, "1"));
        // held at the band edge 110: 110 USDT, all released
        assertEquals("postings seq=1 HOLD ord=1 trade=0 1/AVAILABLE/1=-110000000 1/HELD/1=110000000",
                m.rec.lines().get(0));
        assertEquals("postings seq=1 RELEASE ord=1 trade=0 1/HELD/1=-110000000 1/AVAILABLE/1=110000000",
                m.rec.lines().get(2));
        assertTrue(m.lastOrderLine(1).startsWith("canceled seq=1 reason=MARKET_REMAINDER "));
        assertEquals(usdt("100000"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
    }

    @Test
    void marketSellWithoutBandSweepsEveryBid() {
        TestMarket m = new TestMarket();
        m.buy(U2, "100", "0.5");
        m.buy(U3, "50", "0.5");
        assertNull(m.place(U1, Side.SELL, OrderType.MARKET, null, "1"));
        long id = m.lastId();
        // 0.5 x 100 + 0.5 x 50 = 75 USDT
        assertTrue(m.lastOrderLine(id).contains(" filledQuote=75000000 rem=0 held=0 fee=0 state=FILLED"),
                m.lastOrderLine(id));
        assertEquals(usdt("100075"), m.avail(U1, Q));
        assertEquals(btc("9"), m.avail(U1, B));
        assertEquals(0, m.book().levelCount(Side.BUY));
    }

    @Test
    void marketOrdersIgnoreThePriceField() {
        TestMarket m = banded();
        m.sell(U2, "100", "1");
        assertNull(m.place(U1, Side.BUY, OrderType.MARKET, "1", "1")); // 0.1 would be out of band for a limit
        assertTrue(m.lastOrderLine(m.lastId()).contains(" px=0 "));
        assertTrue(m.lastOrderLine(m.lastId()).contains(" state=FILLED"));
    }

    @Test
    void marketOrdersNeverRest() {
        TestMarket m = banded();
        m.sell(U2, "100", "0.2");
        m.place(U1, Side.BUY, OrderType.MARKET, null, "1");
        assertEquals(0, m.book().levelCount(Side.BUY));
        assertEquals(0, m.engine.liveOrderCount());
    }
}
