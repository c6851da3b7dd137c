package dev.bourse.matching;

import dev.bourse.funds.PostingSet;
import dev.bourse.instrument.SymbolState;
import dev.bourse.order.CancelReason;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;

/**
 * Everything the engine does, as events, in the order it happened. Called on the engine thread; the
 * views passed in are reused, so copy what you keep. Implementations must not throw.
 *
 * <p>Order of events for a place: postings (hold), accepted, then per fill: postings (fill), fill,
 * maker updated, book level; then the taker's final update, or its cancel (with release postings),
 * or the level it rests on.
 */
public interface EngineListener {
    EngineListener NONE = new EngineListener() {
    };

    default void onCommandRejected(long seq, Command command, RejectReason reason) {
    }

    default void onOrderAccepted(long seq, OrderView order) {
    }

    /** An amend was applied; {@code keptPriority} is false when the order lost its place in the queue. */
    default void onOrderAmended(long seq, OrderView order, boolean keptPriority) {
    }

    /** An order's fill state changed (partially filled, filled) or it came to rest. */
    default void onOrderUpdated(long seq, OrderView order) {
    }

    default void onOrderCanceled(long seq, OrderView order, CancelReason reason) {
    }

    default void onFill(long seq, FillView fill) {
    }

    /** New aggregate of one price level; size 0 means the level is gone. */
    default void onBookLevel(long seq, int symbolId, Side side, long price, long size, int orderCount, long bookSeqId) {
    }

    default void onPostings(long seq, PostingSet postings) {
    }

    default void onSymbolState(long seq, int symbolId, SymbolState from, SymbolState to, StateChangeReason reason) {
    }
}
