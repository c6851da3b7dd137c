package dev.bourse.client.rest.gate;

import java.time.Duration;
import java.util.Objects;

/**
 * A request budget: at most {@code limit} permits (requests, or orders for batch endpoints) in any {@code window}.
 *
 * @param rule the rule it applies to: the endpoint path below {@code /api/v5/} ({@code trade/order},
 *             {@code market/books}), {@code trade/order-details} for {@code GET trade/order}, or {@code account} for
 *             the account-wide order rate
 */
public record RouteLimit(String rule, int limit, Duration window) {
    public RouteLimit {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(window, "window");
        if (limit < 1) {
            throw new IllegalArgumentException("limit of " + rule + " must be at least 1: " + limit);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window of " + rule + " must be positive: " + window);
        }
    }

    public static RouteLimit of(String rule, int limit, Duration window) {
        return new RouteLimit(rule, limit, window);
    }
}
