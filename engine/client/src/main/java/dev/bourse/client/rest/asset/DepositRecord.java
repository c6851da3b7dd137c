package dev.bourse.client.rest.asset;

import java.math.BigDecimal;

/**
 * {@code GET /api/v5/asset/deposit-history}: one deposit. {@code state} as OKX: 0 waiting for confirmations,
 * 2 credited, 8/12 waiting because deposits are suspended or blocked.
 */
public record DepositRecord(String depId, String ccy, String chain, BigDecimal amt, String from, String to, String txId,
                            String state, Long actualDepBlkConfirm, Long ts) {
    public boolean credited() {
        return "2".equals(state);
    }
}
