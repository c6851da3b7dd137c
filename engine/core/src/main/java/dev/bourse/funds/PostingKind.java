package dev.bourse.funds;

/** What caused a posting set. */
public enum PostingKind {
    /** Funds moved from available to held for a new or enlarged order. */
    HOLD,
    /** Unused held funds returned to available (cancel, expiry, amend down, price improvement). */
    RELEASE,
    /** A fill: held funds paid to the counterparty, fees to the fee account. */
    FILL
}
