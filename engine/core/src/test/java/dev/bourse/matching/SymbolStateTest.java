package dev.bourse.matching;

import dev.bourse.instrument.SymbolState;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.matching.TestMarket.*;
import static org.junit.jupiter.api.Assertions.*;

class SymbolStateTest {


    // ------------------------------------------------------------------ operator states

    @Test
    void haltedRejectsPlacesAndAmendsButAcceptsCancels() {
        TestMarket m = new TestMarket();
        long b1 = m.buy(U1, "100", "1");
        long b2 = m.buy(U1, "99", "1");
        m.sell(U2, "101", "1");
        assertNull(m.setState(SymbolState.HALTED));
        assertEquals("state seq=4 sym=0 TRADING->HALTED reason=OPERATOR", m.rec.lines().get(m.rec.lines().size() - 1));
        assertEquals(SymbolState.HALTED, m.engine.symbolState(m.sym));

        assertRejectedUntouched(m, RejectReason.SYMBOL_HALTED, "50033", () -> m.place(U3, Side.SELL, OrderType.LIMIT, "100", "1"));
        assertRejectedUntouched(m, RejectReason.SYMBOL_HALTED, "50033", () -> m.place(U3, Side.SELL, OrderType.MARKET, null, "1"));
        assertRejectedUntouched(m, RejectReason.SYMBOL_HALTED, "50033", () -> m.place(U3, Side.BUY, OrderType.POST_ONLY, "90", "1"));
        assertRejectedUntouched(m, RejectReason.SYMBOL_HALTED, "50033", () -> m.amend(U1, b1, "0.5", null));
        assertRejectedUntouched(m, RejectReason.SYMBOL_HALTED, "50033", () -> m.amend(U1, b1, null, "101"));

        assertNull(m.cancel(U1, b1));
        assertNull(m.live(b1));
        assertNull(m.massCancel(U1, m.sym));
        assertNull(m.live(b2));
        assertEquals(usdt("100000"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
    }

    @Test
    void cancelOnlyAcceptsCancelsAndSizeReducingAmendsOnly() {
        TestMarket m = new TestMarket();
        long b1 = m.buy(U1, "100", "1");
        long b2 = m.buy(U3, "100", "1");
        long a1 = m.sell(U2, "101", "1");
        assertNull(m.setState(SymbolState.CANCEL_ONLY));
        assertTrue(m.rec.lines().contains("state seq=4 sym=0 TRADING->CANCEL_ONLY reason=OPERATOR"));

        assertRejectedUntouched(m, RejectReason.SYMBOL_CANCEL_ONLY, "51056", () -> m.place(U4, Side.BUY, OrderType.LIMIT, "90", "1"));
        assertRejectedUntouched(m, RejectReason.SYMBOL_CANCEL_ONLY, "51056", () -> m.place(U4, Side.SELL, OrderType.IOC, "100", "1"));
        assertRejectedUntouched(m, RejectReason.SYMBOL_CANCEL_ONLY, "51056", () -> m.amend(U1, b1, null, "99"));
        assertRejectedUntouched(m, RejectReason.SYMBOL_CANCEL_ONLY, "51056", () -> m.amend(U1, b1, null, "101")); // would cross
        assertRejectedUntouched(m, RejectReason.SYMBOL_CANCEL_ONLY, "51056", () -> m.amend(U1, b1, "1.5", null));
        assertRejectedUntouched(m, RejectReason.SYMBOL_CANCEL_ONLY, "51056", () -> m.amend(U1, b1, "0.5", "99"));

        // size down at the same price keeps the place in the queue and releases 0.5 x 100 = 50 USDT
        assertNull(m.amend(U1, b1, "0.5", null));
        assertArrayEquals(new long[]{b1, b2}, m.queue(Side.BUY, "100"));
        assertEquals(usdt("50"), m.held(U1, Q));
        // naming the unchanged price explicitly is fine too
        assertNull(m.amend(U1, b1, "0.4", "100"));
        assertEquals(usdt("40"), m.held(U1, Q));
        // down to a single lot is a reduction as well
        assertNull(m.amend(U3, b2, "0.00001", null));
        assertEquals(sz("0.00001"), m.live(b2).remainingSize());
        assertEquals(usdt("0.001"), m.held(U3, Q));

        assertNull(m.cancel(U2, a1));
        assertEquals(btc("10"), m.avail(U2, B));
        assertEquals(0, m.rec.linesStartingWith("fill").size());
    }

    @Test
    void resumeRestoresTrading() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "1");
        assertNull(m.setState(SymbolState.HALTED));
        assertEquals(RejectReason.SYMBOL_HALTED, m.place(U1, Side.BUY, OrderType.LIMIT, "100", "1"));
        assertNull(m.setState(SymbolState.CANCEL_ONLY));
        assertNull(m.setState(SymbolState.TRADING));
        List<String> states = m.rec.linesStartingWith("state");
        assertEquals(List.of(
                "state seq=2 sym=0 TRADING->HALTED reason=OPERATOR",
                "state seq=4 sym=0 HALTED->CANCEL_ONLY reason=OPERATOR",
                "state seq=5 sym=0 CANCEL_ONLY->TRADING reason=OPERATOR"), states);
        assertEquals(SymbolState.TRADING, m.engine.symbolState(m.sym));
        m.buy(U1, "100", "1");
        assertEquals(1, m.rec.linesStartingWith("fill").size());
    }

