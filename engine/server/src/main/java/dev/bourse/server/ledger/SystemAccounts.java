package dev.bourse.server.ledger;

/** Fixed ids of the system accounts. User accounts start at 10000 (sequence user_account_ids). */
public final class SystemAccounts {
    public static final long EXTERNAL = 1;
    public static final long WITHDRAWALS_IN_TRANSIT = 2;
    /** Withdrawal fees taken by the wallet when it broadcasts a payout. */
    public static final long WALLET_FEES = 3;
    private static final long FEES_BASE = 1000;
    public static final long FIRST_USER = 10_000;

    private SystemAccounts() {
    }

    /** The fee account of a shard. */
    public static long fees(int shardId) {
        return FEES_BASE + shardId;
    }

    public static boolean isUser(long accountId) {
        return accountId >= FIRST_USER;
    }
}
