package dev.bourse.client.book;

/**
 * The local book can no longer be trusted. The book is marked not ready; recover with a reset and a new snapshot
 * (unsubscribe, {@link OrderBookStore#reset(BookKey)}, subscribe: {@link OrderBookFeed#resync}).
 */
public abstract class OrderBookException extends RuntimeException {
    private final BookKey key;

    protected OrderBookException(BookKey key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public BookKey key() {
        return key;
    }
}
