package dev.bourse.order;

/** OKX {@code ordType} values Bourse matches. */
public enum OrderType {
    /** Rests on the book after taking what crosses. */
    LIMIT("limit"),
    /** Takes liquidity up to the price band; the rest is canceled. */
    MARKET("market"),
    /** Rejected if it would take liquidity; otherwise rests as a maker. */
    POST_ONLY("post_only"),
    /** Immediate-or-cancel: takes what crosses at its limit, cancels the rest. */
    IOC("ioc"),
    /** Fill-or-kill: fills completely at its limit or is rejected without touching the book. */
    FOK("fok");

    private final String okx;

    OrderType(String okx) {
        this.okx = okx;
    }

    public String okx() {
        return okx;
    }

    /** The type OKX calls {@code okx} ({@code post_only}, ...), or null for a value Bourse does not match. */
    public static OrderType fromOkx(String okx) {
        for (OrderType t : values()) {
            if (t.okx.equals(okx)) {
                return t;
            }
        }
        return null;
    }

    public boolean rests() {
        return this == LIMIT || this == POST_ONLY;
    }

    public boolean priced() {
        return this != MARKET;
    }
}
