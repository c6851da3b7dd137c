package dev.bourse.client.ws;

/** A WebSocket operation failed. Subclasses say whether the request reached the server. */
public class WsException extends RuntimeException {
    public WsException(String message) {
        super(message);
    }

    public WsException(String message, Throwable cause) {
        super(message, cause);
    }
}
