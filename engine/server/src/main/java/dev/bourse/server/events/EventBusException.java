package dev.bourse.server.events;

/** The event bus cannot do what was asked (for example its Redis is unreachable). */
public final class EventBusException extends RuntimeException {
    public EventBusException(String message, Throwable cause) {
        super(message, cause);
    }
}
