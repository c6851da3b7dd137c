package dev.bourse.server.reconcile;

import java.util.Objects;

/**
 * One broken invariant. Amounts are in the asset's smallest units (sizes in base units), as stored,
 * so the report never rounds what it compares.
 *
 * @param subject  what is wrong, e.g. {@code account 10000, asset 0 (BTC), available} or {@code order 7}
 * @param expected what the invariant requires
 * @param actual   what the snapshot holds
 */
public record Anomaly(Check check, String subject, String expected, String actual) {
    public Anomaly {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
    }

    /** {@code check  subject: expected X, actual Y}. */
    public String toText() {
        return check.id() + "  " + subject + ": expected " + expected + ", actual " + actual;
    }
}
