package dev.bourse.client.ws;

/**
 * An order operation was sent but no answer came: the connection was lost or the timeout passed. The order may or
 * may not have been executed; find out with {@code GET /api/v5/trade/order} by {@code clOrdId} before retrying.
 */
public class OpOutcomeUnknownException extends WsException {
    /** Why no answer came. */
    public enum Reason { TIMEOUT, DISCONNECTED, CLOSED }

    private final String id;
    private final String op;
    private final Reason reason;

    public OpOutcomeUnknownException(String id, String op, Reason reason, String detail) {
        super("sent, outcome unknown: " + op + " id=" + id + " " + reason.name().toLowerCase() + (detail == null ? "" : " (" + detail + ")"));
        this.id = id;
        this.op = op;
        this.reason = reason;
    }

    public String id() {
        return id;
    }

    public String op() {
        return op;
    }

    public Reason reason() {
        return reason;
    }
}
