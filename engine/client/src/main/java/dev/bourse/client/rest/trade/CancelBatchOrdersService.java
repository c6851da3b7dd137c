package dev.bourse.client.rest.trade;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.bourse.client.rest.Json;
import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.ArrayList;
import java.util.List;

/** {@code POST /api/v5/trade/cancel-batch-orders}: up to 20 cancellations; partial failure as for batch-orders. */
public final class CancelBatchOrdersService extends RestService<List<OrderAck>> {
    private final List<CancelRequest> cancels = new ArrayList<>();

    CancelBatchOrdersService(RestTransport transport) {
        super(transport, RestRequest.Method.POST, "/api/v5/trade/cancel-batch-orders");
    }

    public CancelBatchOrdersService add(CancelRequest cancel) {
        cancels.add(cancel);
        return this;
    }

    public CancelBatchOrdersService addAll(List<CancelRequest> list) {
        cancels.addAll(list);
        return this;
    }

    @Override
    protected RestRequest request() {
        BatchOrdersService.checkCount(cancels.size());
        ArrayNode body = Json.array();
        List<String> instIds = new ArrayList<>();
        for (CancelRequest c : cancels) {
            body.add(c.toJson());
            instIds.add(c.instId());
        }
        return post().body(body).signed().costs(OrderCosts.of("trade/cancel-batch-orders", instIds, false)).build();
    }

    @Override
    protected List<OrderAck> read(RestResponse response) {
        return response.list(OrderAck.class);
    }
}
