package dev.bourse.client.rest.asset;

import dev.bourse.client.rest.RestTransport;

/** Funding: currencies, balances, deposits and withdrawals ({@code /api/v5/asset/…}, signed). */
public final class AssetService {
    private final RestTransport transport;

    public AssetService(RestTransport transport) {
        this.transport = transport;
    }

    public CurrenciesService currencies() {
        return new CurrenciesService(transport);
    }

    public FundingBalancesService balances() {
        return new FundingBalancesService(transport);
    }

    public DepositAddressService depositAddress() {
        return new DepositAddressService(transport);
    }

    public DepositHistoryService depositHistory() {
        return new DepositHistoryService(transport);
    }

    public WithdrawalService withdrawal() {
        return new WithdrawalService(transport);
    }

    public CancelWithdrawalService cancelWithdrawal() {
        return new CancelWithdrawalService(transport);
    }

    public WithdrawalHistoryService withdrawalHistory() {
        return new WithdrawalHistoryService(transport);
    }
}
