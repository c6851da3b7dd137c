package dev.bourse.bench.load;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MarketTest {
    private final Market btc = new Market("BTC-USDT", "BTC", "USDT", new BigDecimal("0.1"), new BigDecimal("0.00001"),
            new BigDecimal("0.00001"), new BigDecimal("60000"));

    @Test
    void pricesAreWholeTicksRoundedAwayFromTheMid() {
        assertEquals(0, new BigDecimal("60030").compareTo(btc.priceAway(5)));
        assertEquals(0, new BigDecimal("59970").compareTo(btc.priceAway(-5)));
        // 0.01 bp is 0.06: 60000.06 goes up to the next tick, 59999.94 down to the one below
        assertEquals(0, new BigDecimal("60000.1").compareTo(btc.priceAway(0.01)));
        assertEquals(0, new BigDecimal("59999.9").compareTo(btc.priceAway(-0.01)));
        assertEquals(0, new BigDecimal("60000").compareTo(btc.priceAway(0)));
        assertEquals(0, btc.priceAway(-20_000).compareTo(new BigDecimal("0.1")), "never below one tick");
    }

    @Test
    void sizesAreWholeLotsAtLeastTheMinimum() {
        assertEquals(0, new BigDecimal("0.00166").compareTo(btc.sizeFor(new BigDecimal("100"))));
        assertEquals(0, new BigDecimal("0.00001").compareTo(btc.sizeFor(new BigDecimal("0.01"))));
        assertEquals("0.00166", btc.sizeFor(new BigDecimal("100")).toPlainString());
    }

    @Test
    void refusesNonPositiveIncrements() {
        assertThrows(IllegalArgumentException.class, () -> new Market("X", "A", "B", BigDecimal.ZERO, BigDecimal.ONE,
                BigDecimal.ONE, BigDecimal.ONE));
    }
}
