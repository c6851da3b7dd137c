package dev.bourse.client.ws.op;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;

/**
 * The argument of {@code amend-order} / {@code batch-amend-orders}: the order ({@code ordId} or {@code clOrdId}),
 * a new size and/or price, and an optional {@code reqId} echoed in the answer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AmendOrder(String instId, String ordId, String clOrdId, String newSz, String newPx, String reqId) {
    public AmendOrder {
        PlaceOrder.requireText(instId, "instId");
        if (ordId == null && clOrdId == null) {
            throw new IllegalArgumentException("an amend needs ordId or clOrdId");
        }
        if (newSz == null && newPx == null) {
            throw new IllegalArgumentException("an amend needs newSz or newPx");
        }
    }

    /** Amends by {@code ordId}; either new value may be null (unchanged). */
    public static AmendOrder of(String instId, String ordId, BigDecimal newSz, BigDecimal newPx) {
        return new AmendOrder(instId, ordId, null, newSz == null ? null : newSz.toPlainString(),
                newPx == null ? null : newPx.toPlainString(), null);
    }

    public AmendOrder withReqId(String id) {
        return new AmendOrder(instId, ordId, clOrdId, newSz, newPx, id);
    }
}
