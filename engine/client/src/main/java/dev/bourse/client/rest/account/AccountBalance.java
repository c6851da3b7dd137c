package dev.bourse.client.rest.account;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** {@code GET /api/v5/account/balance}: the trading account; {@code totalEq} (USD) is null on Bourse. */
public record AccountBalance(BigDecimal totalEq, Long uTime, List<BalanceDetail> details) {
    public AccountBalance {
        details = details == null ? List.of() : List.copyOf(details);
    }

    /** The detail of one currency, if the answer holds it. */
    public Optional<BalanceDetail> detail(String ccy) {
        return details.stream().filter(d -> ccy.equals(d.ccy())).findFirst();
    }
}
