package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.Json;

/** OKX's trade mode; spot trading is cash. */
public enum TradeMode implements Json.Okx {
    CASH("cash"),
    CROSS("cross"),
    ISOLATED("isolated"),
    SPOT_ISOLATED("spot_isolated");

    private final String okx;

    TradeMode(String okx) {
        this.okx = okx;
    }

    @Override
    public String okx() {
        return okx;
    }
}
