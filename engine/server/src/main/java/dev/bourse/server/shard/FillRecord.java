package dev.bourse.server.shard;

import dev.bourse.matching.FillView;
import dev.bourse.order.Side;

/** A trade as stored in the {@code fills} table. */
public record FillRecord(long tradeId, int shardId, long seq, String instId, long px, long sz, long quoteAmt,
                         Side takerSide, long takerOrdId, long takerUserId, long makerOrdId, long makerUserId,
                         long takerFee, int takerFeeAsset, long makerFee, int makerFeeAsset, long ts) {

    static FillRecord of(FillView f, int shardId, long seq, String instId) {
        return new FillRecord(f.tradeId(), shardId, seq, instId, f.price(), f.size(), f.quoteAmount(), f.takerSide(),
                f.takerOrderId(), f.takerUserId(), f.makerOrderId(), f.makerUserId(), f.takerFee(), f.takerFeeAsset(),
                f.makerFee(), f.makerFeeAsset(), f.timestamp());
    }
}
