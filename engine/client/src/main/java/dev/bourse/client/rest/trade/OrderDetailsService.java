package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;
import dev.bourse.client.rest.gate.Cost;

/**
 * {@code GET /api/v5/trade/order?instId=&ordId=|clOrdId=}: one order. An unknown order is an {@code ApiException}
 * with code 51603 — after an uncertain place-order it means the order did not land.
 */
public final class OrderDetailsService extends RestService<Order> {
    /** The gate's rule for this endpoint (its path is that of placing an order). */
    public static final String RULE = "trade/order-details";
    private String instId;
    private String ordId;
    private String clOrdId;

    OrderDetailsService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/trade/order");
    }

    public OrderDetailsService instId(String v) {
        this.instId = v;
        return this;
    }

    public OrderDetailsService ordId(String v) {
        this.ordId = v;
        return this;
    }

    public OrderDetailsService clOrdId(String v) {
        this.clOrdId = v;
        return this;
    }

    @Override
    protected RestRequest request() {
        require("instId", instId);
        if (ordId == null && clOrdId == null) {
            throw new IllegalArgumentException("either ordId or clOrdId is required");
        }
        return get().query("instId", instId).query("ordId", ordId).query("clOrdId", ordId == null ? clOrdId : null)
                .signed().cost(Cost.perInstrument(RULE, instId, 1)).build();
    }

    @Override
    protected Order read(RestResponse response) {
        return response.first(Order.class);
    }
}
