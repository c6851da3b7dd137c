package dev.bourse.bench.load;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopScheduleTest {

    @Test
    void tradersTakeTurnsAndTheWholeRunIsEvenlySpaced() {
        OpenLoopSchedule s = new OpenLoopSchedule(1000, 4); // one request per ms, each trader every 4 ms
        assertEquals(0, s.dueNanos(0, 0));
        assertEquals(1_000_000, s.dueNanos(1, 0));
        assertEquals(3_000_000, s.dueNanos(3, 0));
        assertEquals(4_000_000, s.dueNanos(0, 1));
        assertEquals(0.004, s.traderIntervalSeconds(), 1e-12);
        List<Long> all = new ArrayList<>();
        for (int k = 0; k < 250; k++) {
            for (int t = 0; t < 4; t++) {
                all.add(s.dueNanos(t, k));
            }
        }
        all.sort(null);
        for (int i = 1; i < all.size(); i++) {
            assertEquals(1_000_000, all.get(i) - all.get(i - 1), "gap before request " + i);
        }
    }

    @Test
    void countsWhatIsDueInAPeriodExactlyEvenWithAnAwkwardRate() {
        OpenLoopSchedule s = new OpenLoopSchedule(3, 2); // due at 0, 333.33.., 666.66.. ms, 1 s ...
        assertEquals(0, s.dueBefore(0));
        assertEquals(1, s.dueBefore(1));
        assertEquals(3, s.dueBefore(1_000_000_000L));
        assertEquals(4, s.dueBefore(1_000_000_001L));
        assertEquals(2, s.dueBefore(0, 1_000_000_000L), "trader 0 has requests 0 and 2");
        assertEquals(1, s.dueBefore(1, 1_000_000_000L), "trader 1 has request 1");
        // the sum over the traders is the whole run, for any cut-off
        for (long n = 0; n < 5_000_000_000L; n += 77_777_777L) {
            assertEquals(s.dueBefore(n), s.dueBefore(0, n) + s.dueBefore(1, n), "at " + n);
        }
        OpenLoopSchedule big = new OpenLoopSchedule(10_000, 200);
        assertEquals(300_000, big.dueBefore(30_000_000_000L), "10k/s for 30 s");
        assertTrue(big.dueNanos(199, 1_499) < 30_000_000_000L);
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new OpenLoopSchedule(10, 2).dueNanos(2, 0));
    }
}
