package dev.bourse.matching;

import dev.bourse.order.Side;

/** A trade between a taker and a resting maker. Reused by the engine: copy during the callback. */
public interface FillView {
    long tradeId();

    int symbolId();

    long price();

    /** Base units traded. */
    long size();

    /** Quote units paid by the buyer (exact). */
    long quoteAmount();

    Side takerSide();

    long takerOrderId();

    long takerUserId();

    long makerOrderId();

    long makerUserId();

    /** Fee the taker paid in the asset it received (id {@link #takerFeeAsset()}). */
    long takerFee();

    int takerFeeAsset();

    /** Fee the maker paid in the asset it received; negative for a rebate. */
    long makerFee();

    int makerFeeAsset();

    long timestamp();
}
