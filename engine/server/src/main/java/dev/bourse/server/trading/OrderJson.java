package dev.bourse.server.trading;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.OrderState;
import dev.bourse.order.Side;
import dev.bourse.order.TargetCurrency;
import dev.bourse.server.http.Json;
import dev.bourse.server.shard.FillRecord;
import dev.bourse.server.shard.OrderRecord;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

    /**
     * Where the order is shown: OKX differs in what an unfilled order's {@code avgPx} says, and the channel
     * adds a few fields of its own at the end.
     */
    public enum View {
        /** REST queries: {@code avgPx} is "" before any fill. */
        REST(""),
        /** The WebSocket {@code orders} channel: {@code avgPx} is "0" before any fill; {@code code}, {@code msg}, … */
        PUSH("0");

        private final String unfilledAvgPx;

        View(String unfilledAvgPx) {
            this.unfilledAvgPx = unfilledAvgPx;
        }
    }

    private OrderJson() {
    }

    /**
     * The order as a JSON tree (REST replies, which embed it in their envelope).
     *
     * @param fills the order's fills in the command being reported (WS pushes), oldest first, or empty:
     *              several are reported together as OKX does — summed size and fee, the last one's price,
     *              trade id and time; with none, the fill fields are empty
     */
    public static ObjectNode of(OrderRecord o, Instrument ins, List<FillRecord> fills, View view) {
        try (TokenBuffer tokens = new TokenBuffer(Json.MAPPER, false)) {
            write(tokens, o, ins, fills, view);
            return (ObjectNode) Json.MAPPER.readTree(tokens.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The same order as JSON text, written straight out: the {@code orders} channel formats every order
     * event this way, once, without building a tree per order (that tree was most of the private feed's CPU).
     */
    public static String text(OrderRecord o, Instrument ins, List<FillRecord> fills, View view) {
        StringWriter out = new StringWriter(1536);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            write(g, o, ins, fills, view);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, OrderRecord o, Instrument ins, List<FillRecord> fills, View view)
            throws IOException {
        g.writeStartObject();
        Asset base = ins.base();
        Asset quote = ins.quote();
        int szScale = o.tgtCcy() == TargetCurrency.QUOTE_CCY ? quote.scale() : base.scale();
        Asset feeAsset = o.side() == Side.BUY ? base : quote; // fees come out of what is received
        g.writeStringField("instType", "SPOT");
        g.writeStringField("instId", o.instId());
        g.writeStringField("tgtCcy", o.tgtCcy() == null ? "" : o.tgtCcy().okx());
        g.writeStringField("ccy", "");
        g.writeStringField("ordId", Long.toString(o.ordId()));
        g.writeStringField("clOrdId", o.clOrdId() == null ? "" : o.clOrdId());
        g.writeStringField("tag", o.tag() == null ? "" : o.tag());
        g.writeStringField("px", o.type().priced() ? Decimals.format(o.px(), ins.priceScale()) : "");
        g.writeStringField("pxUsd", "");
        g.writeStringField("pxVol", "");
        g.writeStringField("pxType", "");
        g.writeStringField("sz", Decimals.format(o.sz(), szScale));
        g.writeStringField("notionalUsd", "");
        g.writeStringField("pnl", "0");
        g.writeStringField("ordType", o.type().okx());
        g.writeStringField("side", o.side().okx());
        g.writeStringField("posSide", "net");
        g.writeStringField("tdMode", "cash");
        g.writeStringField("accFillSz", Decimals.format(o.filledSz(), base.scale()));
        if (fills.isEmpty()) {
            for (String f : new String[] {"fillPx", "tradeId", "fillTime", "fillFee", "fillFeeCcy", "execType"}) {
                g.writeStringField(f, "");
            }
            g.writeStringField("fillSz", "0");
        } else {
            long sz = 0;
            long fee = 0;
            FillRecord last = fills.getLast();
            boolean taker = last.takerOrdId() == o.ordId();
            for (FillRecord f : fills) {
                sz += f.sz();
                fee += taker ? f.takerFee() : f.makerFee();
            }
            g.writeStringField("fillPx", Decimals.format(last.px(), ins.priceScale()));
            g.writeStringField("tradeId", Long.toString(last.tradeId()));
            g.writeStringField("fillSz", Decimals.format(sz, base.scale()));
            g.writeStringField("fillTime", Long.toString(last.ts()));
            g.writeStringField("fillFee", Decimals.format(-fee, feeAsset.scale()));
            g.writeStringField("fillFeeCcy", feeAsset.code());
            g.writeStringField("execType", taker ? "T" : "M");
        }
        g.writeStringField("avgPx", o.filledSz() == 0 ? view.unfilledAvgPx : averagePrice(o, ins));
        g.writeStringField("state", o.state().okx());
        g.writeStringField("stpId", "");
        g.writeStringField("stpMode", o.stp() == null ? "" : o.stp().okx());
        g.writeStringField("lever", "");
        g.writeStringField("attachAlgoClOrdId", "");
        g.writeStringField("tpTriggerPx", "");
        g.writeStringField("tpTriggerPxType", "");
        g.writeStringField("tpOrdPx", "");
        g.writeStringField("slTriggerPx", "");
        g.writeStringField("slTriggerPxType", "");
        g.writeStringField("slOrdPx", "");
        g.writeArrayFieldStart("attachAlgoOrds");
        g.writeEndArray();
        g.writeObjectFieldStart("linkedAlgoOrd");
        g.writeStringField("algoId", "");
        g.writeEndObject();
        g.writeStringField("feeCcy", feeAsset.code());
        // OKX reports a charged fee as a negative amount, a rebate as a positive one
        g.writeStringField("fee", Decimals.format(-o.fee(), feeAsset.scale()));
        g.writeStringField("rebateCcy", feeAsset.code());
        g.writeStringField("rebate", "0");
        g.writeStringField("source", "");
        g.writeStringField("category", "normal");
        g.writeStringField("reduceOnly", "false");
        g.writeStringField("isTpLimit", "false");
        boolean canceled = o.state() == OrderState.CANCELED && o.cancelReason() != null;
        g.writeStringField("cancelSource", canceled ? Integer.toString(o.cancelReason().okxCancelSource()) : "");
        g.writeStringField("cancelSourceReason", canceled ? o.cancelReason().name().toLowerCase() : "");
        g.writeStringField("quickMgnType", "");
        g.writeStringField("algoClOrdId", "");
        g.writeStringField("algoId", "");
        g.writeStringField("tradeQuoteCcy", quote.code());
        g.writeStringField("uTime", Long.toString(o.updatedAt()));
        g.writeStringField("cTime", Long.toString(o.createdAt()));
        if (view == View.PUSH) { // fields only the channel has
            g.writeStringField("fillNotionalUsd", "");
            g.writeStringField("fillPnl", fills.isEmpty() ? "" : "0");
            g.writeStringField("reqId", "");
            g.writeStringField("amendResult", "");
            g.writeStringField("amendSource", "");
            g.writeStringField("code", "0");
            g.writeStringField("msg", "");
        }
        g.writeEndObject();
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
