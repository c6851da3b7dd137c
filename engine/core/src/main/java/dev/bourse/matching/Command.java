package dev.bourse.matching;

import dev.bourse.instrument.SymbolState;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;

/**
 * One instruction for the engine. Mutable so that a hot loop can reuse one instance; the server keeps
 * one per queued request. Prices and sizes are scaled {@code long}s of the symbol's instrument.
 * After {@link MatchingEngine#execute} the result fields say what happened.
 */
public final class Command {
    CommandType type;
    long userId;
    int symbolId = -1;
    Side side;
    OrderType orderType;
    StpMode stpMode;
    TargetCurrency targetCurrency;
    long price;
    long size;
    String clOrdId;
    long orderId;
    long newPrice;
    long newSize;
    SymbolState targetState;
    long timestamp;

    // results
    long sequence;
    long resultOrderId;
    int resultCount;
    RejectReason rejectReason;

    private Command clear(CommandType t, long userId, int symbolId, long timestamp) {
        this.type = t;
        this.userId = userId;
        this.symbolId = symbolId;
        this.timestamp = timestamp;
        side = null;
        orderType = null;
        stpMode = null;
        targetCurrency = null;
        price = 0;
        size = 0;
        clOrdId = null;
        orderId = 0;
        newPrice = 0;
        newSize = 0;
        targetState = null;
        sequence = 0;
        resultOrderId = 0;
        resultCount = 0;
        rejectReason = null;
        return this;
    }

    /**
     * A new order. {@code price} is ignored for market orders; for a market buy with
     * {@link TargetCurrency#QUOTE_CCY} the {@code size} is the quote amount to spend.
     */
    public Command place(long userId, int symbolId, Side side, OrderType type, long price, long size,
                         String clOrdId, StpMode stp, long timestamp) {
        clear(CommandType.PLACE, userId, symbolId, timestamp);
        this.side = side;
        this.orderType = type;
        this.price = price;
        this.size = size;
        this.clOrdId = clOrdId;
        this.stpMode = stp;
        this.targetCurrency = TargetCurrency.BASE_CCY;
        return this;
    }

    /** Sets OKX {@code tgtCcy} on a place command. */
    public Command targetCurrency(TargetCurrency ccy) {
        this.targetCurrency = ccy;
        return this;
    }

    /** Cancel by order id (when {@code orderId} > 0) or else by client order id. */
    public Command cancel(long userId, int symbolId, long orderId, String clOrdId, long timestamp) {
        clear(CommandType.CANCEL, userId, symbolId, timestamp);
        this.orderId = orderId;
        this.clOrdId = clOrdId;
        return this;
    }

    /**
     * Amend: {@code newSize} is the new total size including what has filled (OKX {@code newSz}),
     * {@code newPrice} the new price; 0 leaves a field unchanged.
     */
    public Command amend(long userId, int symbolId, long orderId, String clOrdId, long newSize, long newPrice,
                         long timestamp) {
        clear(CommandType.AMEND, userId, symbolId, timestamp);
        this.orderId = orderId;
        this.clOrdId = clOrdId;
        this.newSize = newSize;
        this.newPrice = newPrice;
        return this;
    }

    /** Cancels all live orders of a user, on one symbol or (symbolId &lt; 0) on every symbol. */
    public Command massCancel(long userId, int symbolId, long timestamp) {
        return clear(CommandType.MASS_CANCEL, userId, symbolId, timestamp);
    }

    /** Operator command: move a symbol to {@code state} (resuming a halted symbol is explicit). */
    public Command setSymbolState(int symbolId, SymbolState state, long timestamp) {
        clear(CommandType.SET_SYMBOL_STATE, 0, symbolId, timestamp);
        this.targetState = state;
        return this;
    }

    public CommandType type() { return type; }
    public long userId() { return userId; }
    public int symbolId() { return symbolId; }
    public Side side() { return side; }
    public OrderType orderType() { return orderType; }
    public StpMode stpMode() { return stpMode; }
    public TargetCurrency targetCurrency() { return targetCurrency; }
    public long price() { return price; }
    public long size() { return size; }
    public String clOrdId() { return clOrdId; }
    public long orderId() { return orderId; }
    public long newPrice() { return newPrice; }
    public long newSize() { return newSize; }
    public SymbolState targetState() { return targetState; }
    public long timestamp() { return timestamp; }

    /** Engine sequence number assigned to this command. */
    public long sequence() { return sequence; }

    /** The order the command created or acted on (0 if none). */
    public long resultOrderId() { return resultOrderId; }

    /** Orders canceled by a mass cancel. */
    public int resultCount() { return resultCount; }

    /** Why the command was rejected, or {@code null} if it was accepted. */
    public RejectReason rejectReason() { return rejectReason; }

    @Override
    public String toString() {
        return "Command[" + type + " u" + userId + " s" + symbolId + " " + side + " " + orderType + " px=" + price
                + " sz=" + size + " clOrdId=" + clOrdId + " ordId=" + orderId + " newPx=" + newPrice + " newSz="
                + newSize + " state=" + targetState + " ts=" + timestamp + "]";
    }
}
