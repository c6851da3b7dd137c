package dev.bourse.client.error;

import java.time.Duration;

/**
 * The call ended without an answer from the exchange. {@link #stage} says where, {@link #dispatched} whether the
 * request may have reached the exchange:
 * <ul>
 *   <li>{@code PREFLIGHT, dispatched=false}: refused by the SDK before anything else (missing parameter, no
 *       credentials for a private endpoint) — fix the call;</li>
 *   <li>{@code GATE, dispatched=false}: the deadline passed or the call was cancelled while waiting in the request
 *       gate — nothing was sent, safe to send again;</li>
 *   <li>{@code HTTP, dispatched=false}: the connection could not be made (refused, DNS) — nothing was sent;</li>
 *   <li>{@code HTTP, dispatched=true}: the request was (at least partly) written and then the call failed (timeout,
 *       connection reset, cancelled) — <b>outcome unknown</b>: for an order, query it by {@code clOrdId} before doing
 *       anything else (see {@code TradeService#placeOrReconcile}).</li>
 * </ul>
 */
public final class RequestStateException extends OkxClientException {
    /** Where the call stopped. */
    public enum Stage {
        /** Checked by the SDK before the gate. */
        PREFLIGHT,
        /** Waiting for a slot or a rate budget in the request gate. */
        GATE,
        /** Connecting, sending or waiting for the answer. */
        HTTP
    }

    private final Stage stage;
    private final boolean dispatched;

    public RequestStateException(Stage stage, boolean dispatched, String method, String path, String message,
                                 Throwable cause, int attempt, Duration elapsed) {
        super(method + " " + path + ": stage=" + stage.name().toLowerCase() + " dispatched=" + dispatched + ": " + message,
                cause, method, path, attempt, elapsed);
        this.stage = stage;
        this.dispatched = dispatched;
    }

    public Stage stage() {
        return stage;
    }

    /** True when the request may have reached the exchange (its outcome is unknown). */
    public boolean dispatched() {
        return dispatched;
    }
}
