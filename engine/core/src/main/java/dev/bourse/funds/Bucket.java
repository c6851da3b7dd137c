package dev.bourse.funds;

/** The two ledger sub-accounts every (user, asset) pair has. */
public enum Bucket {
    /** Free to trade or withdraw. */
    AVAILABLE,
    /** Reserved for working orders. */
    HELD
}
