package dev.bourse.server.events;

import dev.bourse.instrument.SymbolState;
import dev.bourse.order.Side;
import dev.bourse.server.shard.FillRecord;
import dev.bourse.server.shard.OrderRecord;

/** What a committed batch tells the world. Published only after the batch's transaction committed. */
public sealed interface EngineEvent {

    /** An order's state as committed after one command (accepted, filled, amended, canceled). */
    record OrderEvent(long seq, OrderRecord order) implements EngineEvent {
    }

    record TradeEvent(long seq, FillRecord fill) implements EngineEvent {
    }

    /** New aggregate of one price level; size 0 means the level is gone. */
    record BookLevelEvent(long seq, String instId, Side side, long px, long sz, int orderCount, long bookSeqId)
            implements EngineEvent {
    }

    record SymbolStateEvent(long seq, String instId, SymbolState from, SymbolState to, String reason)
            implements EngineEvent {
    }

    /** Net change of one balance row made by the batch (the row itself is shared by all shards). */
    record BalanceEvent(long accountId, int assetId, long availableDelta, long heldDelta) implements EngineEvent {
    }
}
