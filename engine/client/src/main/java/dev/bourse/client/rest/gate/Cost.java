package dev.bourse.client.rest.gate;

import java.util.Objects;

/**
 * What one request takes from the gate's budgets: {@code permits} of rule {@code rule}, counted under {@code key}.
 * OKX counts order operations per instrument, so their key names the instrument ({@code trade/order@BTC-USDT});
 * other rules count per user or IP, which for one client is the rule itself.
 */
public record Cost(String rule, String key, int permits) {
    /** The account-wide limit on new and amended orders (OKX: 1000 per 2 s, code 50061). */
    public static final String ACCOUNT = "account";

    public Cost {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(key, "key");
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1: " + permits);
        }
    }

    /** One request of {@code rule}. */
    public static Cost of(String rule) {
        return new Cost(rule, rule, 1);
    }

    /** {@code permits} of {@code rule} for one instrument. */
    public static Cost perInstrument(String rule, String instId, int permits) {
        return new Cost(rule, instId == null ? rule : rule + "@" + instId, permits);
    }

    /** {@code orders} new or amended orders against the account-wide limit. */
    public static Cost account(int orders) {
        return new Cost(ACCOUNT, ACCOUNT, orders);
    }
}
