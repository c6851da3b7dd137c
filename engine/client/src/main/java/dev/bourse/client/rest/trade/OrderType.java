package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.Json;

/** OKX's order type (Bourse serves limit, market, post_only, ioc, fok). */
public enum OrderType implements Json.Okx {
    LIMIT("limit"),
    MARKET("market"),
    POST_ONLY("post_only"),
    IOC("ioc"),
    FOK("fok"),
    OPTIMAL_LIMIT_IOC("optimal_limit_ioc");

    private final String okx;

    OrderType(String okx) {
        this.okx = okx;
    }

    @Override
    public String okx() {
        return okx;
    }
}
