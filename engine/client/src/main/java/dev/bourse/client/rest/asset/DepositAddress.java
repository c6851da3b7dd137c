package dev.bourse.client.rest.asset;

/** {@code GET /api/v5/asset/deposit-address}: where to send {@code ccy} on {@code chain}. */
public record DepositAddress(String ccy, String chain, String addr, String tag, String memo, String to,
                             Boolean selected) {
}
