package dev.bourse.server.ratelimit;

/**
 * A request refused by a rate limit, in OKX's terms: 50011 with HTTP 429 for an endpoint limit, 50061
 * (HTTP 200, as OKX documents it) for the account-wide order limit.
 */
public record RateLimitRefusal(String code, String msg, int httpStatus, String rule) {
    public static final String TOO_MANY_REQUESTS = "50011";
    public static final String ACCOUNT_ORDER_LIMIT = "50061";

    static RateLimitRefusal endpoint(String rule) {
        return new RateLimitRefusal(TOO_MANY_REQUESTS, "Too Many Requests", 429, rule);
    }

    static RateLimitRefusal account() {
        return new RateLimitRefusal(ACCOUNT_ORDER_LIMIT, "You've reached the maximum order rate limit for this account.",
                200, RateLimitRules.ACCOUNT);
    }
}
