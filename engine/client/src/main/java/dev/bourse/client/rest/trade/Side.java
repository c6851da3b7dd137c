package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.Json;

/** OKX's order side. */
public enum Side implements Json.Okx {
    BUY("buy"),
    SELL("sell");

    private final String okx;

    Side(String okx) {
        this.okx = okx;
    }

    @Override
    public String okx() {
        return okx;
    }
}
