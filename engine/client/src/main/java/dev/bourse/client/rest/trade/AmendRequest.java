package dev.bourse.client.rest.trade;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.client.rest.Json;

import java.math.BigDecimal;

/**
 * A change to a live order: new size and/or new price. {@code reqId} (optional, 1–32 letters or digits) is echoed;
 * {@code cxlOnFail} cancels the order when the amendment fails (OKX; Bourse ignores it).
 */
public record AmendRequest(String instId, String ordId, String clOrdId, String reqId, BigDecimal newSz,
                           BigDecimal newPx, Boolean cxlOnFail) {
    public static AmendRequest byOrdId(String instId, String ordId) {
        return new AmendRequest(instId, ordId, null, null, null, null, null);
    }

    public static AmendRequest byClOrdId(String instId, String clOrdId) {
        return new AmendRequest(instId, null, clOrdId, null, null, null, null);
    }

    public AmendRequest withNewSz(BigDecimal sz) {
        return new AmendRequest(instId, ordId, clOrdId, reqId, sz, newPx, cxlOnFail);
    }

    public AmendRequest withNewPx(BigDecimal px) {
        return new AmendRequest(instId, ordId, clOrdId, reqId, newSz, px, cxlOnFail);
    }

    public AmendRequest withReqId(String id) {
        return new AmendRequest(instId, ordId, clOrdId, id, newSz, newPx, cxlOnFail);
    }

    public AmendRequest withCxlOnFail(boolean value) {
        return new AmendRequest(instId, ordId, clOrdId, reqId, newSz, newPx, value);
    }

    public void validate() {
        if (instId == null || instId.isBlank()) {
            throw new IllegalArgumentException("instId is required");
        }
        if (ordId == null && clOrdId == null) {
            throw new IllegalArgumentException("either ordId or clOrdId is required");
        }
        if (newSz == null && newPx == null) {
            throw new IllegalArgumentException("newSz or newPx is required");
        }
        if ((newSz != null && newSz.signum() <= 0) || (newPx != null && newPx.signum() <= 0)) {
            throw new IllegalArgumentException("newSz and newPx must be positive");
        }
        if (reqId != null) {
            ClOrdIds.check(reqId);
        }
    }

    public ObjectNode toJson() {
        validate();
        return Json.fields().put("instId", instId).put("ordId", ordId).put("clOrdId", clOrdId).put("reqId", reqId)
                .put("newSz", newSz).put("newPx", newPx).put("cxlOnFail", cxlOnFail).node();
    }
}
