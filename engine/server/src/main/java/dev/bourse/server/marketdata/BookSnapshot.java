package dev.bourse.server.marketdata;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.book.DepthSnapshot;
import dev.bourse.fixed.Decimals;

/**
 * A commit-consistent copy of a whole book (every level, best first) with its {@code seqId}: what the
 * projection starts a book from. Take it on the shard's sequencer thread between batches (or from the
 * owning pod's internal API), never from a book being matched.
 */
public record BookSnapshot(long seqId, long[] bidPx, long[] bidSz, int[] bidOrders, long[] askPx, long[] askSz,
                           int[] askOrders) {

    /** Copies a captured {@link DepthSnapshot}; capture it with enough levels for the whole book. */
    public static BookSnapshot of(DepthSnapshot d) {
        int nb = d.bidLevels();
        int na = d.askLevels();
        long[] bp = new long[nb];
        long[] bs = new long[nb];
        int[] bc = new int[nb];
        long[] ap = new long[na];
        long[] as = new long[na];
        int[] ac = new int[na];
        for (int i = 0; i < nb; i++) {
            bp[i] = d.bidPrice(i);
            bs[i] = d.bidSize(i);
            bc[i] = d.bidOrders(i);
        }
        for (int i = 0; i < na; i++) {
            ap[i] = d.askPrice(i);
            as[i] = d.askSize(i);
            ac[i] = d.askOrders(i);
        }
        return new BookSnapshot(d.seqId(), bp, bs, bc, ap, as, ac);
    }

    /**
     * The book an owning pod answered on {@code GET /internal/v1/depth} ({@code data[0]}: levels
     * {@code [px, sz, orderCount]} as decimal text, {@code seqId}), converted exactly at the given scales.
     */
    public static BookSnapshot fromInternalDepth(JsonNode depth, int priceScale, int sizeScale) {
        JsonNode bids = depth.path("bids");
        JsonNode asks = depth.path("asks");
        long[] bp = new long[bids.size()];
        long[] bs = new long[bids.size()];
        int[] bc = new int[bids.size()];
        long[] ap = new long[asks.size()];
        long[] as = new long[asks.size()];
        int[] ac = new int[asks.size()];
        for (int i = 0; i < bp.length; i++) {
            JsonNode lv = bids.get(i);
            bp[i] = Decimals.parse(lv.get(0).asText(), priceScale);
            bs[i] = Decimals.parse(lv.get(1).asText(), sizeScale);
            bc[i] = lv.get(2).asInt();
        }
        for (int i = 0; i < ap.length; i++) {
            JsonNode lv = asks.get(i);
            ap[i] = Decimals.parse(lv.get(0).asText(), priceScale);
            as[i] = Decimals.parse(lv.get(1).asText(), sizeScale);
            ac[i] = lv.get(2).asInt();
        }
        if (!depth.path("seqId").canConvertToLong()) {
            throw new IllegalArgumentException("depth without seqId: " + depth);
        }
        return new BookSnapshot(depth.path("seqId").asLong(), bp, bs, bc, ap, as, ac);
    }

    /** A book with no levels at {@code seqId}. */
    public static BookSnapshot empty(long seqId) {
        return new BookSnapshot(seqId, new long[0], new long[0], new int[0], new long[0], new long[0], new int[0]);
    }
}
