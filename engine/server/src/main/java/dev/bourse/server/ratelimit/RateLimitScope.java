package dev.bourse.server.ratelimit;

/** What a rule counts per, as OKX states it under "Rate limit rule". */
public enum RateLimitScope {
    /** Public endpoints: per client IP address. */
    IP,
    /** Private endpoints: per user id. */
    USER,
    /** Trading endpoints: per user id and instrument id. */
    USER_INST,
    /** The account-wide order limit (new and amended orders over every instrument): per user id. */
    ACCOUNT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