    @Test
    void settingTheCurrentStateIsAcceptedSilently() {
        TestMarket m = new TestMarket();
        assertNull(m.setState(SymbolState.TRADING));
        assertEquals(List.of(), m.rec.lines());
        assertNull(m.setState(SymbolState.HALTED));
        assertNull(m.setState(SymbolState.HALTED));
        assertEquals(1, m.rec.linesStartingWith("state").size());
    }

    @Test
    void initialStateComesFromTheInstrument() {
        TestMarket m = new TestMarket(b -> b.initialState(SymbolState.CANCEL_ONLY));
        assertEquals(SymbolState.CANCEL_ONLY, m.engine.symbolState(m.sym));
        assertEquals(RejectReason.SYMBOL_CANCEL_ONLY, m.place(U1, Side.BUY, OrderType.LIMIT, "100", "1"));
    }

    // ------------------------------------------------------------------ circuit breaker

    /** BTC-USDT with a 5 % / 60 s breaker and a first trade at 100 at t = 1000. */
    private static TestMarket breakerWithTradeAt100() {
        TestMarket m = new TestMarket(b -> b.breaker(500, 60_000));
        m.clock = 1_000;
        m.sell(U2, "100", "0.1");
        m.buy(U3, "100", "0.1");
        assertEquals(px("100"), m.engine.lastTradePrice(m.sym));
        return m;
    }

    @Test
    void breakerHaltsTheSymbolBeforeTheBreachingFill() {
        TestMarket m = breakerWithTradeAt100();
        m.sell(U2, "102", "0.5");
        m.sell(U2, "104", "0.5");
        long far = m.sell(U2, "106", "0.5");
        m.rec.clear();
        m.clock = 2_000;
        long taker = m.buy(U1, "106", "1.5");

        // 102 and 104 are within 5 % of 100; 106 > 100 x 1.05 = 105 trips
        List<String> fills = m.rec.linesStartingWith("fill");
        assertEquals(2, fills.size());
        assertTrue(fills.get(0).contains(" px=1020 "));
        assertTrue(fills.get(1).contains(" px=1040 "));
        assertEquals(List.of("state seq=6 sym=0 TRADING->HALTED reason=CIRCUIT_BREAKER"), m.rec.linesStartingWith("state"));
        String last = m.lastOrderLine(taker);
        assertTrue(last.startsWith("canceled seq=6 reason=CIRCUIT_BREAKER ord=" + taker + " "), last);
        assertTrue(last.contains(" filled=100000000 filledQuote=103000000 rem=50000000 held=0 "), last);
        assertEquals(SymbolState.HALTED, m.engine.symbolState(m.sym));
        assertEquals(px("104"), m.engine.lastTradePrice(m.sym));
        // the order at the breaching price is untouched
        assertNotNull(m.live(far));
        m.assertLevel(Side.SELL, "106", "0.5", 1);
        assertEquals(0, m.book().levelCount(Side.BUY));
        // U1 paid 0.5 x 102 + 0.5 x 104 = 103 USDT
        assertEquals(usdt("99897"), m.avail(U1, Q));
        assertEquals(0, m.held(U1, Q));
        assertEquals(btc("11"), m.avail(U1, B));

        // halted: nothing new until an operator resumes, which also starts a fresh window
        assertEquals(RejectReason.SYMBOL_HALTED, m.place(U1, Side.BUY, OrderType.LIMIT, "106", "0.5"));
        m.clock = 3_000;
        assertNull(m.setState(SymbolState.TRADING));
        assertTrue(m.rec.lines().contains("state seq=8 sym=0 HALTED->TRADING reason=OPERATOR"));
        m.buy(U1, "106", "0.5");
        assertNull(m.live(far));
        assertEquals(SymbolState.TRADING, m.engine.symbolState(m.sym));
        assertEquals(px("106"), m.engine.lastTradePrice(m.sym));
    }

