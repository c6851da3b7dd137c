package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.List;

/**
 * {@code GET /api/v5/trade/orders-history} (last 7 days) or {@code orders-history-archive} (90 days): filled and
 * canceled orders, newest first, paged by {@code ordId}; {@code begin}/{@code end} filter by update time (epoch ms).
 */
public final class OrdersHistoryService extends RestService<List<Order>> {
    private String instType = "SPOT";
    private String instId;
    private OrderType ordType;
    private String state;
    private String after;
    private String before;
    private Long begin;
    private Long end;
    private Integer limit;

    OrdersHistoryService(RestTransport transport, boolean archive) {
        super(transport, RestRequest.Method.GET,
                archive ? "/api/v5/trade/orders-history-archive" : "/api/v5/trade/orders-history");
    }

    /** Required by OKX; {@code SPOT} by default. */
    public OrdersHistoryService instType(String v) {
        this.instType = v;
        return this;
    }

    public OrdersHistoryService instId(String v) {
        this.instId = v;
        return this;
    }

    public OrdersHistoryService ordType(OrderType v) {
        this.ordType = v;
        return this;
    }

    /** {@code filled} or {@code canceled}. */
    public OrdersHistoryService state(String v) {
        this.state = v;
        return this;
    }

    public OrdersHistoryService after(String ordId) {
        this.after = ordId;
        return this;
    }

    public OrdersHistoryService before(String ordId) {
        this.before = ordId;
        return this;
    }

    public OrdersHistoryService begin(long epochMillis) {
        this.begin = epochMillis;
        return this;
    }

    public OrdersHistoryService end(long epochMillis) {
        this.end = epochMillis;
        return this;
    }

    /** 1..100 (default 100). */
    public OrdersHistoryService limit(int v) {
        this.limit = v;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("instType", require("instType", instType)).query("instId", instId).query("ordType", ordType)
                .query("state", state).query("after", after).query("before", before).query("begin", begin)
                .query("end", end).query("limit", limit).signed().build();
    }

    @Override
    protected List<Order> read(RestResponse response) {
        return response.list(Order.class);
    }
}
