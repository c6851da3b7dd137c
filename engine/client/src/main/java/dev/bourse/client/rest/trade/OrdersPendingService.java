package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.List;

/**
 * {@code GET /api/v5/trade/orders-pending}: live and partially filled orders, newest first, paged by {@code ordId}
 * ({@code after}: older than, {@code before}: newer than), at most 100 per page.
 */
public final class OrdersPendingService extends RestService<List<Order>> {
    private String instType;
    private String instId;
    private OrderType ordType;
    private String state;
    private String after;
    private String before;
    private Integer limit;

    OrdersPendingService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/trade/orders-pending");
    }

    public OrdersPendingService instType(String v) {
        this.instType = v;
        return this;
    }

    public OrdersPendingService instId(String v) {
        this.instId = v;
        return this;
    }

    public OrdersPendingService ordType(OrderType v) {
        this.ordType = v;
        return this;
    }

    /** {@code live} or {@code partially_filled}. */
    public OrdersPendingService state(String v) {
        this.state = v;
        return this;
    }

    public OrdersPendingService after(String ordId) {
        this.after = ordId;
        return this;
    }

    public OrdersPendingService before(String ordId) {
        this.before = ordId;
        return this;
    }

    /** 1..100 (default 100). */
    public OrdersPendingService limit(int v) {
        this.limit = v;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("instType", instType).query("instId", instId).query("ordType", ordType)
                .query("state", state).query("after", after).query("before", before).query("limit", limit).signed()
                .build();
    }

    @Override
    protected List<Order> read(RestResponse response) {
        return response.list(Order.class);
    }
}
