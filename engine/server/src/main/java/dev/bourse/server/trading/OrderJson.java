package dev.bourse.server.trading;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.Side;
import dev.bourse.order.TargetCurrency;
import dev.bourse.server.http.Json;
import dev.bourse.server.shard.FillRecord;
import dev.bourse.server.shard.OrderRecord;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * An order in OKX V5's shape (REST {@code trade/order}, {@code orders-pending}, WS {@code orders}). Only
 * spot cash trading exists, so margin/derivative fields are present with OKX's empty values: clients
 * parse them without special cases.
 */
public final class OrderJson {
    private static final MathContext AVG = new MathContext(24, RoundingMode.HALF_EVEN);

    private OrderJson() {
    }

    /**
     * @param lastFill the order's latest fill if the caller knows it (WS pushes), else null: OKX's
     *                 {@code fillPx}/{@code fillSz}/{@code tradeId} are then empty
     */
    public static ObjectNode of(OrderRecord o, Instrument ins, FillRecord lastFill) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        Asset base = ins.base();
        Asset quote = ins.quote();
        int szScale = o.tgtCcy() == TargetCurrency.QUOTE_CCY ? quote.scale() : base.scale();
        Asset feeAsset = o.side() == Side.BUY ? base : quote;
        n.put("instType", "SPOT");
        n.put("instId", o.instId());
        n.put("tgtCcy", o.tgtCcy() == TargetCurrency.QUOTE_CCY ? "quote_ccy" : "base_ccy");
        n.put("ccy", "");
        n.put("ordId", Long.toString(o.ordId()));
        n.put("clOrdId", o.clOrdId() == null ? "" : o.clOrdId());
        n.put("tag", "");
        n.put("px", o.px() == 0 ? "" : Decimals.format(o.px(), ins.priceScale()));
        n.put("pxUsd", "");
        n.put("pxVol", "");
        n.put("pxType", "");
        n.put("sz", Decimals.format(o.sz(), szScale));
        n.put("notionalUsd", "");
        n.put("pnl", "0");
        n.put("ordType", o.type().okx());
        n.put("side", o.side().okx());
        n.put("posSide", "net");
        n.put("tdMode", "cash");
        n.put("accFillSz", Decimals.format(o.filledSz(), base.scale()));
        if (lastFill != null) {
            n.put("fillPx", Decimals.format(lastFill.px(), ins.priceScale()));
            n.put("tradeId", Long.toString(lastFill.tradeId()));
            n.put("fillSz", Decimals.format(lastFill.sz(), base.scale()));
            n.put("fillTime", Long.toString(lastFill.ts()));
            boolean taker = lastFill.takerOrdId() == o.ordId();
            long fee = taker ? lastFill.takerFee() : lastFill.makerFee();
            n.put("fillFee", Decimals.format(-fee, feeAsset.scale()));
            n.put("fillFeeCcy", feeAsset.code());
            n.put("execType", taker ? "T" : "M");
        } else {
            n.put("fillPx", "");
            n.put("tradeId", "");
            n.put("fillSz", "0");
            n.put("fillTime", "");
            n.put("fillFee", "0");
            n.put("fillFeeCcy", "");
            n.put("execType", "");
        }
        n.put("avgPx", averagePrice(o, ins));
        n.put("state", o.state().okx());
        n.put("stpId", "");
        n.put("stpMode", o.stp().okx());
        n.put("lever", "");
        n.put("attachAlgoClOrdId", "");
        n.put("tpTriggerPx", "");
        n.put("tpTriggerPxType", "");
        n.put("tpOrdPx", "");
        n.put("slTriggerPx", "");
        n.put("slTriggerPxType", "");
        n.put("slOrdPx", "");
        n.putArray("attachAlgoOrds");
        n.putObject("linkedAlgoOrd").put("algoId", "");
        n.put("feeCcy", feeAsset.code());
        // OKX reports a charged fee as a negative amount, a rebate as a positive one
        n.put("fee", Decimals.format(-o.fee(), feeAsset.scale()));
        n.put("rebateCcy", o.side() == Side.BUY ? quote.code() : base.code());
        n.put("rebate", "0");
        n.put("source", "");
        n.put("category", "normal");
        n.put("reduceOnly", "false");
        n.put("isTpLimit", "false");
        n.put("cancelSource", o.cancelReason() == null ? "" : Integer.toString(o.cancelReason().okxCancelSource()));
        n.put("cancelSourceReason", o.cancelReason() == null ? "" : o.cancelReason().name().toLowerCase());
        n.put("quickMgnType", "");
        n.put("algoClOrdId", "");
        n.put("algoId", "");
        n.put("tradeQuoteCcy", quote.code());
        n.put("uTime", Long.toString(o.updatedAt()));
        n.put("cTime", Long.toString(o.createdAt()));
        return n;
    }

    /** Quote filled / base filled, in price units; exact digits up to 24 significant, "" before any fill. */
    static String averagePrice(OrderRecord o, Instrument ins) {
        if (o.filledSz() == 0) {
            return "";
        }
        BigDecimal q = BigDecimal.valueOf(o.filledQuote(), ins.quote().scale());
        BigDecimal b = BigDecimal.valueOf(o.filledSz(), ins.base().scale());
        BigDecimal avg = q.divide(b, AVG).stripTrailingZeros();
        return avg.scale() < 0 ? avg.setScale(0).toPlainString() : avg.toPlainString();
    }
}
