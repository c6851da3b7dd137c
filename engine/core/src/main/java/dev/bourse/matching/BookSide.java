package dev.bourse.matching;

import dev.bourse.order.Side;

/**
 * Price levels of one side kept in a sorted array with the best price at the end: most activity
 * happens near the top of the book, so inserts and removals there move few elements and lookups are
 * a binary search over a primitive key array (no boxing, no tree nodes).
 */
final class BookSide {
    final Side side;
    private final boolean bids;
    // keys ascend towards the best price: bids use price, asks use -price
    private long[] keys = new long[64];
    private PriceLevel[] levels = new PriceLevel[64];
    private int count;
    private static final int NEAR_TOP = 8;
    private PriceLevel free; // pool of empty levels, linked through head

    BookSide(Side side) {
        this.side = side;
        this.bids = side == Side.BUY;
    }

    int levelCount() {
        return count;
    }

    PriceLevel best() {
        return count == 0 ? null : levels[count - 1];
    }

    /** i-th level from the best (0 = best). */
    PriceLevel levelFromBest(int i) {
        return levels[count - 1 - i];
    }

    private long key(long price) {
        return bids ? price : -price;
    }

    /** True if a resting order at {@code price} on this side would be at least as good as {@code other}. */
    boolean betterOrEqual(long price, long other) {
        return bids ? price >= other : price <= other;
    }

    /**
     * Index of {@code key}, or -(insertion point + 1). Most lookups land near the best price, so the
     * top few levels are scanned linearly before falling back to a binary search.
     */
    private int search(long key) {
        int i = count - 1;
        int stop = Math.max(count - NEAR_TOP, 0);
        while (i >= stop && keys[i] > key) {
            i--;
        }
        if (i >= stop) {
            return keys[i] == key ? i : -(i + 2);
        }
        if (stop == 0) {
            return -1;
        }
        int lo = 0;
        int hi = stop - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long k = keys[mid];
            if (k < key) {
                lo = mid + 1;
            } else if (k > key) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    PriceLevel find(long price) {
        int i = search(key(price));
        return i >= 0 ? levels[i] : null;
    }

    PriceLevel findOrCreate(long price) {
        long k = key(price);
        // fast path: the best level or a new best
        if (count > 0 && keys[count - 1] == k) {
            return levels[count - 1];
        }
        int i = search(k);
        if (i >= 0) {
            return levels[i];
        }
        int at = -(i + 1);
        if (count == keys.length) {
            int n = keys.length * 2;
            keys = java.util.Arrays.copyOf(keys, n);
            levels = java.util.Arrays.copyOf(levels, n);
        }
        System.arraycopy(keys, at, keys, at + 1, count - at);
        System.arraycopy(levels, at, levels, at + 1, count - at);
        PriceLevel level = free;
        if (level != null) {
            free = level.nextFree;
            level.nextFree = null;
        } else {
            level = new PriceLevel();
        }
        level.price = price;
        level.totalSize = 0;
        level.orderCount = 0;
        keys[at] = k;
        levels[at] = level;
        count++;
        return level;
    }

    void remove(PriceLevel level) {
        int i;
        if (count > 0 && levels[count - 1] == level) {
            i = count - 1;
        } else {
            i = search(key(level.price));
            if (i < 0 || levels[i] != level) {
                throw new IllegalStateException("level not in book: " + level.price);
            }
        }
        System.arraycopy(keys, i + 1, keys, i, count - i - 1);
        System.arraycopy(levels, i + 1, levels, i, count - i - 1);
        count--;
        levels[count] = null;
        level.head = null;
        level.tail = null;
        level.nextFree = free;
        free = level;
    }
}
