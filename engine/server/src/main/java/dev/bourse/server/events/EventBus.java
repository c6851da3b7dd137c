package dev.bourse.server.events;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Where committed batches' events go. In-process by default ({@link InProcessEventBus}); with
 * {@code REDIS_ADDR} set, {@link RedisStreamsEventBus} also fans them out to every other pod.
 * {@link #publish} is called on the shard's sequencer thread after commit and must not block on
 * subscribers or on the network. A subscriber sees the batches of each shard in commit order;
 * {@link BatchEvents#shardId()} tells which shard a batch came from.
 */
public interface EventBus extends AutoCloseable {
    void publish(BatchEvents batch);

    /** Registers a subscriber; returns a handle that removes it. */
    AutoCloseable subscribe(Consumer<BatchEvents> subscriber);

    /**
     * Hands the recent batches (up to {@code EVENT_REPLAY_COUNT} per shard) to {@code sink} on the
     * calling thread, oldest first within each shard, shard after shard in ascending id: how a
     * subscriber that (re)starts fills the gap before live events. Subscribers de-duplicate with
     * {@link BatchEvents#firstSeq()}/{@link BatchEvents#lastSeq()}, since a live batch may also be
     * replayed. Returns the number of batches handed over.
     *
     * @throws EventBusException when the history cannot be read (e.g. Redis is unreachable); the
     *                           caller falls back to the database
     */
    default int replay(Consumer<BatchEvents> sink) {
        return 0;
    }

    /**
     * Waits until batches of every other shard published from now on reach this bus's subscribers; true
     * once they do, false after {@code timeout}. A subscriber that (re)starts calls it before
     * {@link #replay}, so that the replay and the live batches overlap rather than leave a gap. An
     * in-process bus has no other shards: true at once.
     */
    default boolean awaitFollowing(Duration timeout) throws InterruptedException {
        return true;
    }

    @Override
    default void close() {
    }
}
