package dev.bourse.server.marketdata;

import java.util.List;

/**
 * One change of a book (all level events of one engine command), as a {@code books} increment: the levels
 * of the 400-level view that changed (size "0" = gone from the view), chained by {@code prevSeqId} →
 * {@code seqId}, with the OKX checksum of the top 25 after applying it. {@code top5}/{@code bbo} are set
 * (non-null) only when the 5-level view or the best bid/ask changed, for {@code books5} and {@code bbo-tbt}.
 *
 * @param receivedNanos {@link System#nanoTime()} when the projection received the batch (push latency)
 */
public record BookUpdate(String instId, long prevSeqId, long seqId, long ts, int checksum, List<BookLevel> bids,
                         List<BookLevel> asks, BookDepth top5, BookDepth bbo, long receivedNanos) {
}
