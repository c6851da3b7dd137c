package dev.bourse.server.events;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers batches to subscribers in this process, synchronously and in commit order. Subscribers
 * must be quick (hand off to their own queue); one that throws is logged and does not stop the others.
 */
public final class InProcessEventBus implements EventBus {
    private static final Logger LOG = Logger.getLogger(InProcessEventBus.class.getName());
    private final CopyOnWriteArrayList<Consumer<BatchEvents>> subscribers = new CopyOnWriteArrayList<>();

    @Override
    public void publish(BatchEvents batch) {
        for (Consumer<BatchEvents> s : subscribers) {
            try {
                s.accept(batch);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event subscriber failed on batch " + batch.firstSeq() + ".." + batch.lastSeq(), e);
            }
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<BatchEvents> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }
}
