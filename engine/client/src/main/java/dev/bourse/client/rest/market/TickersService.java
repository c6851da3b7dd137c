package dev.bourse.client.rest.market;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.List;

/** {@code GET /api/v5/market/tickers?instType=SPOT}: every instrument's ticker. */
public final class TickersService extends RestService<List<Ticker>> {
    private String instType = "SPOT";

    TickersService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/market/tickers");
    }

    /** {@code SPOT} (default), {@code SWAP} … (Bourse lists spot only; others answer an empty list). */
    public TickersService instType(String instType) {
        this.instType = instType;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("instType", require("instType", instType)).build();
    }

    @Override
    protected List<Ticker> read(RestResponse response) {
        return response.list(Ticker.class);
    }
}
