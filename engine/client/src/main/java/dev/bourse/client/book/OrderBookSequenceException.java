package dev.bourse.client.book;

/** An update does not follow the last one applied: its {@code prevSeqId} is not the book's {@code seqId}. Nothing was applied. */
public final class OrderBookSequenceException extends OrderBookException {
    private final long expectedPrevSeqId;
    private final long prevSeqId;
    private final long seqId;

    public OrderBookSequenceException(BookKey key, long expectedPrevSeqId, long prevSeqId, long seqId) {
        super(key, "sequence gap: update prevSeqId " + prevSeqId + " (seqId " + seqId + ") does not follow seqId "
                + expectedPrevSeqId);
        this.expectedPrevSeqId = expectedPrevSeqId;
        this.prevSeqId = prevSeqId;
        this.seqId = seqId;
    }

    /** The seqId of the last message applied. */
    public long expectedPrevSeqId() {
        return expectedPrevSeqId;
    }

    public long prevSeqId() {
        return prevSeqId;
    }

    public long seqId() {
        return seqId;
    }
}
