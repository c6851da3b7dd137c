package dev.bourse.fixed;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PowerOfTenTest {
    @Test
    void exponentOfRecognisesPowersOfTenOnly() {
        assertEquals(0, PowerOfTen.exponentOf(1));
        assertEquals(3, PowerOfTen.exponentOf(1_000));
        assertEquals(18, PowerOfTen.exponentOf(1_000_000_000_000_000_000L));
        assertEquals(-1, PowerOfTen.exponentOf(5));
        assertEquals(-1, PowerOfTen.exponentOf(0));
        assertEquals(-1, PowerOfTen.exponentOf(-10));
        assertEquals(-1, PowerOfTen.exponentOf(1_001));
    }

    @Test
    void divideAndRemainderMatchTheOperatorsForEveryExponent() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int n = 0; n <= 18; n++) {
            long p = Decimals.pow10(n);
            long[] edge = {0, 1, -1, p - 1, p, p + 1, -p, Long.MAX_VALUE, Long.MIN_VALUE + 1};
            for (long v : edge) {
                assertEquals(v / p, PowerOfTen.divide(v, n), v + " / 10^" + n);
                assertEquals(v % p, PowerOfTen.remainder(v, n), v + " % 10^" + n);
            }
            for (int i = 0; i < 2_000; i++) {
                long v = rnd.nextLong();
                assertEquals(v / p, PowerOfTen.divide(v, n));
                assertEquals(v % p, PowerOfTen.remainder(v, n));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PowerOfTen.divide(5, 19));
        assertThrows(IllegalArgumentException.class, () -> PowerOfTen.divide(5, -1));
    }
}
