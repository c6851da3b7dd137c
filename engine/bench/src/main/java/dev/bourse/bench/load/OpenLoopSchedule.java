package dev.bourse.bench.load;

/**
 * When each request of an open-loop run is due. The run offers {@code rate} requests per second in total, spread
 * evenly: request number g (0, 1, 2 …) of the run is due {@code g / rate} seconds after the start and belongs to
 * trader {@code g mod traders}. So each trader sends every {@code traders / rate} seconds, the traders take turns,
 * and the exchange sees one request every {@code 1 / rate} seconds whatever its answers take: a slow answer does
 * not delay the requests after it (the latency of each is measured from the time it was due).
 */
public record OpenLoopSchedule(double rate, int traders) {
    public OpenLoopSchedule {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be positive: " + rate);
        }
        if (traders < 1) {
            throw new IllegalArgumentException("traders must be at least 1: " + traders);
        }
    }

    /** When the {@code k}-th request (0-based) of {@code trader} is due, in nanoseconds after the start. */
    public long dueNanos(int trader, long k) {
        if (trader < 0 || trader >= traders || k < 0) {
            throw new IllegalArgumentException("trader " + trader + " of " + traders + ", request " + k);
        }
        double g = (double) k * traders + trader;
        return (long) Math.floor(g * 1e9 / rate);
    }

    /** How many requests of the whole run are due in the first {@code nanos} nanoseconds (due time < nanos). */
    public long dueBefore(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        long n = (long) Math.ceil(nanos * rate / 1e9);
        // floor rounding in dueNanos can put request n exactly at nanos; count strictly earlier ones only
        while (n > 0 && dueNanosOfGlobal(n - 1) >= nanos) {
            n--;
        }
        while (dueNanosOfGlobal(n) < nanos) {
            n++;
        }
        return n;
    }

    /** How many of them are {@code trader}'s. */
    public long dueBefore(int trader, long nanos) {
        long all = dueBefore(nanos);
        return all <= trader ? 0 : (all - trader + traders - 1) / traders;
    }

    /** Seconds between two requests of one trader. */
    public double traderIntervalSeconds() {
        return traders / rate;
    }

    private long dueNanosOfGlobal(long g) {
        return (long) Math.floor((double) g * 1e9 / rate);
    }
}
