package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.math.BigDecimal;
import java.util.List;

/** {@code POST /api/v5/trade/amend-order}: new size and/or price of a live order ({@code reqId} echoed). */
public final class AmendOrderService extends RestService<OrderAck> {
    private AmendRequest amend = new AmendRequest(null, null, null, null, null, null, null);

    AmendOrderService(RestTransport transport) {
        super(transport, RestRequest.Method.POST, "/api/v5/trade/amend-order");
    }

    public AmendOrderService amend(AmendRequest request) {
        this.amend = request;
        return this;
    }

    public AmendOrderService instId(String v) {
        amend = new AmendRequest(v, amend.ordId(), amend.clOrdId(), amend.reqId(), amend.newSz(), amend.newPx(),
                amend.cxlOnFail());
        return this;
    }

    public AmendOrderService ordId(String v) {
        amend = new AmendRequest(amend.instId(), v, amend.clOrdId(), amend.reqId(), amend.newSz(), amend.newPx(),
                amend.cxlOnFail());
        return this;
    }

    public AmendOrderService clOrdId(String v) {
        amend = new AmendRequest(amend.instId(), amend.ordId(), v, amend.reqId(), amend.newSz(), amend.newPx(),
                amend.cxlOnFail());
        return this;
    }

    public AmendOrderService reqId(String v) {
        amend = amend.withReqId(v);
        return this;
    }

    public AmendOrderService newSz(BigDecimal v) {
        amend = amend.withNewSz(v);
        return this;
    }

    public AmendOrderService newSz(String v) {
        return newSz(decimal("newSz", v));
    }

    public AmendOrderService newPx(BigDecimal v) {
        amend = amend.withNewPx(v);
        return this;
    }

    public AmendOrderService newPx(String v) {
        return newPx(decimal("newPx", v));
    }

    public AmendOrderService cxlOnFail(boolean v) {
        amend = amend.withCxlOnFail(v);
        return this;
    }

    @Override
    protected RestRequest request() {
        return post().body(amend.toJson()).signed()
                .costs(OrderCosts.of("trade/amend-order", List.of(amend.instId()), true)).build();
    }

    @Override
    protected OrderAck read(RestResponse response) {
        return response.first(OrderAck.class);
    }
}
