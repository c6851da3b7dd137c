package dev.bourse.server.ratelimit;

/**
 * What {@code GET /api/v5/trade/account-rate-limit} reports: the account-wide order limit per 2 s now
 * ({@code accRateLimit}) and in the next period ({@code nextAccRateLimit}; the same here, no fill-ratio
 * tiers), the orders counted in the current window and when it ends, and {@code ts} (now, as OKX
 * reports for accounts below VIP 5).
 */
public record AccountRateLimit(int accRateLimit, int nextAccRateLimit, int used, long windowEndsAt, long ts) {
}
