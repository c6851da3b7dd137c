package dev.bourse.risk;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.*;

class PriceBandTest {

    @Test
    void boundsOnTheGridAreExact() {
        // 100.0 (1000 units) +-10 %: 110.0 and 90.0
        assertEquals(1_100, PriceBand.upper(1_000, 1_000, 1));
        assertEquals(900, PriceBand.lower(1_000, 1_000, 1));
        // +-0.01 % of 50000.0: 50005.0 and 49995.0
        assertEquals(500_050, PriceBand.upper(500_000, 1, 1));
        assertEquals(499_950, PriceBand.lower(500_000, 1, 1));
    }

    @Test
    void boundsSnapInwardToTheTick() {
        // 100.1 +10 % = 110.11 -> floor to the unit grid 110.1 (1101) -> floor to tick 0.5 -> 110.0
        assertEquals(1_100, PriceBand.upper(1_001, 1_000, 5));
        // 100.1 -10 % = 90.09 -> ceil to the unit grid 90.1 (901) -> ceil to tick 0.5 -> 90.5
        assertEquals(905, PriceBand.lower(1_001, 1_000, 5));
        // 100.1 +-10 % with tick 0.1: 110.1 and 90.1 (a finer grid loses less)
        assertEquals(1_101, PriceBand.upper(1_001, 1_000, 1));
        assertEquals(901, PriceBand.lower(1_001, 1_000, 1));
        // 3 units +50 % = 4.5 -> 4 -> tick 2 -> 4; -50 % = 1.5 -> 2 -> tick 2 -> 2
        assertEquals(4, PriceBand.upper(3, 5_000, 2));
        assertEquals(2, PriceBand.lower(3, 5_000, 2));
    }

    @Test
    void boundsAreAlwaysInsideTheExactBand() {
        long[] refs = {1, 7, 999, 1_001, 12_345, 1_000_003, 987_654_321_987L};
        int[] bps = {1, 5, 37, 500, 1_000, 9_999};
        long[] ticks = {1, 2, 5, 7, 10, 25};
        for (long ref : refs) {
            for (int b : bps) {
                for (long tick : ticks) {
                    long up = PriceBand.upper(ref, b, tick);
                    long lo = PriceBand.lower(ref, b, tick);
                    String ctx = "ref=" + ref + " bps=" + b + " tick=" + tick;
                    assertEquals(0, up % tick, ctx);
                    assertEquals(0, lo % tick, ctx);
                    // up * 10000 <= ref * (10000 + bps) < (up + tick) * 10000
                    BigInteger hiExact = BigInteger.valueOf(ref).multiply(BigInteger.valueOf(10_000 + b));
                    assertTrue(BigInteger.valueOf(up).multiply(BigInteger.valueOf(10_000)).compareTo(hiExact) <= 0, ctx);
                    assertTrue(BigInteger.valueOf(up + tick).multiply(BigInteger.valueOf(10_000)).compareTo(hiExact) > 0, ctx);
                    // lo * 10000 >= ref * (10000 - bps), and lo - tick is below it (unless lo is the one-tick floor)
                    BigInteger loExact = BigInteger.valueOf(ref).multiply(BigInteger.valueOf(10_000 - b));
                    assertTrue(BigInteger.valueOf(lo).multiply(BigInteger.valueOf(10_000)).compareTo(loExact) >= 0, ctx);
                    assertTrue(lo == tick
                            || BigInteger.valueOf(lo - tick).multiply(BigInteger.valueOf(10_000)).compareTo(loExact) < 0, ctx);
                    assertTrue(lo >= tick, ctx);
                }
            }
        }
    }

    @Test
    void lowerIsAtLeastOneTick() {
        // 10 units -99.99 % = 0.001 -> ceil 1 -> at least a tick
        assertEquals(1, PriceBand.lower(10, 9_999, 1));
        assertEquals(5, PriceBand.lower(10, 9_999, 5));
    }

    @Test
    void disabledBand() {
        assertEquals(Long.MAX_VALUE, PriceBand.upper(1_000, 0, 1));
        assertEquals(0, PriceBand.lower(1_000, 0, 1));
        // no reference price: no band either
        assertEquals(Long.MAX_VALUE, PriceBand.upper(0, 1_000, 1));
        assertEquals(0, PriceBand.lower(0, 1_000, 1));
        assertEquals(Long.MAX_VALUE, PriceBand.upper(1_000, -5, 1));
        assertEquals(0, PriceBand.lower(1_000, -5, 1));
    }

    @Test
    void hugePricesDoNotOverflow() {
        long big = Long.MAX_VALUE / 2; // * 1.1 still fits
        BigInteger exact = BigInteger.valueOf(big).multiply(BigInteger.valueOf(11_000)).divide(BigInteger.valueOf(10_000));
        assertEquals(exact.longValueExact(), PriceBand.upper(big, 1_000, 1));
        // ceil(MAX * 0.9) = ceil(8301034833169298226.3) = 8301034833169298227
        assertEquals(8_301_034_833_169_298_227L, PriceBand.lower(Long.MAX_VALUE, 1_000, 1));
        assertEquals(ceilDiv(BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.valueOf(9_000))),
                PriceBand.lower(Long.MAX_VALUE, 1_000, 1));
        // ceil(MAX * 0.0001) = ceil(922337203685477.5807) = 922337203685478
        assertEquals(922_337_203_685_478L, PriceBand.lower(Long.MAX_VALUE, 9_999, 1));
    }

    @Test
    void upperBeyondTheLongRangeSaturatesOnTheGrid() {
        // MAX * 1.0001 does not fit a long: every representable price is inside the band, so the
        // bound is the highest representable price on the tick grid (the javadoc promises no overflow)
        assertEquals(Long.MAX_VALUE, PriceBand.upper(Long.MAX_VALUE, 1, 1));
        assertEquals(Long.MAX_VALUE, PriceBand.upper(Long.MAX_VALUE, 9_999, 1));
        // 9223372036854775807 = 10 * 922337203685477580 + 7
        assertEquals(9_223_372_036_854_775_800L, PriceBand.upper(Long.MAX_VALUE, 1_000, 10));
        assertEquals(9_223_372_036_854_775_800L, PriceBand.upper(Long.MAX_VALUE - 3, 5_000, 100));
        // 0.9 * MAX * 1.2 = 1.08 * MAX overflows too
        long ref = Long.MAX_VALUE / 10 * 9;
        assertEquals(Long.MAX_VALUE - Long.MAX_VALUE % 3, PriceBand.upper(ref, 2_000, 3));
    }

    private static long ceilDiv(BigInteger scaledBy10000) {
        BigInteger[] qr = scaledBy10000.divideAndRemainder(BigInteger.valueOf(10_000));
        return qr[1].signum() == 0 ? qr[0].longValueExact() : qr[0].longValueExact() + 1;
    }
}
