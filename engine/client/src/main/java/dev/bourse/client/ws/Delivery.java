package dev.bourse.client.ws;

/**
 * How handlers are called: {@link #inline()} on okhttp's reader thread (lowest latency; a slow handler delays
 * every message and the pong behind it), or {@link #async(int, QueuePolicy)} from a bounded queue by one worker
 * thread per kind (typed, raw), so the reader keeps reading.
 */
public record Delivery(int capacity, QueuePolicy policy) {
    public static final int DEFAULT_CAPACITY = 4096;

    public Delivery {
        if (capacity < 0) {
            throw new IllegalArgumentException("queue capacity must be >= 0: " + capacity);
        }
        if (capacity > 0 && policy == null) {
            throw new IllegalArgumentException("an asynchronous delivery needs a queue policy");
        }
    }

    public static Delivery inline() {
        return new Delivery(0, null);
    }

    public static Delivery async(int capacity, QueuePolicy policy) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("queue capacity must be > 0: " + capacity);
        }
        return new Delivery(capacity, policy);
    }

    public boolean isInline() {
        return capacity == 0;
    }
}
