package dev.bourse.client.rest.trade;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.client.rest.Json;

/** An order to cancel: {@code instId} and {@code ordId} or {@code clOrdId} (ordId wins when both are given). */
public record CancelRequest(String instId, String ordId, String clOrdId) {
    public static CancelRequest byOrdId(String instId, String ordId) {
        return new CancelRequest(instId, ordId, null);
    }

    public static CancelRequest byClOrdId(String instId, String clOrdId) {
        return new CancelRequest(instId, null, clOrdId);
    }

    public void validate() {
        if (instId == null || instId.isBlank()) {
            throw new IllegalArgumentException("instId is required");
        }
        if (ordId == null && clOrdId == null) {
            throw new IllegalArgumentException("either ordId or clOrdId is required");
        }
    }

    public ObjectNode toJson() {
        validate();
        return Json.fields().put("instId", instId).put("ordId", ordId).put("clOrdId", clOrdId).node();
    }
}
