package dev.bourse.client.book;

/** After applying a message, the CRC32 of the local top 25 levels differs from the {@code checksum} the server sent. */
public final class OrderBookChecksumException extends OrderBookException {
    private final long seqId;
    private final int expected;
    private final int actual;

    public OrderBookChecksumException(BookKey key, long seqId, int expected, int actual) {
        super(key, "checksum mismatch at seqId " + seqId + ": server " + expected + ", local " + actual);
        this.seqId = seqId;
        this.expected = expected;
        this.actual = actual;
    }

    public long seqId() {
        return seqId;
    }

    /** The server's checksum. */
    public int expected() {
        return expected;
    }

    /** The local book's checksum. */
    public int actual() {
        return actual;
    }
}
