package dev.bourse.client.rest.account;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

/** {@code GET /api/v5/account/balance[?ccy=BTC,ETH]}: without {@code ccy}, the currencies with a balance. */
public final class BalanceService extends RestService<AccountBalance> {
    private String ccy;

    BalanceService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/account/balance");
    }

    /** One currency or a comma-separated list (at most 20). */
    public BalanceService ccy(String ccy) {
        this.ccy = ccy;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("ccy", ccy).signed().build();
    }

    @Override
    protected AccountBalance read(RestResponse response) {
        return response.first(AccountBalance.class);
    }
}
