package dev.bourse.server.shard;

import dev.bourse.order.CancelReason;
import dev.bourse.order.OrderState;
import dev.bourse.order.OrderType;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;

/**
 * An order as stored in the {@code orders} table: an immutable copy of the engine's view, plus the OKX
 * {@code tag} the shard keeps beside the engine (the matching core has no use for it; null when none).
 */
public record OrderRecord(long ordId, int shardId, String instId, long userId, String clOrdId, String tag, Side side,
                          OrderType type, StpMode stp, TargetCurrency tgtCcy, long px, long sz, long filledSz,
                          long filledQuote, long remainingSz, long held, long fee, OrderState state,
                          CancelReason cancelReason, long queueSeq, long createdSeq, long updatedSeq, long createdAt,
                          long updatedAt) {

    static OrderRecord of(OrderView o, int shardId, String instId, String tag, CancelReason reason, long queueSeq,
                          long createdSeq, long updatedSeq) {
        return new OrderRecord(o.orderId(), shardId, instId, o.userId(), o.clOrdId(), tag, o.side(), o.type(), o.stpMode(),
                o.targetCurrency(), o.price(), o.size(), o.filledSize(), o.filledQuote(), o.remainingSize(), o.held(),
                o.fee(), o.state(), reason, queueSeq, createdSeq, updatedSeq, o.createdAt(), o.updatedAt());
    }

    public boolean live() {
        return !state.done();
    }
}
