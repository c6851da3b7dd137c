package dev.bourse.client.rest.asset;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.List;

/** {@code GET /api/v5/asset/currencies[?ccy=BTC,ETH]}. */
public final class CurrenciesService extends RestService<List<Currency>> {
    private String ccy;

    CurrenciesService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/asset/currencies");
    }

    public CurrenciesService ccy(String ccy) {
        this.ccy = ccy;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("ccy", ccy).signed().build();
    }

    @Override
    protected List<Currency> read(RestResponse response) {
        return response.list(Currency.class);
    }
}
