package dev.bourse.client.ws.op;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The argument of {@code cancel-order} / {@code batch-cancel-orders}: the instrument and {@code ordId} or {@code clOrdId}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CancelOrder(String instId, String ordId, String clOrdId) {
    public CancelOrder {
        PlaceOrder.requireText(instId, "instId");
        if (ordId == null && clOrdId == null) {
            throw new IllegalArgumentException("a cancel needs ordId or clOrdId");
        }
    }

    public static CancelOrder byOrdId(String instId, String ordId) {
        return new CancelOrder(instId, ordId, null);
    }

    public static CancelOrder byClOrdId(String instId, String clOrdId) {
        return new CancelOrder(instId, null, clOrdId);
    }
}
