package dev.bourse.server.wallet;

/**
 * One withdrawal as stored. {@code amount} is what the address receives, {@code fee} what the exchange
 * keeps; both were held from the user when the request was accepted.
 */
public record Withdrawal(long wdId, long userId, String asset, String chain, String toAddr, long amount, long fee,
                         String clientId, State state, boolean reviewed, String reviewedBy, String txId, String note,
                         long createdAt, long updatedAt) {

    public enum State {
        /** Above the review threshold: waits for an operator. Funds held. */
        PENDING_REVIEW,
        /** Queued for payout (directly, or after review). Funds held. */
        APPROVED,
        /** Taken from the user and in transit; {@code txId} set once the chain accepted it. */
        BROADCAST,
        /** Paid: in-transit settled to the external account. */
        CONFIRMED,
        /** The chain refused or dropped the payout: amount and fee returned to the user. */
        FAILED,
        /** Refused by an operator before broadcast: held returned. */
        REJECTED,
        /** Cancelled by the trader before broadcast: held returned. */
        CANCELED;

        public boolean live() {
            return this == PENDING_REVIEW || this == APPROVED || this == BROADCAST;
        }
    }

    /**
     * OKX's withdrawal state code: 4 waiting manual review, 0 waiting withdrawal, 7 approved (after a
     * review), 1 broadcasting, 2 success, -1 failed (also an operator's rejection, with a note), -2 canceled.
     */
    public String okxState() {
        return switch (state) {
            case PENDING_REVIEW -> "4";
            case APPROVED -> reviewed ? "7" : "0";
            case BROADCAST -> "1";
            case CONFIRMED -> "2";
            case FAILED, REJECTED -> "-1";
            case CANCELED -> "-2";
        };
    }
}
