package dev.bourse.risk;

/**
 * Price protection band: ±{@code bps} around a reference price, snapped inwards to the tick grid.
 * Pure arithmetic without overflow for any positive {@code long} price.
 */
public final class PriceBand {
    private PriceBand() {
    }

    /** Highest price a buy may have: floor_to_tick(ref × (1 + bps/10000)); {@code Long.MAX_VALUE} if disabled. */
    public static long upper(long reference, int bps, long tick) {
        if (bps <= 0 || reference <= 0) {
            return Long.MAX_VALUE;
        }
        long p = scaleFloor(reference, 10_000 + bps);
        return p - Math.floorMod(p, tick);
    }

    /** Lowest price a sell may have: ceil_to_tick(ref × (1 − bps/10000)), at least one tick; 0 if disabled. */
    public static long lower(long reference, int bps, long tick) {
        if (bps <= 0 || reference <= 0) {
            return 0;
        }
        long p = scaleCeil(reference, 10_000 - bps);
        long r = Math.floorMod(p, tick);
        if (r != 0) {
            p += tick - r;
        }
        return Math.max(p, tick);
    }

    /**
     * floor(v × factor / 10000) without intermediate overflow (factor ≤ 20000); {@code Long.MAX_VALUE}
     * when the result does not fit a {@code long} (every representable price is then below it).
     */
    static long scaleFloor(long v, int factor) {
        long q = v / 10_000;
        long r = v % 10_000;
        long lo = r * factor / 10_000;
        if (q > (Long.MAX_VALUE - lo) / factor) {
            return Long.MAX_VALUE;
        }
        return q * factor + lo;
    }

    static long scaleCeil(long v, int factor) {
        long q = v / 10_000;
        long r = v % 10_000;
        long hi = Math.multiplyExact(q, (long) factor);
        long part = r * factor;
        return Math.addExact(hi, (part + 9_999) / 10_000);
    }
}
