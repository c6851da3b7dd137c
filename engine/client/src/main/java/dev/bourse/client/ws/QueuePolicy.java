package dev.bourse.client.ws;

/** What an asynchronous handler queue does with a message when it is full. */
public enum QueuePolicy {
    /**
     * The reader thread waits for room: nothing is lost, the socket is read no faster than the handler runs, and a
     * server that buffers a bounded amount per client (Bourse: {@code WS_MAX_QUEUED_FRAMES}) eventually closes the
     * connection; pongs wait behind the backlog, so a long stall also shows as a pong timeout.
     */
    BLOCK,
    /** The message is discarded and counted ({@code stats().typedDropped()/rawDropped()}); the connection stays. */
    DROP,
    /**
     * The message is discarded and counted, and the connection is closed and reopened (resubscribing), so the gap
     * is visible and books restart from a fresh snapshot.
     */
    DISCONNECT
}
