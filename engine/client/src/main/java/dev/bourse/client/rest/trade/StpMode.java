package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.Json;

/** OKX's self-trade prevention (cancel_maker is the default). */
public enum StpMode implements Json.Okx {
    CANCEL_MAKER("cancel_maker"),
    CANCEL_TAKER("cancel_taker"),
    CANCEL_BOTH("cancel_both");

    private final String okx;

    StpMode(String okx) {
        this.okx = okx;
    }

    @Override
    public String okx() {
        return okx;
    }
}