    @Test
    void exactlyTheThresholdDoesNotTrip() {
        TestMarket m = breakerWithTradeAt100();
        m.sell(U2, "105", "0.5");
        m.clock = 2_000;
        m.buy(U1, "105", "0.5"); // 105 = 100 x 1.05: not more than 5 % apart
        assertEquals(SymbolState.TRADING, m.engine.symbolState(m.sym));
        assertEquals(px("105"), m.engine.lastTradePrice(m.sym));
    }

    @Test
    void breakerLooksOnlyInsideTheWindow() {
        TestMarket inside = breakerWithTradeAt100();
        inside.sell(U2, "106", "0.5");
        inside.clock = 1_000 + 59_999;
        inside.buy(U1, "106", "0.5");
        assertEquals(SymbolState.HALTED, inside.engine.symbolState(inside.sym));

        TestMarket after = breakerWithTradeAt100();
        after.sell(U2, "106", "0.5");
        after.clock = 1_000 + 60_001; // the trade at 100 has left the window
        after.buy(U1, "106", "0.5");
        assertEquals(SymbolState.TRADING, after.engine.symbolState(after.sym));
        assertEquals(px("106"), after.engine.lastTradePrice(after.sym));
    }

    @Test
    void breakerTripsOnFallingPricesToo() {
        TestMarket m = breakerWithTradeAt100();
        m.buy(U2, "96", "0.5");
        m.buy(U2, "95.3", "0.5");
        m.buy(U2, "95.2", "0.5");
        m.clock = 2_000;
        long taker = m.sell(U1, "95", "1.5");
        // 100 > 95.3 x 1.05 = 100.065? no; 100 > 95.2 x 1.05 = 99.96? yes
        assertEquals(3, m.rec.linesStartingWith("fill").size()); // the setup's trade at 100, then 96 and 95.3
        assertTrue(m.lastOrderLine(taker).startsWith("canceled seq=6 reason=CIRCUIT_BREAKER "), m.lastOrderLine(taker));
        assertEquals(SymbolState.HALTED, m.engine.symbolState(m.sym));
        m.assertLevel(Side.BUY, "95.2", "0.5", 1);
        assertEquals(btc("9"), m.avail(U1, B)); // sold 1 of 1.5, the rest released
        assertEquals(0, m.held(U1, B));
    }

    @Test
    void fillOrKillThatWouldTripIsRejectedInstead() {
        TestMarket m = breakerWithTradeAt100();
        m.sell(U2, "104", "0.5");
        m.sell(U2, "106", "0.5");
        m.clock = 2_000;
        assertRejectedUntouched(m, RejectReason.FOK_NOT_FILLABLE, "51140",
                () -> m.place(U1, Side.BUY, OrderType.FOK, "106", "1"));
        assertEquals(SymbolState.TRADING, m.engine.symbolState(m.sym));
        assertNull(m.place(U1, Side.BUY, OrderType.FOK, "106", "0.5")); // only the 104 level is needed
    }

    @Test
    void amendedOrderThatTripsTheBreakerIsCanceled() {
        TestMarket m = breakerWithTradeAt100();
        m.sell(U2, "104", "0.5");
        m.sell(U2, "106", "0.5");
        long bid = m.buy(U1, "99", "1");
        m.clock = 2_000;
        assertNull(m.amend(U1, bid, null, "106"));
        assertTrue(m.lastOrderLine(bid).startsWith("canceled seq=6 reason=CIRCUIT_BREAKER "), m.lastOrderLine(bid));
        assertNull(m.live(bid));
        assertEquals(0, m.engine.liveOrderCount(U1));
        assertEquals(0, m.held(U1, Q));
        // bought 0.5 at 104 = 52 USDT
        assertEquals(usdt("99948"), m.avail(U1, Q));
        assertEquals(SymbolState.HALTED, m.engine.symbolState(m.sym));
    }
}
