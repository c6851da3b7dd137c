package dev.bourse.risk;

import java.util.Arrays;

/**
 * Trips when trade prices inside a sliding time window span more than {@code bps} basis points
 * (max > min × (1 + bps/10000)). Keeps two monotonic deques of (time, price), so each trade costs
 * amortised O(1) and nothing is allocated once the rings have grown to the window's working size.
 * Time comes from the commands, never from a clock, so replays trip at the same trade.
 */
public final class CircuitBreaker {
    private final int bps;
    private final long windowMillis;
    private final Deque minQ = new Deque(true);
    private final Deque maxQ = new Deque(false);

    public CircuitBreaker(int bps, long windowMillis) {
        this.bps = bps;
        this.windowMillis = windowMillis;
    }

    public boolean enabled() {
        return bps > 0;
    }

    /** Forgets all recorded trades (on resume after a halt). */
    public void reset() {
        minQ.clear();
        maxQ.clear();
    }

    /**
     * Would trades at prices within [{@code low}, {@code high}] at time {@code now} trip the breaker,
     * given the trades recorded in the window?
     */
    public boolean wouldTrip(long now, long low, long high) {
        if (bps <= 0) {
            return false;
        }
        evict(now);
        long min = minQ.isEmpty() ? low : Math.min(minQ.frontPrice(), low);
        long max = maxQ.isEmpty() ? high : Math.max(maxQ.frontPrice(), high);
        // max * 10000 > min * (10000 + bps), compared in 128 bits
        return greater(max, 10_000L, min, 10_000L + bps);
    }

    public void record(long now, long price) {
        if (bps <= 0) {
            return;
        }
        evict(now);
        minQ.push(now, price);
        maxQ.push(now, price);
    }

    private void evict(long now) {
        long oldest = now - windowMillis;
        minQ.evictBefore(oldest);
        maxQ.evictBefore(oldest);
    }

    /** a*b > c*d for non-negative operands. */
    static boolean greater(long a, long b, long c, long d) {
        long h1 = Math.multiplyHigh(a, b);
        long h2 = Math.multiplyHigh(c, d);
        if (h1 != h2) {
            return h1 > h2;
        }
        return Long.compareUnsigned(a * b, c * d) > 0;
    }

    /** Ring buffer deque keeping prices monotonic from the front. */
    private static final class Deque {
        private final boolean ascending; // min-queue: front is the minimum
        private long[] times = new long[16];
        private long[] prices = new long[16];
        private int head;
        private int size;

        Deque(boolean ascending) {
            this.ascending = ascending;
        }

        boolean isEmpty() {
            return size == 0;
        }

        long frontPrice() {
            return prices[head];
        }

        void clear() {
            head = 0;
            size = 0;
        }

        void evictBefore(long oldest) {
            while (size > 0 && times[head] < oldest) {
                head = (head + 1) & (times.length - 1);
                size--;
            }
        }

        void push(long time, long price) {
            // drop from the back what the new price dominates
            while (size > 0) {
                int back = (head + size - 1) & (times.length - 1);
                long p = prices[back];
                if (ascending ? p >= price : p <= price) {
                    size--;
                } else {
                    break;
                }
            }
            if (size == times.length) {
                grow();
            }
            int at = (head + size) & (times.length - 1);
            times[at] = time;
            prices[at] = price;
            size++;
        }

        private void grow() {
            int n = times.length;
            long[] t = new long[n * 2];
            long[] p = new long[n * 2];
            for (int i = 0; i < size; i++) {
                t[i] = times[(head + i) & (n - 1)];
                p[i] = prices[(head + i) & (n - 1)];
            }
            times = t;
            prices = p;
            head = 0;
            Arrays.fill(times, size, times.length, 0);
        }
    }
}
