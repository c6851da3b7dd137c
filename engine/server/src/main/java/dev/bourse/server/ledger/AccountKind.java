package dev.bourse.server.ledger;

/** What a ledger account stands for. */
public enum AccountKind {
    /** A trader. */
    USER,
    /** Fees collected (and maker rebates paid) by one shard. One per shard so shards never contend on it. */
    FEES,
    /**
     * Money outside the exchange: the contra account of deposits and completed withdrawals. Its balance
     * is minus what the exchange owes its users in total, so it is the one account that may go negative.
     */
    EXTERNAL,
    /** Withdrawals approved and taken from the user, not yet paid out on chain / by bank. */
    WITHDRAWALS_IN_TRANSIT,
    /** Withdrawal fees collected by the wallet (returned to the user when a payout fails). */
    WALLET_FEES
}
