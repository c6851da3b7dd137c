package dev.bourse.server.wallet;

import java.util.List;

/**
 * The wallet's view of a blockchain (or of the custody service in front of it). Every call may fail
 * (an exception); the wallet retries on its next scan, which is why {@link #broadcast} must be
 * idempotent by withdrawal id.
 */
public interface ChainAdapter {

    /** An incoming transfer, mined at {@code blockHeight}; unique by (txId, index). */
    record IncomingTransfer(String txId, int index, String asset, String address, long amount, long blockHeight) {
    }

    /** A payout as the chain sees it: failed, or mined with {@code confirmations} (0 = not yet mined). */
    record PayoutStatus(String txId, boolean failed, long confirmations) {
    }

    /** Short name of the adapter (a key of the scan cursor), e.g. {@code sim}. */
    String name();

    /** OKX-style chain name of an asset, e.g. {@code BTC-Bitcoin}. */
    String chain(String asset);

    /** A deposit address for (user, asset); the wallet stores it and asks once per (user, asset). */
    String newDepositAddress(long userId, String asset) throws Exception;

    /** Height of the newest block. */
    long tipHeight() throws Exception;

    /** Transfers to the exchange's addresses mined at heights in [fromHeight, toHeight]. */
    List<IncomingTransfer> incoming(long fromHeight, long toHeight) throws Exception;

    /** Sends {@code amount} to {@code address} for withdrawal {@code wdId}; a repeated call returns the first txId. */
    String broadcast(long wdId, String asset, String address, long amount) throws Exception;

    /** The payout of {@code wdId}, or null if it was never broadcast. */
    PayoutStatus payoutStatus(long wdId) throws Exception;

    /** What the exchange's hot wallet holds of {@code asset} (asset units). */
    long hotWalletBalance(String asset) throws Exception;
}
