package dev.bourse.client.rest.market;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

/** {@code GET /api/v5/market/ticker?instId=}: one instrument's ticker. */
public final class TickerService extends RestService<Ticker> {
    private String instId;

    TickerService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/market/ticker");
    }

    public TickerService instId(String instId) {
        this.instId = instId;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("instId", require("instId", instId)).build();
    }

    @Override
    protected Ticker read(RestResponse response) {
        return response.first(Ticker.class);
    }
}
