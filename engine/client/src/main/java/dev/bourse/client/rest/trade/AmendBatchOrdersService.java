package dev.bourse.client.rest.trade;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.bourse.client.rest.Json;
import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.ArrayList;
import java.util.List;

/** {@code POST /api/v5/trade/amend-batch-orders}: up to 20 amendments; partial failure as for batch-orders. */
public final class AmendBatchOrdersService extends RestService<List<OrderAck>> {
    private final List<AmendRequest> amends = new ArrayList<>();

    AmendBatchOrdersService(RestTransport transport) {
        super(transport, RestRequest.Method.POST, "/api/v5/trade/amend-batch-orders");
    }

    public AmendBatchOrdersService add(AmendRequest amend) {
        amends.add(amend);
        return this;
    }

    public AmendBatchOrdersService addAll(List<AmendRequest> list) {
        amends.addAll(list);
        return this;
    }

    @Override
    protected RestRequest request() {
        BatchOrdersService.checkCount(amends.size());
        ArrayNode body = Json.array();
        List<String> instIds = new ArrayList<>();
        for (AmendRequest a : amends) {
            body.add(a.toJson());
            instIds.add(a.instId());
        }
        return post().body(body).signed().costs(OrderCosts.of("trade/amend-batch-orders", instIds, true)).build();
    }

    @Override
    protected List<OrderAck> read(RestResponse response) {
        return response.list(OrderAck.class);
    }
}
