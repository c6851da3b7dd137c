package dev.bourse.client.ws;

/** The request was not sent (not connected, not logged in, or the socket refused it): nothing can have happened. */
public class WsNotSentException extends WsException {
    public WsNotSentException(String message) {
        super(message);
    }
}
