package dev.bourse.matching;

import dev.bourse.order.OrderState;
import dev.bourse.order.OrderType;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;

/**
 * A working order. Mutable and pooled by the engine (allocation-free steady state); it is linked into
 * its price level's FIFO and into its user's list of live orders.
 */
final class Order implements OrderView {
    long orderId;
    long userId;
    int symbolId;
    String clOrdId;
    Side side;
    OrderType type;
    StpMode stpMode;
    TargetCurrency targetCurrency;
    long price;
    long holdPrice; // price the unfilled base size of a buy is held at (limit, or band edge for market buys)
    long size;
    long filledSize;
    long filledQuote;
    long remainingSize;
    long quoteBudgetLeft;
    long held;
    long fee;
    OrderState state;
    long createdAt;
    long updatedAt;

    // intrusive links: price level FIFO and the owner's live-order list
    Order prev;
    Order next;
    PriceLevel level;
    Order userPrev;
    Order userNext;

    Order() {
    }

    @Override public long orderId() { return orderId; }
    @Override public long userId() { return userId; }
    @Override public int symbolId() { return symbolId; }
    @Override public String clOrdId() { return clOrdId; }
    @Override public Side side() { return side; }
    @Override public OrderType type() { return type; }
    @Override public StpMode stpMode() { return stpMode; }
    @Override public TargetCurrency targetCurrency() { return targetCurrency; }
    @Override public long price() { return price; }
    @Override public long size() { return size; }
    @Override public long filledSize() { return filledSize; }
    @Override public long filledQuote() { return filledQuote; }
    @Override public long remainingSize() { return remainingSize; }
    @Override public long held() { return held; }
    @Override public long fee() { return fee; }
    @Override public OrderState state() { return state; }
    @Override public long createdAt() { return createdAt; }
    @Override public long updatedAt() { return updatedAt; }

    @Override
    public String toString() {
        return "Order[" + orderId + " u" + userId + " " + side + " " + type + " px=" + price + " sz=" + size
                + " filled=" + filledSize + " rem=" + remainingSize + " held=" + held + " " + state + "]";
    }
}
