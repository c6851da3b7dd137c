package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.List;

/** {@code POST /api/v5/trade/cancel-order}: {@code instId} and {@code ordId} or {@code clOrdId}. */
public final class CancelOrderService extends RestService<OrderAck> {
    private String instId;
    private String ordId;
    private String clOrdId;

    CancelOrderService(RestTransport transport) {
        super(transport, RestRequest.Method.POST, "/api/v5/trade/cancel-order");
    }

    public CancelOrderService instId(String v) {
        this.instId = v;
        return this;
    }

    public CancelOrderService ordId(String v) {
        this.ordId = v;
        return this;
    }

    public CancelOrderService clOrdId(String v) {
        this.clOrdId = v;
        return this;
    }

    @Override
    protected RestRequest request() {
        CancelRequest c = new CancelRequest(instId, ordId, clOrdId);
        return post().body(c.toJson()).signed().costs(OrderCosts.of("trade/cancel-order", List.of(instId), false))
                .build();
    }

    @Override
    protected OrderAck read(RestResponse response) {
        return response.first(OrderAck.class);
    }
}
