package dev.bourse.server.trading;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.OrderState;
import dev.bourse.order.Side;
import dev.bourse.order.TargetCurrency;
import dev.bourse.server.http.Json;
import dev.bourse.server.shard.FillRecord;
import dev.bourse.server.shard.OrderRecord;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * An order in OKX V5's shape, the one formatter behind REST ({@code trade/order}, {@code orders-pending},
 * {@code orders-history}) and the WebSocket {@code orders} channel, so both show the same order the same
 * way. Only spot cash trading exists, so margin/derivative fields are present with OKX's empty values:
 * clients parse them without special cases.
 */
public final class OrderJson {

    /** Where the order is shown: OKX differs only in what an unfilled order's {@code avgPx} says. */
    public enum View {
        /** REST queries: {@code avgPx} is "" before any fill. */
        REST(""),
        /** The WebSocket {@code orders} channel: {@code avgPx} is "0" before any fill. */
        PUSH("0");

        private final String unfilledAvgPx;

        View(String unfilledAvgPx) {
            this.unfilledAvgPx = unfilledAvgPx;
        }
    }

    private OrderJson() {
    }

    /**
     * @param fills the order's fills in the command being reported (WS pushes), oldest first, or empty:
     *              several are reported together as OKX does — summed size and fee, the last one's price,
     *              trade id and time; with none, the fill fields are empty
     */
    public static ObjectNode of(OrderRecord o, Instrument ins, List<FillRecord> fills, View view) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        Asset base = ins.base();
        Asset quote = ins.quote();
        int szScale = o.tgtCcy() == TargetCurrency.QUOTE_CCY ? quote.scale() : base.scale();
        Asset feeAsset = o.side() == Side.BUY ? base : quote; // fees come out of what is received
        n.put("instType", "SPOT");
        n.put("instId", o.instId());
        n.put("tgtCcy", o.tgtCcy() == null ? "" : o.tgtCcy().okx());
        n.put("ccy", "");
        n.put("ordId", Long.toString(o.ordId()));
        n.put("clOrdId", o.clOrdId() == null ? "" : o.clOrdId());
        n.put("tag", o.tag() == null ? "" : o.tag());
        n.put("px", o.type().priced() ? Decimals.format(o.px(), ins.priceScale()) : "");
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
        if (fills.isEmpty()) {
            for (String f : new String[] {"fillPx", "tradeId", "fillTime", "fillFee", "fillFeeCcy", "execType"}) {
                n.put(f, "");
            }
            n.put("fillSz", "0");
        } else {
            long sz = 0;
            long fee = 0;
            FillRecord last = fills.getLast();
            boolean taker = last.takerOrdId() == o.ordId();
            for (FillRecord f : fills) {
                sz += f.sz();
                fee += taker ? f.takerFee() : f.makerFee();
            }
            n.put("fillPx", Decimals.format(last.px(), ins.priceScale()));
            n.put("tradeId", Long.toString(last.tradeId()));
            n.put("fillSz", Decimals.format(sz, base.scale()));
            n.put("fillTime", Long.toString(last.ts()));
            n.put("fillFee", Decimals.format(-fee, feeAsset.scale()));
            n.put("fillFeeCcy", feeAsset.code());
            n.put("execType", taker ? "T" : "M");
        }
        n.put("avgPx", o.filledSz() == 0 ? view.unfilledAvgPx : averagePrice(o, ins));
        n.put("state", o.state().okx());
        n.put("stpId", "");
        n.put("stpMode", o.stp() == null ? "" : o.stp().okx());
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
        n.put("rebateCcy", feeAsset.code());
        n.put("rebate", "0");
        n.put("source", "");
        n.put("category", "normal");
        n.put("reduceOnly", "false");
        n.put("isTpLimit", "false");
        boolean canceled = o.state() == OrderState.CANCELED && o.cancelReason() != null;
        n.put("cancelSource", canceled ? Integer.toString(o.cancelReason().okxCancelSource()) : "");
        n.put("cancelSourceReason", canceled ? o.cancelReason().name().toLowerCase() : "");
        n.put("quickMgnType", "");
        n.put("algoClOrdId", "");
        n.put("algoId", "");
        n.put("tradeQuoteCcy", quote.code());
        n.put("uTime", Long.toString(o.updatedAt()));
        n.put("cTime", Long.toString(o.createdAt()));
        return n;
    }

    /**
     * Quote exchanged / base filled. A display value, not money: rounded half-even to four digits below the
     * price scale (the quotient need not terminate), trailing zeros dropped.
     */
    static String averagePrice(OrderRecord o, Instrument ins) {
        BigDecimal q = BigDecimal.valueOf(o.filledQuote(), ins.quote().scale());
        BigDecimal b = BigDecimal.valueOf(o.filledSz(), ins.base().scale());
        BigDecimal avg = q.divide(b, ins.priceScale() + 4, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return avg.scale() < 0 ? avg.setScale(0).toPlainString() : avg.toPlainString();
    }
}
