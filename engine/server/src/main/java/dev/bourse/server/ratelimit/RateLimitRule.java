package dev.bourse.server.ratelimit;

/**
 * A fixed limit: at most {@code limit} permits (requests, or orders for batch endpoints) per window of
 * {@code windowMillis}, counted per {@code scope}. Named after the endpoint path below {@code /api/v5/}
 * (e.g. {@code trade/order}); {@code account} is the account-wide order limit.
 */
public record RateLimitRule(String name, int limit, long windowMillis, RateLimitScope scope) {

    public RateLimitRule {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("rule name is empty");
        }
        if (limit < 0) {
            throw new IllegalArgumentException(name + ": limit must not be negative");
        }
        if (windowMillis <= 0) {
            throw new IllegalArgumentException(name + ": window must be positive");
        }
    }

    public RateLimitRule withLimit(int newLimit) {
        return newLimit == limit ? this : new RateLimitRule(name, newLimit, windowMillis, scope);
    }

    /** OKX's notation, e.g. {@code 60/2s}. */
    public String spec() {
        return limit + "/" + (windowMillis % 1000 == 0 ? (windowMillis / 1000) + "s" : windowMillis + "ms");
    }
}
