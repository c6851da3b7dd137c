package dev.bourse.order;

/**
 * Read-only view of an order handed to listeners. The object behind it is pooled by the engine: read
 * what you need during the callback and do not keep the reference.
 */
public interface OrderView {
    long orderId();

    long userId();

    int symbolId();

    String clOrdId();

    Side side();

    OrderType type();

    StpMode stpMode();

    TargetCurrency targetCurrency();

    /** Limit price; 0 for market orders. */
    long price();

    /** Ordered size in base units; for a quote-budget market buy, the budget in quote units. */
    long size();

    /** Base units filled so far. */
    long filledSize();

    /** Quote units exchanged so far (for the average price). */
    long filledQuote();

    /** Unfilled base size still working (0 for a quote-budget market buy). */
    long remainingSize();

    /** Funds currently held for this order (quote for buys, base for sells). */
    long held();

    /** Fees paid so far, in the asset this order receives; negative for rebates. */
    long fee();

    OrderState state();

    long createdAt();

    long updatedAt();
}
