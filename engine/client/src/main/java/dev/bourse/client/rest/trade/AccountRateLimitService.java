package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.RestRequest;
import dev.bourse.client.rest.RestResponse;
import dev.bourse.client.rest.RestService;
import dev.bourse.client.rest.RestTransport;

/**
 * {@code GET /api/v5/trade/account-rate-limit}. A successful answer also sets the request gate's account-wide order
 * budget to {@code accRateLimit} per 2 s, so the client paces orders to what the exchange allows this account.
 */
public final class AccountRateLimitService extends RestService<AccountRateLimit> {
    AccountRateLimitService(RestTransport transport) {
        super(transport, RestRequest.Method.GET, "/api/v5/trade/account-rate-limit");
    }

    @Override
    protected RestRequest request() {
        return get().signed().build();
    }

    @Override
    protected AccountRateLimit read(RestResponse response) {
        AccountRateLimit limit = response.first(AccountRateLimit.class);
        if (limit.accRateLimit() != null && limit.accRateLimit() > 0) {
            transport().gate().updateAccountLimit(limit.accRateLimit());
        }
        return limit;
    }
}
