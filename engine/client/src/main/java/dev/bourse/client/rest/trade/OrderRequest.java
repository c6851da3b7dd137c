package dev.bourse.client.rest.trade;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.client.rest.Json;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * A new order ({@code POST /api/v5/trade/order}, an item of {@code batch-orders}). {@code px} is required for the
 * priced types (limit, post_only, ioc, fok), not allowed for market; {@code tdMode} defaults to {@code cash} (spot).
 *
 * <pre>{@code
 * OrderRequest.limit("BTC-USDT", Side.BUY, new BigDecimal("59000"), new BigDecimal("0.01")).withClOrdId(ids.next())
 * }</pre>
 */
public record OrderRequest(String instId, TradeMode tdMode, Side side, OrderType ordType, BigDecimal sz, BigDecimal px,
                           String clOrdId, String tag, TargetCurrency tgtCcy, StpMode stpMode) {
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9]{1,16}");

    public static OrderRequest limit(String instId, Side side, BigDecimal px, BigDecimal sz) {
        return new OrderRequest(instId, TradeMode.CASH, side, OrderType.LIMIT, sz, px, null, null, null, null);
    }

    /** A market order; {@code sz} is in quote currency for a buy and base for a sell unless {@link #withTgtCcy}. */
    public static OrderRequest market(String instId, Side side, BigDecimal sz) {
        return new OrderRequest(instId, TradeMode.CASH, side, OrderType.MARKET, sz, null, null, null, null, null);
    }

    public static OrderRequest of(String instId, Side side, OrderType type, BigDecimal px, BigDecimal sz) {
        return new OrderRequest(instId, TradeMode.CASH, side, type, sz, px, null, null, null, null);
    }

    public OrderRequest withClOrdId(String id) {
        return new OrderRequest(instId, tdMode, side, ordType, sz, px, id, tag, tgtCcy, stpMode);
    }

    public OrderRequest withTag(String t) {
        return new OrderRequest(instId, tdMode, side, ordType, sz, px, clOrdId, t, tgtCcy, stpMode);
    }

    public OrderRequest withTgtCcy(TargetCurrency t) {
        return new OrderRequest(instId, tdMode, side, ordType, sz, px, clOrdId, tag, t, stpMode);
    }

    public OrderRequest withStpMode(StpMode m) {
        return new OrderRequest(instId, tdMode, side, ordType, sz, px, clOrdId, tag, tgtCcy, m);
    }

    public OrderRequest withTdMode(TradeMode m) {
        return new OrderRequest(instId, m, side, ordType, sz, px, clOrdId, tag, tgtCcy, stpMode);
    }

    /** Refuses what the exchange would refuse for its shape alone: nothing is sent then. */
    public void validate() {
        if (instId == null || instId.isBlank()) {
            throw new IllegalArgumentException("instId is required");
        }
        if (side == null || ordType == null) {
            throw new IllegalArgumentException("side and ordType are required");
        }
        if (sz == null || sz.signum() <= 0) {
            throw new IllegalArgumentException("sz must be positive: " + sz);
        }
        boolean priced = ordType != OrderType.MARKET;
        if (priced && (px == null || px.signum() <= 0)) {
            throw new IllegalArgumentException(ordType.okx() + " order needs a positive px: " + px);
        }
        if (!priced && px != null) {
            throw new IllegalArgumentException("a market order takes no px");
        }
        if (clOrdId != null) {
            ClOrdIds.check(clOrdId);
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("tag must be 1-16 letters or digits: " + tag);
        }
    }

    /** The request body item. */
    public ObjectNode toJson() {
        validate();
        return Json.fields().put("instId", instId).put("tdMode", tdMode == null ? TradeMode.CASH : tdMode)
                .put("side", side).put("ordType", ordType).put("sz", sz).put("px", px).put("clOrdId", clOrdId)
                .put("tag", tag).put("tgtCcy", tgtCcy).put("stpMode", stpMode).node();
    }
}
