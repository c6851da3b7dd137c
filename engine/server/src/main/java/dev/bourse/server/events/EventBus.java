package dev.bourse.server.events;

import java.util.function.Consumer;

/**
 * Where committed batches' events go. In-process by default; the trader API's Redis Streams bus
 * plugs in here. {@link #publish} is called on the shard's sequencer thread after commit and must not
 * block on subscribers.
 */
public interface EventBus extends AutoCloseable {
    void publish(BatchEvents batch);

    /** Registers a subscriber; returns a handle that removes it. */
    AutoCloseable subscribe(Consumer<BatchEvents> subscriber);

    @Override
    default void close() {
    }
}
