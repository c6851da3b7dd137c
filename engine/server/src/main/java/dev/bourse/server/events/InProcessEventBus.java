package dev.bourse.server.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers batches to subscribers in this process, synchronously and in commit order. Subscribers
 * must be quick (hand off to their own queue); one that throws is logged and does not stop the others.
 * Keeps the last {@code replayCount} batches in memory for {@link #replay}.
 */
public final class InProcessEventBus implements EventBus {
    private static final Logger LOG = Logger.getLogger(InProcessEventBus.class.getName());
    /** EVENT_REPLAY_COUNT's default. */
    public static final int DEFAULT_REPLAY_COUNT = 1000;

    private final CopyOnWriteArrayList<Consumer<BatchEvents>> subscribers = new CopyOnWriteArrayList<>();
    private final int replayCount;
    private final ArrayDeque<BatchEvents> recent; // guarded by itself
    private final Counter replayed;

    public InProcessEventBus() {
        this(DEFAULT_REPLAY_COUNT, new SimpleMeterRegistry());
    }

    public InProcessEventBus(int replayCount, MeterRegistry meters) {
        if (replayCount < 1) {
            throw new IllegalArgumentException("replayCount must be positive");
        }
        this.replayCount = replayCount;
        this.recent = new ArrayDeque<>(Math.min(replayCount, 4096));
        this.replayed = replayedCounter(meters);
    }

    static Counter replayedCounter(MeterRegistry meters) {
        return Counter.builder("bourse_event_replayed_batches_total")
                .description("batches handed to a subscriber from the recent history (gap fill after a (re)start)")
                .register(meters);
    }

    @Override
    public void publish(BatchEvents batch) {
        synchronized (recent) {
            if (recent.size() == replayCount) {
                recent.removeFirst();
            }
            recent.addLast(batch);
        }
        deliver(subscribers, batch);
    }

    static void deliver(List<Consumer<BatchEvents>> subscribers, BatchEvents batch) {
        for (Consumer<BatchEvents> s : subscribers) {
            try {
                s.accept(batch);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event subscriber failed on batch " + batch.shardId() + ":" + batch.firstSeq()
                        + ".." + batch.lastSeq(), e);
            }
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<BatchEvents> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** The last {@code replayCount} batches published here, shard after shard, each shard in commit order. */
    @Override
    public int replay(Consumer<BatchEvents> sink) {
        List<BatchEvents> copy;
        synchronized (recent) {
            copy = new ArrayList<>(recent);
        }
        copy.sort(Comparator.comparingInt(BatchEvents::shardId)); // stable: commit order within a shard stays
        for (BatchEvents b : copy) {
            sink.accept(b);
            replayed.increment();
        }
        return copy.size();
    }
}
