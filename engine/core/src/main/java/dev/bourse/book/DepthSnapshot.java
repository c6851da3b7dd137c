package dev.bourse.book;

import dev.bourse.matching.OrderBook;
import dev.bourse.order.Side;

/**
 * A reusable copy of the top of a book (prices, aggregated sizes, order counts) with its seqId and
 * OKX checksum: what a {@code books}/{@code books5} snapshot is built from.
 */
public final class DepthSnapshot {
    private final int maxLevels;
    private final long[] bidPx;
    private final long[] bidSz;
    private final int[] bidCount;
    private final long[] askPx;
    private final long[] askSz;
    private final int[] askCount;
    private final BookChecksum checksum = new BookChecksum();
    private int bids;
    private int asks;
    private long seqId;

    public DepthSnapshot(int maxLevels) {
        this.maxLevels = maxLevels;
        bidPx = new long[maxLevels];
        bidSz = new long[maxLevels];
        bidCount = new int[maxLevels];
        askPx = new long[maxLevels];
        askSz = new long[maxLevels];
        askCount = new int[maxLevels];
    }

    /** Copies the top levels of {@code book}; call on the thread that owns the book. */
    public DepthSnapshot capture(OrderBook book) {
        bids = book.depth(Side.BUY, maxLevels, bidPx, bidSz, bidCount);
        asks = book.depth(Side.SELL, maxLevels, askPx, askSz, askCount);
        seqId = book.seqId();
        return this;
    }

    public int bidLevels() { return bids; }
    public int askLevels() { return asks; }
    public long bidPrice(int i) { return bidPx[i]; }
    public long bidSize(int i) { return bidSz[i]; }
    public int bidOrders(int i) { return bidCount[i]; }
    public long askPrice(int i) { return askPx[i]; }
    public long askSize(int i) { return askSz[i]; }
    public int askOrders(int i) { return askCount[i]; }
    public long seqId() { return seqId; }

    /** OKX checksum of the captured levels written at the given scales. */
    public int checksum(int priceScale, int sizeScale) {
        return checksum.compute(bidPx, bidSz, bids, askPx, askSz, asks, priceScale, sizeScale);
    }
}
