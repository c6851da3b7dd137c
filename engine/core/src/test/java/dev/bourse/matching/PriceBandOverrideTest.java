package dev.bourse.matching;

import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import org.junit.jupiter.api.Test;

import static dev.bourse.matching.TestMarket.U1;
import static dev.bourse.matching.TestMarket.U2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The operator's tighter price band replaces the instrument's while set and can be taken back. */
class PriceBandOverrideTest {
    /** A user the fixture does not fund. */
    private static final long BUYER = 7;

    @Test
    void overrideTightensTheBandAndZeroRestoresTheInstrumentBand() {
        TestMarket m = new TestMarket(b -> b.bandBps(1_000).referencePrice("100")); // 90..110
        assertEquals(1_000, m.engine.priceBandBps(m.sym));
        assertNull(m.place(U1, Side.BUY, OrderType.LIMIT, "105", "1"));

        m.engine.setPriceBandOverride(m.sym, 200); // 98..102
        assertEquals(200, m.engine.priceBandBps(m.sym));
        String before = m.snapshot();
        assertEquals(RejectReason.PRICE_OUT_OF_BAND, m.place(U2, Side.SELL, OrderType.LIMIT, "97.9", "1"));
        assertEquals(RejectReason.PRICE_OUT_OF_BAND, m.place(U1, Side.BUY, OrderType.LIMIT, "103", "1"));
        assertEquals(before, m.snapshot(), "a refused order changes nothing");
        assertNull(m.place(U1, Side.BUY, OrderType.LIMIT, "101", "1"));

        m.engine.setPriceBandOverride(m.sym, 0);
        assertEquals(1_000, m.engine.priceBandBps(m.sym));
        assertNull(m.place(U1, Side.BUY, OrderType.LIMIT, "109", "1"));
    }

    @Test
    void marketBuyHoldsAtTheOverriddenBand() {
        // a market buy of 2 BTC holds 2 x the band's upper price: 220 USDT at 10 %, 210 at 5 %
        TestMarket wide = new TestMarket(b -> b.bandBps(1_000).referencePrice("100"));
        wide.balances.deposit(BUYER, TestMarket.Q, TestMarket.usdt("215"));
        assertEquals(RejectReason.INSUFFICIENT_BALANCE, wide.place(BUYER, Side.BUY, OrderType.MARKET, null, "2"));

        TestMarket tight = new TestMarket(b -> b.bandBps(1_000).referencePrice("100"));
        tight.engine.setPriceBandOverride(tight.sym, 500);
        tight.balances.deposit(BUYER, TestMarket.Q, TestMarket.usdt("215"));
        tight.sell(U2, "104", "1");
        assertNull(tight.place(BUYER, Side.BUY, OrderType.MARKET, null, "2"));
        // one BTC filled at 104, the rest of the market order is not left resting and its hold is released
        assertEquals(0, tight.book().levelCount(Side.SELL));
        assertEquals(TestMarket.usdt("111"), tight.avail(BUYER, TestMarket.Q));
        assertEquals(0, tight.held(BUYER, TestMarket.Q));
    }

    @Test
    void refusesOutOfRangeOverrides() {
        TestMarket m = new TestMarket(b -> b.bandBps(1_000).referencePrice("100"));
        assertThrows(IllegalArgumentException.class, () -> m.engine.setPriceBandOverride(m.sym, 10_000));
        assertThrows(IllegalArgumentException.class, () -> m.engine.setPriceBandOverride(m.sym, -1));
        assertThrows(IllegalArgumentException.class, () -> m.engine.setPriceBandOverride(99, 100));
    }
}
