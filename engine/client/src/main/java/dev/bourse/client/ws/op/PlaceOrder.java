package dev.bourse.client.ws.op;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The argument of the {@code order} and {@code batch-orders} ops. Prices and sizes are decimal strings, as OKX sends
 * them; the factories take {@link BigDecimal}s. {@code tdMode} is {@code cash} on a spot exchange.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlaceOrder(String instId, String tdMode, String side, String ordType, String sz, String px,
                         String clOrdId, String tag, String tgtCcy, String stpMode) {
    public PlaceOrder {
        requireText(instId, "instId");
        requireText(tdMode, "tdMode");
        requireText(side, "side");
        requireText(ordType, "ordType");
        requireText(sz, "sz");
    }

    /** A {@code limit} order in cash mode. */
    public static PlaceOrder limit(String instId, String side, BigDecimal px, BigDecimal sz, String clOrdId) {
        return new PlaceOrder(instId, "cash", side, "limit", sz.toPlainString(), px.toPlainString(), clOrdId, null,
                null, null);
    }

    /** A priced order of another type: {@code post_only}, {@code ioc}, {@code fok}. */
    public static PlaceOrder priced(String instId, String side, String ordType, BigDecimal px, BigDecimal sz,
                                    String clOrdId) {
        return new PlaceOrder(instId, "cash", side, ordType, sz.toPlainString(), px.toPlainString(), clOrdId, null,
                null, null);
    }

    /** A {@code market} order; {@code tgtCcy} {@code base_ccy} or {@code quote_ccy} (null: OKX's default). */
    public static PlaceOrder market(String instId, String side, BigDecimal sz, String tgtCcy, String clOrdId) {
        return new PlaceOrder(instId, "cash", side, "market", sz.toPlainString(), null, clOrdId, null, tgtCcy, null);
    }

    public PlaceOrder withTag(String newTag) {
        return new PlaceOrder(instId, tdMode, side, ordType, sz, px, clOrdId, newTag, tgtCcy, stpMode);
    }

    public PlaceOrder withStpMode(String mode) {
        return new PlaceOrder(instId, tdMode, side, ordType, sz, px, clOrdId, tag, tgtCcy, mode);
    }

    static void requireText(String v, String name) {
        Objects.requireNonNull(v, name);
        if (v.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
