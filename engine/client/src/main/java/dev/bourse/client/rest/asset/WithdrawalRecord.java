package dev.bourse.client.rest.asset;

import java.math.BigDecimal;

/**
 * {@code GET /api/v5/asset/withdrawal-history}: one withdrawal. {@code state} as OKX: 4 waiting for review,
 * 0 waiting, 7 approved, 1 broadcasting, 2 success, -1 failed or rejected ({@code note} says why), -2 canceled.
 */
public record WithdrawalRecord(String wdId, String clientId, String ccy, String chain, BigDecimal amt, BigDecimal fee,
                               String feeCcy, String from, String to, String txId, String state, String note, Long ts) {
}
