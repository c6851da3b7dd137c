package dev.bourse.client.rest.asset;

import java.math.BigDecimal;

/** {@code GET /api/v5/asset/balances}: {@code bal = availBal + frozenBal} in the funding account. */
public record FundingBalance(String ccy, BigDecimal bal, BigDecimal availBal, BigDecimal frozenBal) {
}
