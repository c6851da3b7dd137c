package dev.bourse.client.rest.trade;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.bourse.client.rest.Json;
import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /api/v5/trade/batch-orders}: up to 20 orders. When some fail the call throws an {@code ApiException}
 * with {@code code} 1 (all failed) or 2 (some failed) whose {@code items()} hold every order's result.
 */
public final class BatchOrdersService extends RestService<List<OrderAck>> {
    static final int MAX_ITEMS = 20;
    private final List<OrderRequest> orders = new ArrayList<>();

    BatchOrdersService(RestTransport transport) {
        super(transport, RestRequest.Method.POST, "/api/v5/trade/batch-orders");
    }

    public BatchOrdersService add(OrderRequest order) {
        orders.add(order);
        return this;
    }

    public BatchOrdersService addAll(List<OrderRequest> list) {
        orders.addAll(list);
        return this;
    }

    @Override
    protected RestRequest request() {
        checkCount(orders.size());
        ArrayNode body = Json.array();
        List<String> instIds = new ArrayList<>();
        for (OrderRequest o : orders) {
            body.add(o.toJson());
            instIds.add(o.instId());
        }
        return post().body(body).signed().costs(OrderCosts.of("trade/batch-orders", instIds, true)).build();
    }

    static void checkCount(int n) {
        if (n < 1 || n > MAX_ITEMS) {
            throw new IllegalArgumentException("a batch holds 1.." + MAX_ITEMS + " items: " + n);
        }
    }

    @Override
    protected List<OrderAck> read(RestResponse response) {
        return response.list(OrderAck.class);
    }
}
