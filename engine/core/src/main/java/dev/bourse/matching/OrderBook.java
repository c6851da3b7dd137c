package dev.bourse.matching;

import dev.bourse.order.Side;

/**
 * Both sides of one symbol's book plus its market-data sequence. {@code seqId} grows by one for every
 * command that changed at least one level, so a depth feed can chain updates with prevSeqId/seqId.
 */
public final class OrderBook {
    final BookSide bids = new BookSide(Side.BUY);
    final BookSide asks = new BookSide(Side.SELL);
    long seqId;

    BookSide side(Side s) {
        return s == Side.BUY ? bids : asks;
    }

    /** Sequence of the last change; 0 before the first. */
    public long seqId() {
        return seqId;
    }

    /** Best bid price or 0 when there is none. */
    public long bestBid() {
        PriceLevel l = bids.best();
        return l == null ? 0 : l.price;
    }

    /** Best ask price or 0 when there is none. */
    public long bestAsk() {
        PriceLevel l = asks.best();
        return l == null ? 0 : l.price;
    }

    public int levelCount(Side side) {
        return side(side).levelCount();
    }

    /** Number of resting orders on both sides (walks the levels; not for the hot path). */
    public int orderCount() {
        int n = 0;
        for (BookSide s : new BookSide[] {bids, asks}) {
            for (int i = 0; i < s.levelCount(); i++) {
                n += s.levelFromBest(i).orderCount;
            }
        }
        return n;
    }

    /**
     * Copies up to {@code max} levels of {@code side}, best first, into the arrays; returns how many.
     * Allocation-free so that snapshots can be taken on the engine thread.
     */
    public int depth(Side side, int max, long[] prices, long[] sizes, int[] orderCounts) {
        BookSide s = side(side);
        int n = Math.min(max, s.levelCount());
        for (int i = 0; i < n; i++) {
            PriceLevel l = s.levelFromBest(i);
            prices[i] = l.price;
            sizes[i] = l.totalSize;
            if (orderCounts != null) {
                orderCounts[i] = l.orderCount;
            }
        }
        return n;
    }

    /** Aggregated size resting at exactly {@code price} on {@code side} (0 if none). */
    public long sizeAt(Side side, long price) {
        PriceLevel l = side(side).find(price);
        return l == null ? 0 : l.totalSize;
    }

    /** Number of orders resting at exactly {@code price} on {@code side}. */
    public int ordersAt(Side side, long price) {
        PriceLevel l = side(side).find(price);
        return l == null ? 0 : l.orderCount;
    }

    /** Order ids at {@code price} in time priority (test and diagnostics helper; allocates). */
    public long[] queueAt(Side side, long price) {
        PriceLevel l = side(side).find(price);
        if (l == null) {
            return new long[0];
        }
        long[] ids = new long[l.orderCount];
        int i = 0;
        for (Order o = l.head; o != null; o = o.next) {
            ids[i++] = o.orderId;
        }
        return ids;
    }
}
