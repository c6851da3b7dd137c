package dev.bourse.client.rest.account;

import dev.bourse.client.rest.RestTransport;

/** The trading account ({@code /api/v5/account/…}, signed). */
public final class AccountService {
    private final RestTransport transport;

    public AccountService(RestTransport transport) {
        this.transport = transport;
    }

    public BalanceService balance() {
        return new BalanceService(transport);
    }

    public AccountConfigService config() {
        return new AccountConfigService(transport);
    }
}
