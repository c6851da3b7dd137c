package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.Json;

/** OKX's unit of a market order's sz (a market buy defaults to quote_ccy). */
public enum TargetCurrency implements Json.Okx {
    BASE_CCY("base_ccy"),
    QUOTE_CCY("quote_ccy");

    private final String okx;

    TargetCurrency(String okx) {
        this.okx = okx;
    }

    @Override
    public String okx() {
        return okx;
    }
}
