package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.math.BigDecimal;
import java.util.List;

/**
 * {@code POST /api/v5/trade/order}. Never retried by the SDK: when the outcome is unknown (a
 * {@code RequestStateException} with dispatched=true) use {@link TradeService#placeOrReconcile}. A rejection is an
 * {@code ApiException} whose {@code sCode()} is the reason (e.g. 51008 insufficient balance).
 */
public final class PlaceOrderService extends RestService<OrderAck> {
    private OrderRequest order = new OrderRequest(null, TradeMode.CASH, null, null, null, null, null, null, null, null);

    PlaceOrderService(RestTransport transport) {
        super(transport, RestRequest.Method.POST, "/api/v5/trade/order");
    }

    /** Everything at once. */
    public PlaceOrderService order(OrderRequest request) {
        this.order = request;
        return this;
    }

    public PlaceOrderService instId(String v) {
        order = new OrderRequest(v, order.tdMode(), order.side(), order.ordType(), order.sz(), order.px(), order.clOrdId(),
                order.tag(), order.tgtCcy(), order.stpMode());
        return this;
    }

    public PlaceOrderService tdMode(TradeMode v) {
        order = order.withTdMode(v);
        return this;
    }

    public PlaceOrderService side(Side v) {
        order = new OrderRequest(order.instId(), order.tdMode(), v, order.ordType(), order.sz(), order.px(),
                order.clOrdId(), order.tag(), order.tgtCcy(), order.stpMode());
        return this;
    }

    public PlaceOrderService ordType(OrderType v) {
        order = new OrderRequest(order.instId(), order.tdMode(), order.side(), v, order.sz(), order.px(), order.clOrdId(),
                order.tag(), order.tgtCcy(), order.stpMode());
        return this;
    }

    public PlaceOrderService sz(BigDecimal v) {
        order = new OrderRequest(order.instId(), order.tdMode(), order.side(), order.ordType(), v, order.px(),
                order.clOrdId(), order.tag(), order.tgtCcy(), order.stpMode());
        return this;
    }

    public PlaceOrderService sz(String v) {
        return sz(decimal("sz", v));
    }

    public PlaceOrderService px(BigDecimal v) {
        order = new OrderRequest(order.instId(), order.tdMode(), order.side(), order.ordType(), order.sz(), v,
                order.clOrdId(), order.tag(), order.tgtCcy(), order.stpMode());
        return this;
    }

    public PlaceOrderService px(String v) {
        return px(decimal("px", v));
    }

    public PlaceOrderService clOrdId(String v) {
        order = order.withClOrdId(v);
        return this;
    }

    public PlaceOrderService tag(String v) {
        order = order.withTag(v);
        return this;
    }

    public PlaceOrderService tgtCcy(TargetCurrency v) {
        order = order.withTgtCcy(v);
        return this;
    }

    public PlaceOrderService stpMode(StpMode v) {
        order = order.withStpMode(v);
        return this;
    }

    @Override
    protected RestRequest request() {
        return post().body(order.toJson()).signed()
                .costs(OrderCosts.of("trade/order", List.of(order.instId()), true)).build();
    }

    @Override
    protected OrderAck read(RestResponse response) {
        return response.first(OrderAck.class);
    }
}
