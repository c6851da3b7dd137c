package dev.bourse.server.reconcile;

import java.util.Locale;

/**
 * The invariants a reconciliation verifies. Each anomaly names the one it breaks; {@link #id()} is the
 * stable name used in the JSON report and the text summary.
 */
public enum Check {
    /** Every posting set (entries sharing a posting key) sums to zero for each asset. */
    POSTING_SET_BALANCE,
    /**
     * Per asset, all ledger entries sum to zero and all balances (available + held) sum to zero: money
     * is neither created nor destroyed. A cross-check: it only fails together with a posting set or
     * balance row that is wrong, and it is what makes a total loss or gain visible at a glance.
     */
    ASSET_CONSERVATION,
    /** Every balance row equals the sum of its ledger entries, bucket by bucket, and vice versa. */
    BALANCE_MATCHES_LEDGER,
    /** No held below zero; no available below zero except on the external account's overdraft rows. */
    NON_NEGATIVE_BALANCE,
    /** Each order's filled size equals the size of its fills, as taker and as maker. */
    ORDER_FILLS,
    /**
     * Each order holds what it needs (a live sell its remaining size, a live buy the quote amount of
     * its remaining size at its price, a finished order nothing) and each user's held balance in an
     * asset equals what that user's live orders hold in it.
     */
    ORDER_HOLDS,
    /**
     * Every order names a known account and a known instrument. On PostgreSQL the orders table has no
     * foreign keys (they cost the batch writer more than the rest of an order's insert), so this check
     * is what stands behind those references; a ledger entry's account and asset are covered by
     * {@link #BALANCE_MATCHES_LEDGER} (entries without a balance row).
     */
    ORDER_REFERENCES;

    /** Lower-case name, e.g. {@code posting_set_balance}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
