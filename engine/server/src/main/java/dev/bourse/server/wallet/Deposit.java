package dev.bourse.server.wallet;

/** One incoming transfer to a user's deposit address, as the watcher recorded it. */
public record Deposit(long depId, String txId, int txIndex, long userId, String asset, String chain, String address,
                      long amount, long blockHeight, State state, long firstSeenAt, Long creditedAt) {

    public enum State {
        /** Seen on chain, not credited (too few confirmations, deposits disabled or blocked). */
        PENDING,
        /** Credited to the user's available balance (once, under a posting key derived from the tx). */
        CREDITED
    }
}
