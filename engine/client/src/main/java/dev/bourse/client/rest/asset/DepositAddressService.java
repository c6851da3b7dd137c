package dev.bourse.client.rest.asset;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

import java.util.List;

/** {@code GET /api/v5/asset/deposit-address?ccy=}: the caller's deposit addresses for a currency (one per chain). */
public final class DepositAddressService extends RestService<List<DepositAddress>> {
    private String ccy;

    DepositAddressService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/asset/deposit-address");
    }

    public DepositAddressService ccy(String ccy) {
        this.ccy = ccy;
        return this;
    }

    @Override
    protected RestRequest request() {
        return get().query("ccy", require("ccy", ccy)).signed().build();
    }

    @Override
    protected List<DepositAddress> read(RestResponse response) {
        return response.list(DepositAddress.class);
    }
}
