package dev.bourse.order;

/** Self-trade prevention, applied by the taker's mode when it would match its own user's maker. */
public enum StpMode {
    /** Cancel the resting (maker) order and keep matching. OKX's default. */
    CANCEL_MAKER("cancel_maker"),
    /** Cancel the rest of the incoming (taker) order. */
    CANCEL_TAKER("cancel_taker"),
    /** Cancel both. */
    CANCEL_BOTH("cancel_both");

    private final String okx;

    StpMode(String okx) {
        this.okx = okx;
    }

    public String okx() {
        return okx;
    }
}
