package dev.bourse.server.events;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs a recurring problem at most once per interval with the number of occurrences suppressed in
 * between, so an outage of Redis (thousands of failed publishes per second) does not flood the log.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    void warn(String message, Throwable cause) {
        long now = System.nanoTime();
        long next = nextAt.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAt.compareAndSet(next, now + intervalNanos)) {
            long n = suppressed.getAndSet(0);
            String text = n == 0 ? message : message + " (" + n + " similar messages suppressed)";
            log.log(Level.WARNING, text + (cause == null ? "" : ": " + cause));
        } else {
            suppressed.incrementAndGet();
        }
    }
}
