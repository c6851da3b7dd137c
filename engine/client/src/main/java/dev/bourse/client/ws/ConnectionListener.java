package dev.bourse.client.ws;

/**
 * Connection state changes, called on the client's own threads: keep it short. {@code onReady} follows each
 * successful (re)connection, after login on a private client and after the resubscribe request was sent.
 */
public interface ConnectionListener {
    default void onReady(String url) {
    }

    /** The connection was lost or closed; {@code reconnecting} tells whether the client will reconnect. */
    default void onDisconnected(String reason, boolean reconnecting) {
    }
}
