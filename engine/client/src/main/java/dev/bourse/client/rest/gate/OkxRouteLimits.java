package dev.bourse.client.rest.gate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OKX's published per-endpoint limits (the "Rate Limit:" line of each endpoint's documentation, spot, non-VIP),
 * which Bourse enforces by default too. The gate starts from these; {@code trade/account-rate-limit} refreshes the
 * account-wide one.
 */
public final class OkxRouteLimits {
    private static final Duration TWO_SECONDS = Duration.ofSeconds(2);
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private OkxRouteLimits() {
    }

    public static Map<String, RouteLimit> defaults() {
        Map<String, RouteLimit> m = new LinkedHashMap<>();
        // order operations: per instrument, batch endpoints count orders
        put(m, "trade/order", 60, TWO_SECONDS);
        put(m, "trade/batch-orders", 300, TWO_SECONDS);
        put(m, "trade/cancel-order", 60, TWO_SECONDS);
        put(m, "trade/cancel-batch-orders", 300, TWO_SECONDS);
        put(m, "trade/amend-order", 60, TWO_SECONDS);
        put(m, "trade/amend-batch-orders", 300, TWO_SECONDS);
        put(m, "trade/order-details", 60, TWO_SECONDS);
        put(m, "trade/cancel-all-after", 1, ONE_SECOND);
        put(m, "trade/orders-pending", 60, TWO_SECONDS);
        put(m, "trade/orders-history", 40, TWO_SECONDS);
        put(m, "trade/orders-history-archive", 20, TWO_SECONDS);
        put(m, "trade/fills", 60, TWO_SECONDS);
        put(m, "trade/fills-history", 10, TWO_SECONDS);
        put(m, "trade/account-rate-limit", 1, ONE_SECOND);
        put(m, "account/balance", 10, TWO_SECONDS);
        put(m, "account/config", 5, TWO_SECONDS);
        put(m, "asset/currencies", 6, ONE_SECOND);
        put(m, "asset/balances", 6, ONE_SECOND);
        put(m, "asset/deposit-address", 6, ONE_SECOND);
        put(m, "asset/deposit-history", 6, ONE_SECOND);
        put(m, "asset/withdrawal", 6, ONE_SECOND);
        put(m, "asset/cancel-withdrawal", 6, ONE_SECOND);
        put(m, "asset/withdrawal-history", 6, ONE_SECOND);
        // public: per IP
        put(m, "public/time", 10, TWO_SECONDS);
        put(m, "public/instruments", 20, TWO_SECONDS);
        put(m, "public/underlying", 20, TWO_SECONDS);
        put(m, "market/tickers", 20, TWO_SECONDS);
        put(m, "market/ticker", 20, TWO_SECONDS);
        put(m, "market/books", 40, TWO_SECONDS);
        put(m, "market/candles", 40, TWO_SECONDS);
        put(m, "market/history-candles", 20, TWO_SECONDS);
        put(m, "market/trades", 100, TWO_SECONDS);
        put(m, "market/history-trades", 20, TWO_SECONDS);
        // new and amended orders over every instrument
        put(m, Cost.ACCOUNT, 1000, TWO_SECONDS);
        return m;
    }

    private static void put(Map<String, RouteLimit> m, String rule, int limit, Duration window) {
        m.put(rule, new RouteLimit(rule, limit, window));
    }
}
