package dev.bourse.client.rest.account;

import java.math.BigDecimal;

/**
 * One currency of {@code account/balance}: {@code eq = cashBal = availBal + frozenBal} for spot; {@code frozenBal}
 * is held by open orders. Fields OKX leaves empty (USD valuations on Bourse) are null.
 */
public record BalanceDetail(String ccy, BigDecimal eq, BigDecimal cashBal, BigDecimal availBal, BigDecimal availEq,
                            BigDecimal frozenBal, BigDecimal ordFrozen, BigDecimal eqUsd, Long uTime) {
}
