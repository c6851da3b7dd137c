package dev.bourse.server.marketdata;

import java.util.List;

/** One price level as OKX sends it: price and size as exact decimal text, and its number of orders. */
public record BookLevel(String px, String sz, int orders) {

    /** {@code ["px","sz","0","orders"]} (the third field is OKX's deprecated liquidated-orders count). */
    public List<String> toOkx() {
        return List.of(px, sz, "0", Integer.toString(orders));
    }
}
