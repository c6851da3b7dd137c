package dev.bourse.client.book;

/** An update arrived for a book that has no snapshot (never had one, was reset, or failed a check). Nothing was applied. */
public final class OrderBookNotReadyException extends OrderBookException {
    public OrderBookNotReadyException(BookKey key, long seqId) {
        super(key, "update (seqId " + seqId + ") before a snapshot");
    }
}
