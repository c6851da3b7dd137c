package dev.bourse.matching;

/**
 * Why a command was refused. Each reason maps to exactly one OKX V5 error code ({@code sCode}); a
 * rejected command changes nothing.
 */
public enum RejectReason {
    INSTRUMENT_NOT_FOUND("51001", "Instrument ID doesn't exist."),
    SYMBOL_HALTED("50033", "Instrument blocked: trading is halted for this symbol."),
    SYMBOL_CANCEL_ONLY("51056", "Action not allowed: the symbol is in cancel-only mode."),
    INVALID_SIDE("51000", "Parameter side error"),
    INVALID_ORDER_TYPE("51000", "Parameter ordType error"),
    INVALID_SIZE("51000", "Parameter sz error"),
    INVALID_PRICE("51000", "Parameter px error"),
    INVALID_CL_ORD_ID("51000", "Parameter clOrdId error"),
    INVALID_TGT_CCY("51000", "Parameter tgtCcy error: only market buys may size in the quote currency"),
    MARKET_BUY_UNBOUNDED("51000", "Parameter tgtCcy error: this symbol has no price band or reference price; size market buys with tgtCcy=quote_ccy"),
    PRICE_NOT_ON_TICK("51150", "The precision of the price exceeds the tick size."),
    SIZE_NOT_ON_LOT("51121", "Order quantity must be a multiple of the lot size."),
    SIZE_BELOW_MIN("51020", "Your order should meet or exceed the minimum order amount."),
    SIZE_ABOVE_MAX("51203", "Order amount exceeds the limit."),
    AMOUNT_OVERFLOW("51202", "Order amount exceeds the maximum amount."),
    PRICE_OUT_OF_BAND("51006", "Order price is not within the price limit."),
    INSUFFICIENT_BALANCE("51008", "Order failed. Insufficient balance in account."),
    POST_ONLY_WOULD_TAKE("51511", "The order price did not meet the requirement for Post Only: it would take liquidity."),
    FOK_NOT_FILLABLE("51140", "Fill-or-kill order cannot be filled completely at its price."),
    STP_FOK_CANCEL_BOTH("54036", "You can't place fill or kill orders when self-trade prevention is set to both maker and taker orders."),
    DUPLICATE_CL_ORD_ID("51016", "Client order ID already exists."),
    ORDER_ID_REQUIRED("51407", "Either order ID or client order ID is required."),
    CANCEL_ORDER_NOT_FOUND("51400", "Order cancellation failed as the order has been filled, canceled or does not exist."),
    AMEND_ORDER_NOT_FOUND("51503", "Your order has already been filled or canceled."),
    AMEND_NOTHING("51500", "You must enter a price or quantity."),
    AMEND_POST_ONLY_WOULD_TAKE("51511", "Modification failed as the order price did not meet the requirement for Post Only."),
    INVALID_STATE("51000", "Parameter state error"),
    UNKNOWN_COMMAND("51000", "Parameter command error");

    private final String okxCode;
    private final String message;

    RejectReason(String okxCode, String message) {
        this.okxCode = okxCode;
        this.message = message;
    }

    /** OKX V5 {@code sCode}. */
    public String okxCode() {
        return okxCode;
    }

    /** OKX-style {@code sMsg}. */
    public String message() {
        return message;
    }
}
