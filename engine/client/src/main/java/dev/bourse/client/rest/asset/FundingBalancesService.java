package dev.bourse.client.rest.asset;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.List;

/** {@code GET /api/v5/asset/balances[?ccy=BTC,ETH]}: the funding account (on Bourse the same balances as trading). */
public final class FundingBalancesService extends RestService<List<FundingBalance>> {
    private String ccy;

    FundingBalancesService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/asset/balances");
    }

    public FundingBalancesService ccy(String ccy) {
        this.ccy = ccy;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("ccy", ccy).signed().build();
    }

    @Override
    protected List<FundingBalance> read(RestResponse response) {
        return response.list(FundingBalance.class);
    }
}
