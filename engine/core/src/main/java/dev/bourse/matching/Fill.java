package dev.bourse.matching;

import dev.bourse.order.Side;

final class Fill implements FillView {
    long tradeId;
    int symbolId;
    long price;
    long size;
    long quoteAmount;
    Side takerSide;
    long takerOrderId;
    long takerUserId;
    long makerOrderId;
    long makerUserId;
    long takerFee;
    int takerFeeAsset;
    long makerFee;
    int makerFeeAsset;
    long timestamp;

    @Override public long tradeId() { return tradeId; }
    @Override public int symbolId() { return symbolId; }
    @Override public long price() { return price; }
    @Override public long size() { return size; }
    @Override public long quoteAmount() { return quoteAmount; }
    @Override public Side takerSide() { return takerSide; }
    @Override public long takerOrderId() { return takerOrderId; }
    @Override public long takerUserId() { return takerUserId; }
    @Override public long makerOrderId() { return makerOrderId; }
    @Override public long makerUserId() { return makerUserId; }
    @Override public long takerFee() { return takerFee; }
    @Override public int takerFeeAsset() { return takerFeeAsset; }
    @Override public long makerFee() { return makerFee; }
    @Override public int makerFeeAsset() { return makerFeeAsset; }
    @Override public long timestamp() { return timestamp; }
}
