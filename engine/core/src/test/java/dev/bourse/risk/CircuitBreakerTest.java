package dev.bourse.risk;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CircuitBreakerTest {

    @Test
    void disabledBreakerNeverTrips() {
        CircuitBreaker b = new CircuitBreaker(0, 1_000);
        assertFalse(b.enabled());
        b.record(0, 1);
        assertFalse(b.wouldTrip(1, 1, Long.MAX_VALUE));
        assertTrue(new CircuitBreaker(1, 1_000).enabled());
    }

    @Test
    void emptyWindowOnlyLooksAtTheNewRange() {
        CircuitBreaker b = new CircuitBreaker(500, 1_000);
        // 1050 = 1000 * 1.05 exactly: not more than 5 % apart
        assertFalse(b.wouldTrip(0, 1_000, 1_050));
        assertTrue(b.wouldTrip(0, 1_000, 1_051));
        assertFalse(b.wouldTrip(0, 1_000, 1_000));
    }

    @Test
    void tripsOnlyWhenMaxExceedsMinTimesOnePlusBps() {
        CircuitBreaker b = new CircuitBreaker(500, 1_000);
        b.record(0, 1_000);
        // upwards: max 1050 vs min 1000 * 1.05 = 1050 -> equal, no trip; 1051 trips
        assertFalse(b.wouldTrip(10, 1_050, 1_050));
        assertTrue(b.wouldTrip(10, 1_051, 1_051));
        // downwards: 1000 > 953 * 1.05 = 1000.65? no; 1000 > 952 * 1.05 = 999.6? yes
        assertFalse(b.wouldTrip(10, 953, 953));
        assertTrue(b.wouldTrip(10, 952, 952));
        // wouldTrip does not record
        assertFalse(b.wouldTrip(10, 1_000, 1_000));
    }

    @Test
    void recordedTradesWidenTheRange() {
        CircuitBreaker b = new CircuitBreaker(1_000, 1_000); // 10 %
        b.record(0, 1_000);
        b.record(1, 1_080);
        // min 1000, max 1080: a trade at 1100 keeps max/min = 1.1 (not more)
        assertFalse(b.wouldTrip(2, 1_100, 1_100));
        assertTrue(b.wouldTrip(2, 1_101, 1_101));
        // going down: 1080 > 981 * 1.1 = 1079.1 -> trips; 982 * 1.1 = 1080.2 -> no
        assertTrue(b.wouldTrip(2, 981, 981));
        assertFalse(b.wouldTrip(2, 982, 982));
    }

    @Test
    void tradesOlderThanTheWindowAreEvicted() {
        CircuitBreaker b = new CircuitBreaker(500, 1_000);
        b.record(0, 950);
        b.record(100, 1_000);
        b.record(200, 990);
        // at t=999 all three count: 1000 > 950 * 1.05 = 997.5 trips
        assertTrue(b.wouldTrip(999, 1_000, 1_000));
        // at t=1050 the trade at t=0 is gone: min 990 (not 1000), max 1000
        // 1039 > 990 * 1.05 = 1039.5? no; 1040 > 1039.5? yes
        assertFalse(b.wouldTrip(1_050, 1_039, 1_039));
        assertTrue(b.wouldTrip(1_050, 1_040, 1_040));
        // at t=1150 only the t=200 trade (990) is left; at t=1201 nothing is
        assertTrue(b.wouldTrip(1_150, 1_040, 1_040));
        assertFalse(b.wouldTrip(1_201, 1_040, 1_040));
    }

    @Test
    void evictionKeepsTheRightMaximum() {
        CircuitBreaker b = new CircuitBreaker(500, 1_000);
        b.record(0, 1_040);
        b.record(100, 1_000);
        b.record(200, 1_020);
        // at t=500 max is 1040: 1040 > 991 * 1.05 = 1040.55? no; 1040 > 990 * 1.05 = 1039.5? yes
        assertFalse(b.wouldTrip(500, 991, 991));
        assertTrue(b.wouldTrip(500, 990, 990));
        // at t=1050 the 1040 is gone: max 1020; 1020 > 972 * 1.05 = 1020.6? no; 971 * 1.05 = 1019.55 -> trips
        assertFalse(b.wouldTrip(1_050, 972, 972));
        assertTrue(b.wouldTrip(1_050, 971, 971));
    }

    @Test
    void resetForgetsEverything() {
        CircuitBreaker b = new CircuitBreaker(500, 60_000);
        b.record(0, 1_000);
        assertTrue(b.wouldTrip(1, 1_200, 1_200));
        b.reset();
        assertFalse(b.wouldTrip(1, 1_200, 1_200));
        b.record(2, 1_200);
        assertTrue(b.wouldTrip(3, 1_000, 1_000)); // 1200 > 1000 * 1.05
        assertFalse(b.wouldTrip(3, 1_150, 1_150)); // 1200 > 1150 * 1.05 = 1207.5? no
    }

    @Test
    void manyTradesGrowTheRingsAndStillTrackMinAndMax() {
        CircuitBreaker b = new CircuitBreaker(1_000, 1_000); // 10 %
        // ascending prices 1000..1099 at t = 0..99: the min-queue keeps all of them (more than 16)
        for (int i = 0; i < 100; i++) {
            b.record(i, 1_000 + i);
        }
        // 1100 = 1000 * 1.1: fine; 1101 trips
        assertFalse(b.wouldTrip(100, 1_100, 1_100));
        assertTrue(b.wouldTrip(100, 1_101, 1_101));
        // at t=1050 the trades before t=50 are gone: min 1050 -> limit 1155
        assertFalse(b.wouldTrip(1_050, 1_155, 1_155));
        assertTrue(b.wouldTrip(1_050, 1_156, 1_156));
        // descending prices: the max-queue grows too
        CircuitBreaker d = new CircuitBreaker(1_000, 1_000);
        for (int i = 0; i < 100; i++) {
            d.record(i, 2_000 - i);
        }
        // max 2000, min 1901: 2000 > 1819 * 1.1 = 2000.9? no; 1818 * 1.1 = 1999.8 -> trips
        assertFalse(d.wouldTrip(100, 1_819, 1_819));
        assertTrue(d.wouldTrip(100, 1_818, 1_818));
    }

    @Test
    void slidingWindowOverALongRunWrapsTheRing() {
        CircuitBreaker b = new CircuitBreaker(1_000, 10); // 10 %, 10 ms
        // one trade per ms, rising by one: the window always holds about 11 ascending prices
        for (int t = 0; t < 5_000; t++) {
            b.record(t, 10_000 + t);
            // at t + 1 the trades before t + 1 - 10 are evicted: the oldest left is at t - 9
            long nextMin = 10_000 + Math.max(0, t + 1 - 10);
            long limit = nextMin * 11_000 / 10_000; // floor(nextMin * 1.1)
            assertFalse(b.wouldTrip(t + 1, limit, limit), "t=" + t);
            assertTrue(b.wouldTrip(t + 1, limit + 1, limit + 1), "t=" + t);
        }
    }

    @Test
    void hugePricesAreComparedWithoutOverflow() {
        CircuitBreaker b = new CircuitBreaker(500, 1_000);
        b.record(0, Long.MAX_VALUE / 2);
        assertTrue(b.wouldTrip(1, Long.MAX_VALUE, Long.MAX_VALUE)); // twice the min
        CircuitBreaker c = new CircuitBreaker(1, 1_000);
        c.record(0, Long.MAX_VALUE - 1);
        assertFalse(c.wouldTrip(1, Long.MAX_VALUE, Long.MAX_VALUE)); // a hair apart
        // the smallest min with MAX <= min * 1.0001 is ceil(MAX * 10000 / 10001) = 9222449791875588249
        assertFalse(c.wouldTrip(1, 9_222_449_791_875_588_249L, Long.MAX_VALUE));
        assertTrue(c.wouldTrip(1, 9_222_449_791_875_588_248L, Long.MAX_VALUE));
    }

    @Test
    void greaterComparesProductsExactly() {
        assertTrue(CircuitBreaker.greater(Long.MAX_VALUE, 10_001, Long.MAX_VALUE, 10_000));
        assertFalse(CircuitBreaker.greater(Long.MAX_VALUE, 10_000, Long.MAX_VALUE, 10_000));
        assertTrue(CircuitBreaker.greater(3, 4, 2, 5)); // 12 > 10
        assertFalse(CircuitBreaker.greater(2, 5, 3, 4));
        // 2^63 vs 2^62: as signed longs the low words would compare the other way round
        assertTrue(CircuitBreaker.greater(1L << 62, 2, 1L << 62, 1));
        assertFalse(CircuitBreaker.greater(1L << 62, 1, 1L << 62, 2));
    }
}
