package dev.bourse.order;

public enum Side {
    BUY("buy"), SELL("sell");

    private final String okx;

    Side(String okx) {
        this.okx = okx;
    }

    public String okx() {
        return okx;
    }

    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }
}
