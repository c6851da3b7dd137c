package dev.bourse.client.rest.gate;

/** The gate did not let a request through; nothing was sent. */
public final class GateRefusal extends Exception {
    /** Why. */
    public enum Reason {
        /** The caller's deadline passed, or would pass before a budget frees up. */
        DEADLINE,
        /** The caller cancelled. */
        CANCELED,
        /** The waiting thread was interrupted (its interrupt flag is set again). */
        INTERRUPTED,
        /** The request costs more than its budget holds in a whole window: it can never pass. */
        TOO_LARGE
    }

    private final Reason reason;

    public GateRefusal(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
