package dev.bourse.server.control;

import java.util.Locale;

/**
 * What a switch lets through, from least to most restrictive; where several switches cover a command,
 * the most restrictive wins. Halting one symbol is its trading state (see the symbol endpoints), not a
 * switch mode. Cancels stay open in every mode but {@link #READ_ONLY}, so traders can
 * always release their held funds unless an operator froze everything on purpose.
 */
public enum SwitchMode {
    /** No restriction from this switch (it may still carry other settings: band, rate limit, ...). */
    NORMAL,
    /** New orders refused; amends and cancels accepted. */
    PAUSE_ORDERS,
    /** New orders and amends refused; cancels accepted. */
    CANCEL_ONLY,
    /** Queries only: orders, amends and cancels refused. */
    READ_ONLY;

    /** The name used on the wire: {@code pause_orders}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code pause_orders}, {@code PauseOrders} or {@code PAUSE_ORDERS}; null if unknown. */
    public static SwitchMode parse(String s) {
        if (s == null) {
            return null;
        }
        String k = s.replaceAll("([a-z])([A-Z])", "$1_$2").replace('-', '_').toUpperCase(Locale.ROOT);
        for (SwitchMode m : values()) {
            if (m.name().equals(k)) {
                return m;
            }
        }
        return null;
    }

    public static SwitchMode stricter(SwitchMode a, SwitchMode b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
