package dev.bourse.client.rest.account;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

/** {@code GET /api/v5/account/config}. A cheap signed read: use it to check that signing works after an incident. */
public final class AccountConfigService extends RestService<AccountConfig> {
    AccountConfigService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/account/config");
    }

    @Override
    protected RestRequest request() {
        return get().signed().build();
    }

    @Override
    protected AccountConfig read(RestResponse response) {
        return response.first(AccountConfig.class);
    }
}
