package dev.bourse.client.rest.market;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.List;

/** {@code GET /api/v5/market/trades?instId=&limit=}: the latest public trades, newest first. */
public final class TradesService extends RestService<List<MarketTrade>> {
    private String instId;
    private Integer limit;

    TradesService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/market/trades");
    }

    public TradesService instId(String instId) {
        this.instId = instId;
        return this;
    }

    /** 1..500 (default 100). */
    public TradesService limit(int limit) {
        this.limit = limit;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("instId", require("instId", instId)).query("limit", limit).build();
    }

    @Override
    protected List<MarketTrade> read(RestResponse response) {
        return response.list(MarketTrade.class);
    }
}
