package dev.bourse.funds;

/**
 * How the engine reaches balances. The server backs it by database rows inside the batch
 * transaction (conditional updates), tests and benchmarks by {@link InMemoryBalances}.
 */
public interface BalancePort {
    /**
     * Applies every entry of a balanced set, or none of them: if any (account, asset, bucket) balance
     * would become negative, nothing changes and the method returns {@code false}.
     */
    boolean apply(PostingSet postings);

    /** Available balance of {@code account} in {@code asset}. */
    long available(long account, int asset);
}
