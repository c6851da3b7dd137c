package dev.bourse.server.ledger;

/**
 * One leg of a posting set as stored in {@code ledger_entries}. {@code bucket} is {@code available}
 * or {@code held}; a positive amount increases the account's balance.
 */
public record LedgerEntry(String postingKey, int leg, String kind, long accountId, int assetId, String bucket,
                          long amount, Long ordId, Long tradeId, String refKey) {
}
