package dev.bourse.bench;

import org.agrona.collections.Long2LongHashMap;

import java.util.SplittableRandom;

/**
 * The generator's model of resting orders: per symbol and side an array of order ids with O(1) add,
 * remove (swap with the last) and uniform random pick.
 */
final class LiveOrders {
    private static final long MISSING = -1;

    private final long[][] ids;
    private final int[] counts;
    private final Long2LongHashMap where = new Long2LongHashMap(MISSING);

    LiveOrders(int symbols) {
        ids = new long[symbols * 2][];
        counts = new int[symbols * 2];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = new long[64];
        }
    }

    void add(long orderId, int symbol, byte side) {
        int list = symbol * 2 + side;
        int n = counts[list];
        if (n == ids[list].length) {
            ids[list] = java.util.Arrays.copyOf(ids[list], n * 2);
        }
        ids[list][n] = orderId;
        counts[list] = n + 1;
        if (where.put(orderId, ((long) list << 32) | n) != MISSING) {
            throw new IllegalStateException("order " + orderId + " added twice");
        }
    }

    /** Removes the order if it is in the model; returns whether it was. */
    boolean remove(long orderId) {
        long w = where.remove(orderId);
        if (w == MISSING) {
            return false;
        }
        int list = (int) (w >>> 32);
        int idx = (int) w;
        int last = counts[list] - 1;
        long moved = ids[list][last];
        ids[list][idx] = moved;
        if (moved != orderId) {
            where.put(moved, ((long) list << 32) | idx);
        }
        counts[list] = last;
        return true;
    }

    boolean contains(long orderId) {
        return where.containsKey(orderId);
    }

    int count(int symbol) {
        return counts[symbol * 2] + counts[symbol * 2 + 1];
    }

    int count(int symbol, byte side) {
        return counts[symbol * 2 + side];
    }

    int total() {
        return where.size();
    }

    /** A uniformly chosen resting order of {@code symbol}; the symbol must have one. */
    long random(int symbol, SplittableRandom rnd) {
        int bids = counts[symbol * 2];
        int k = rnd.nextInt(bids + counts[symbol * 2 + 1]);
        return k < bids ? ids[symbol * 2][k] : ids[symbol * 2 + 1][k - bids];
    }
}
