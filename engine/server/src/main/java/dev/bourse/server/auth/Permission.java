package dev.bourse.server.auth;

/** What an API key may do, as OKX names it: {@code read_only}, {@code trade}, {@code withdraw}. */
public enum Permission {
    READ("read_only"), TRADE("trade"), WITHDRAW("withdraw");

    private final String okx;

    Permission(String okx) {
        this.okx = okx;
    }

    public String okx() {
        return okx;
    }
}
