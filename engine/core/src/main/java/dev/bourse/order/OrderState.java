package dev.bourse.order;

/** OKX order {@code state} values. */
public enum OrderState {
    LIVE("live"), PARTIALLY_FILLED("partially_filled"), FILLED("filled"), CANCELED("canceled");

    private final String okx;

    OrderState(String okx) {
        this.okx = okx;
    }

    public String okx() {
        return okx;
    }

    public boolean done() {
        return this == FILLED || this == CANCELED;
    }
}
