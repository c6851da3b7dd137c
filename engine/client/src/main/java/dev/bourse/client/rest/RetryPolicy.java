package dev.bourse.client.rest;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries of idempotent GETs (POSTs are never retried: an order sent twice may be executed twice). Retried: no
 * answer (connection failure, timeout), HTTP 429/5xx, and the codes that mean "try again" (50001 unavailable,
 * 50004 timed out, 50011 rate limited, 50013 busy, 50026 system error). Delays grow exponentially from
 * {@code baseDelay} to {@code maxDelay}, jittered down by up to half, and never run past the call's deadline.
 *
 * @param maxAttempts attempts in all (1 = no retry)
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay");
        }
    }

    /** 3 attempts, 100 ms doubling up to 2 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** The pause before retry number {@code retry} (1 = the first retry). */
    public long delayNanos(int retry) {
        long base = baseDelay.toNanos();
        long max = maxDelay.toNanos();
        long d = base;
        for (int i = 1; i < retry && d < max; i++) {
            d *= 2;
        }
        d = Math.min(d, max);
        return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
    }
}
