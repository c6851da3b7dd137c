package dev.bourse.server.reconcile;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FundsWatchTest {
    private static long interval(String v) {
        return FundsWatch.intervalFrom(v == null ? Map.<String, String>of()::get : Map.of(FundsWatch.INTERVAL_ENV, v)::get);
    }

    @Test
    void intervalDefaultsToThirtySecondsAndZeroDisables() {
        assertEquals(30_000, interval(null));
        assertEquals(30_000, interval(" "));
        assertEquals(0, interval("0"));
        assertEquals(5_000, interval(" 5000 "));
        assertEquals(86_400_000, interval("86400000"));
    }

    @Test
    void nonsenseIsRefusedWithTheVariableName() {
        for (String bad : new String[] {"abc", "-1", "999", "1.5", "86400001"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> interval(bad), bad);
            assertTrue(e.getMessage().startsWith("FUNDS_WATCH_INTERVAL_MS must be"), e.getMessage());
        }
    }
}
