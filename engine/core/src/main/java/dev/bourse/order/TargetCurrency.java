package dev.bourse.order;

/** OKX {@code tgtCcy}: what a market order's size counts. Only market buys may use the quote currency. */
public enum TargetCurrency {
    BASE_CCY("base_ccy"), QUOTE_CCY("quote_ccy");

    private final String okx;

    TargetCurrency(String okx) {
        this.okx = okx;
    }

    public String okx() {
        return okx;
    }
}
