package dev.bourse.order;

/** Why an order (or its unfilled rest) was canceled, with OKX's {@code cancelSource} code. */
public enum CancelReason {
    USER(1),
    MASS_CANCEL(1),
    /** An amend set the size at or below what had already filled. */
    AMEND_BELOW_FILLED(1),
    IOC_REMAINDER(14),
    /** A market order ran out of liquidity (an order that spent its whole quote budget ends FILLED instead). */
    MARKET_REMAINDER(14),
    /** A market order reached the price protection band. */
    PRICE_BAND(15),
    SELF_TRADE_PREVENTION(32),
    /** The symbol's circuit breaker tripped while this order was taking. */
    CIRCUIT_BREAKER(0),
    /** Canceled by the system (operator, switch, or symbol removal). */
    SYSTEM(0);

    private final int okxCancelSource;

    CancelReason(int okxCancelSource) {
        this.okxCancelSource = okxCancelSource;
    }

    public int okxCancelSource() {
        return okxCancelSource;
    }
}
