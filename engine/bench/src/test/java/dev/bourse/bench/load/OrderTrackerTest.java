package dev.bourse.bench.load;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class OrderTrackerTest {
    private static final BigDecimal PX = new BigDecimal("100");

    @Test
    void aQuoteRestsFromItsAnswerUntilAPushOrACancelEndsIt() {
        OrderTracker t = new OrderTracker(false);
        OrderTracker.Tracked a = t.placing("a", "X", "buy", true, PX);
        OrderTracker.Tracked b = t.placing("b", "X", "buy", true, PX);
        assertEquals(0, t.restingCount("X", "buy"), "nothing rests before its answer");
        t.accepted(a, "1");
        t.accepted(b, "2");
        assertEquals(2, t.restingCount("X", "buy"));
        assertEquals(0, t.restingCount("X", "sell"));
        assertSame(a, t.takeOldest("X", "buy"), "oldest first");
        assertSame(b, t.takeOldest("X", "buy"), "a is busy now");
        assertNull(t.takeOldest("X", "buy"));
        t.canceled(a);
        t.settled(b, false, new BigDecimal("101")); // amended
        assertEquals(1, t.restingCount("X", "buy"));
        assertEquals(new BigDecimal("101"), t.px(b));
        t.pushed("b", "2", "filled");
        assertEquals(0, t.restingCount("X", "buy"));
        assertEquals(0, t.tracked(), "finished orders are forgotten");
    }

    @Test
    void aPushThatBeatsTheAnswerIsNotUndoneByIt() {
        OrderTracker t = new OrderTracker(false);
        OrderTracker.Tracked a = t.placing("a", "X", "sell", true, PX);
        t.pushed("a", "1", "filled");
        t.accepted(a, "1");
        assertEquals(0, t.restingCount("X", "sell"));
        assertEquals(0, t.tracked());
        OrderTracker.Tracked ioc = t.placing("i", "X", "sell", false, PX);
        t.accepted(ioc, "2");
        assertEquals(0, t.restingCount("X", "sell"), "an ioc never rests");
        OrderTracker.Tracked refused = t.placing("r", "X", "sell", true, PX);
        t.notPlaced(refused);
        assertEquals(0, t.tracked());
    }

    @Test
    void aTakersLimitOrderRestsOnlyOnceAPushSaysSo() {
        OrderTracker t = new OrderTracker(true);
        OrderTracker.Tracked filled = t.placing("f", "X", "buy", true, PX);
        OrderTracker.Tracked rests = t.placing("r", "X", "buy", true, PX);
        t.accepted(filled, "1");
        t.accepted(rests, "2");
        assertNull(t.takeOldest(), "answered, but no push yet: maybe already filled");
        t.pushed("f", "1", "filled");
        t.pushed("r", "2", "partially_filled");
        assertSame(rests, t.takeOldest());
        t.settled(rests, true, null); // 51400: gone meanwhile
        assertEquals(0, t.allResting().size());
    }
}
