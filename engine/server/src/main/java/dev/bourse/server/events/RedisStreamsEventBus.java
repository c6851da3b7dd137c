package dev.bourse.server.events;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fans committed batches out through Redis Streams so that every pod can serve every subscription.
 *
 * <p>{@link #publish} (the sequencer thread, right after commit) delivers the batch to this process's
 * subscribers synchronously and in order, exactly like {@link InProcessEventBus}, then only offers it
 * to a bounded queue: a publisher thread sends {@code XADD <prefix>events:<shard> MAXLEN ~ N * data
 * <json>} pipelined on its own connection. Redis being slow, down or unreachable therefore never
 * holds up trading: when the queue is full the batch is counted in
 * {@code bourse_event_publish_failures_total} and left out of the stream (every event can be derived
 * again from the database).
 *
 * <p>A reader thread follows the streams of all OTHER shards with {@code XREAD BLOCK} on a dedicated
 * connection and delivers their batches to the same subscribers, per shard in stream (= commit) order.
 * Local and remote deliveries are serialized, so a subscriber never runs on two threads at once.
 *
 * <p>{@link #replay} reads the last {@code replayCount} entries of every shard's stream.
 */
public final class RedisStreamsEventBus implements EventBus {
    private static final Logger LOG = Logger.getLogger(RedisStreamsEventBus.class.getName());
    private static final byte[] NO_DATA = new byte[0];
    /** Batches waiting for XADD; beyond this the sequencer drops them rather than wait. */
    static final int PENDING_CAPACITY = 16_384;
    private static final int PIPELINE = 512;
    /** Entries per XREAD: large, so that a reader that fell behind catches up before MAXLEN trims. */
    private static final int READ_COUNT = 4096;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final long BLOCK_MILLIS = 1_000;
    private static final long SHARD_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final String FIELD = "data";

    private final RedisClient client;
    private final RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private final EventCodec events = new EventCodec();
    private final String keyPrefix;
    private final int ownShardId;
    private final Supplier<? extends Collection<Integer>> shardIds;
    private final int replayCount;
    private final XAddArgs xaddArgs;

    private final CopyOnWriteArrayList<Consumer<BatchEvents>> subscribers = new CopyOnWriteArrayList<>();
    private final Object deliveryLock = new Object();
    private final ArrayBlockingQueue<Outgoing> pending = new ArrayBlockingQueue<>(PENDING_CAPACITY);
    private final Thread publisher;
    private final Thread reader;
    private final CountDownLatch readerPositioned = new CountDownLatch(1);
    private volatile boolean running = true;

    private StatefulRedisConnection<String, byte[]> publishConnection; // publisher thread only
    private StatefulRedisConnection<String, byte[]> readConnection; // reader thread only
    private StatefulRedisConnection<String, byte[]> controlConnection; // guarded by this
    private final Map<Integer, String> positions = new LinkedHashMap<>(); // reader thread only: shard -> last id

    private final Counter publishFailures;
    private final Counter replayed;
    private final Counter received;
    private final Counter undecodable;
    private final Timer publishLatency;
    private final Timer streamLag;
    private final RateLimitedLog publishLog = new RateLimitedLog(LOG, 10_000);
    private final RateLimitedLog readLog = new RateLimitedLog(LOG, 10_000);

    private record Outgoing(BatchEvents batch, long publishedNanos) {
    }

    /**
     * Connects lazily and retries in the background: a Redis that is down at start-up delays the
     * fan-out, not the engine.
     *
     * @param redisAddr   {@code host:port} or a {@code redis://}/{@code rediss://} URL
     * @param keyPrefix   prepended to every key ({@code REDIS_KEY_PREFIX}, e.g. {@code bourse:})
     * @param ownShardId  the shard this process sequences: its stream is written, not followed
     * @param shardIds    every shard that owns instruments (asked again every few seconds)
     * @param replayCount {@code EVENT_REPLAY_COUNT}: stream cap (approximate) and replay length
     */
    public RedisStreamsEventBus(String redisAddr, String keyPrefix, int ownShardId,
                                Supplier<? extends Collection<Integer>> shardIds, int replayCount, MeterRegistry meters) {
        if (replayCount < 1) {
            throw new IllegalArgumentException("replayCount must be positive");
        }
        this.keyPrefix = keyPrefix;
        this.ownShardId = ownShardId;
        this.shardIds = shardIds;
        this.replayCount = replayCount;
        this.xaddArgs = XAddArgs.Builder.maxlen(replayCount).approximateTrimming();
        RedisURI uri = uri(redisAddr);
        uri.setTimeout(COMMAND_TIMEOUT);
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // fail at once while disconnected instead of queueing without bound in Lettuce
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(PENDING_CAPACITY)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());

        String shard = Integer.toString(ownShardId);
        publishFailures = Counter.builder("bourse_event_publish_failures_total").tag("shard", shard)
                .description("batches that did not reach Redis (queue full, Redis down or erroring); events stay in the database")
                .register(meters);
        replayed = InProcessEventBus.replayedCounter(meters);
        received = Counter.builder("bourse_event_received_batches_total")
                .description("batches of other shards read from Redis and delivered to local subscribers").register(meters);
        undecodable = Counter.builder("bourse_event_decode_failures_total")
                .description("stream entries that are not an event batch (skipped)").register(meters);
        publishLatency = Timer.builder("bourse_event_publish_latency").tag("shard", shard)
                .description("from commit (publish) to XADD acknowledged by Redis").publishPercentiles(0.5, 0.99, 0.999)
                .register(meters);
        streamLag = Timer.builder("bourse_event_stream_lag")
                .description("from XADD on the origin pod to delivery here (stream id time; assumes synchronized clocks)")
                .publishPercentiles(0.5, 0.99).register(meters);
        Gauge.builder("bourse_event_publish_pending", pending, ArrayBlockingQueue::size).tag("shard", shard)
                .description("batches waiting for XADD").register(meters);

        publisher = new Thread(this::publishLoop, "redis-events-publisher");
        publisher.setDaemon(true);
        reader = new Thread(this::readLoop, "redis-events-reader");
        reader.setDaemon(true);
        publisher.start();
        reader.start();
    }

    /** {@code host:port} or a redis URL, as {@code REDIS_ADDR} allows. */
    static RedisURI uri(String redisAddr) {
        return RedisURI.create(redisAddr.contains("://") ? redisAddr : "redis://" + redisAddr);
    }

    /** The stream a shard's batches go to. */
    public String streamKey(int shardId) {
        return keyPrefix + "events:" + shardId;
    }

    // ------------------------------------------------------------------ publishing (sequencer thread)

    @Override
    public void publish(BatchEvents batch) {
        deliver(batch);
        if (!pending.offer(new Outgoing(batch, System.nanoTime()))) {
            publishFailures.increment();
            publishLog.warn("Redis event queue full (" + PENDING_CAPACITY + " batches): batch " + batch.shardId() + ":"
                    + batch.firstSeq() + ".." + batch.lastSeq() + " is not fanned out", null);
        }
    }

    private void deliver(BatchEvents batch) {
        synchronized (deliveryLock) {
            InProcessEventBus.deliver(subscribers, batch);
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<BatchEvents> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    // ------------------------------------------------------------------ publisher thread

    private void publishLoop() {
        List<Outgoing> chunk = new ArrayList<>(PIPELINE);
        List<RedisFuture<String>> acks = new ArrayList<>(PIPELINE);
        long backoff = 100;
        long nextAttempt = 0;
        long closeDeadline = 0;
        while (true) {
            if (!running) {
                if (closeDeadline == 0) {
                    closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                }
                if (pending.isEmpty() || System.nanoTime() - closeDeadline > 0) {
                    break;
                }
            }
            if (publishConnection == null && System.nanoTime() - nextAttempt >= 0) {
                try {
                    publishConnection = client.connect(codec);
                    publishConnection.setAutoFlushCommands(false); // pipelined: one flush per chunk
                    backoff = 100;
                    LOG.info("event publisher connected to Redis");
                } catch (RuntimeException e) {
                    publishLog.warn("event publisher cannot connect to Redis; batches wait in a bounded queue", e);
                    nextAttempt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
                    backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                }
            }
            if (publishConnection == null || !publishConnection.isOpen()) {
                // keep the queue: a short outage costs nothing; a long one overflows it (counted in publish)
                sleep(50);
                continue;
            }
            Outgoing first;
            try {
                first = pending.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (first == null) {
                continue;
            }
            chunk.add(first);
            pending.drainTo(chunk, PIPELINE - 1);
            send(chunk, acks);
            chunk.clear();
            acks.clear();
        }
        int dropped = pending.size();
        pending.clear();
        if (dropped > 0) {
            publishFailures.increment(dropped);
            LOG.warning(dropped + " event batches were not fanned out to Redis before shutdown");
        }
    }

    private void send(List<Outgoing> chunk, List<RedisFuture<String>> acks) {
        RedisAsyncCommands<String, byte[]> cmd = publishConnection.async();
        for (Outgoing o : chunk) {
            byte[] json;
            try {
                json = events.encode(o.batch());
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "cannot encode batch " + o.batch().firstSeq() + ".." + o.batch().lastSeq(), e);
                acks.add(null);
                continue;
            }
            acks.add(cmd.xadd(streamKey(o.batch().shardId()), xaddArgs, Map.of(FIELD, json)));
        }
        publishConnection.flushCommands();
        for (int i = 0; i < chunk.size(); i++) {
            RedisFuture<String> ack = acks.get(i);
            Outgoing o = chunk.get(i);
            if (ack == null) {
                publishFailures.increment();
                continue;
            }
            try {
                ack.get(COMMAND_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                publishLatency.record(System.nanoTime() - o.publishedNanos(), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                publishFailures.increment();
                publishLog.warn("XADD of batch " + o.batch().shardId() + ":" + o.batch().firstSeq() + ".."
                        + o.batch().lastSeq() + " failed; not fanned out", e instanceof java.util.concurrent.ExecutionException
                        ? e.getCause() : e);
            }
        }
    }

    // ------------------------------------------------------------------ reader thread

    private void readLoop() {
        long backoff = 100;
        long nextRefresh = System.nanoTime();
        while (running) {
            try {
                if (readConnection == null || !readConnection.isOpen()) {
                    closeQuietly(readConnection);
                    readConnection = null;
                    // positions are kept: after an outage the reader resumes where it stopped (while the
                    // entries are still within MAXLEN), so a short outage loses nothing
                    readConnection = client.connect(codec);
                    nextRefresh = System.nanoTime();
                }
                RedisCommands<String, byte[]> redis = readConnection.sync();
                if (System.nanoTime() - nextRefresh >= 0) {
                    follow(redis);
                    nextRefresh = System.nanoTime() + SHARD_REFRESH_NANOS;
                    readerPositioned.countDown();
                }
                backoff = 100;
                if (positions.isEmpty()) {
                    sleep(BLOCK_MILLIS);
                    continue;
                }
                @SuppressWarnings("unchecked")
                XReadArgs.StreamOffset<String>[] offsets = new XReadArgs.StreamOffset[positions.size()];
                int i = 0;
                for (Map.Entry<Integer, String> p : positions.entrySet()) {
                    offsets[i++] = XReadArgs.StreamOffset.from(streamKey(p.getKey()), p.getValue());
                }
                List<StreamMessage<String, byte[]>> messages = redis.xread(
                        XReadArgs.Builder.block(BLOCK_MILLIS).count(READ_COUNT), offsets);
                for (StreamMessage<String, byte[]> m : messages) {
                    int shard = shardOf(m.getStream());
                    if (positions.containsKey(shard)) {
                        positions.put(shard, m.getId());
                    }
                    BatchEvents batch = decode(m);
                    if (batch != null) {
                        streamLag.record(Math.max(0, System.currentTimeMillis() - idMillis(m.getId())), TimeUnit.MILLISECONDS);
                        received.increment();
                        deliver(batch);
                    }
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                readLog.warn("event reader: Redis unavailable; other shards' events are delayed", e);
                closeQuietly(readConnection);
                readConnection = null;
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
        closeQuietly(readConnection);
    }

    /** Starts following the streams of shards that appeared (from their current end); forgets those gone. */
    private void follow(RedisCommands<String, byte[]> redis) {
        TreeSet<Integer> others = new TreeSet<>();
        try {
            others.addAll(shardIds.get());
        } catch (RuntimeException e) {
            readLog.warn("event reader cannot list the shards; keeps following the known ones", e);
            return;
        }
        others.remove(ownShardId);
        positions.keySet().retainAll(others);
        for (int shard : others) {
            if (!positions.containsKey(shard)) {
                List<StreamMessage<String, byte[]>> last = redis.xrevrange(streamKey(shard), Range.unbounded(), Limit.from(1));
                positions.put(shard, last.isEmpty() ? "0-0" : last.getFirst().getId());
            }
        }
    }

    private int shardOf(String stream) {
        try {
            return Integer.parseInt(stream.substring(stream.lastIndexOf(':') + 1));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static long idMillis(String id) {
        int dash = id.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
        } catch (NumberFormatException e) {
            return System.currentTimeMillis();
        }
    }

    private BatchEvents decode(StreamMessage<String, byte[]> m) {
        byte[] json = m.getBody() == null ? NO_DATA : m.getBody().getOrDefault(FIELD, NO_DATA);
        try {
            return events.decode(json);
        } catch (IllegalArgumentException e) {
            undecodable.increment();
            readLog.warn("skipping stream entry " + m.getStream() + " " + m.getId() + " that is not an event batch", e);
            return null;
        }
    }

    /**
     * True once the reader follows the other shards' streams: batches they publish from then on are
     * delivered here. For start-up ordering (subscribe, wait, then replay) and tests.
     */
    @Override
    public boolean awaitFollowing(Duration timeout) throws InterruptedException {
        return readerPositioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ replay

    @Override
    public int replay(Consumer<BatchEvents> sink) {
        Map<Integer, List<StreamMessage<String, byte[]>>> history = new LinkedHashMap<>();
        try {
            TreeSet<Integer> shards = new TreeSet<>(shardIds.get());
            shards.add(ownShardId);
            RedisCommands<String, byte[]> redis = control();
            for (int shard : shards) {
                List<StreamMessage<String, byte[]>> newestFirst = redis.xrevrange(streamKey(shard), Range.unbounded(),
                        Limit.from(replayCount));
                List<StreamMessage<String, byte[]>> oldestFirst = new ArrayList<>(newestFirst);
                Collections.reverse(oldestFirst);
                history.put(shard, oldestFirst);
            }
        } catch (RuntimeException e) {
            throw new EventBusException("cannot read the recent events: " + e.getMessage(), e);
        }
        int n = 0;
        for (List<StreamMessage<String, byte[]>> stream : history.values()) {
            for (StreamMessage<String, byte[]> m : stream) {
                BatchEvents batch = decode(m);
                if (batch != null) {
                    sink.accept(batch);
                    replayed.increment();
                    n++;
                }
            }
        }
        return n;
    }

    private synchronized RedisCommands<String, byte[]> control() {
        if (controlConnection == null || !controlConnection.isOpen()) {
            closeQuietly(controlConnection);
            controlConnection = null;
            controlConnection = client.connect(codec);
        }
        return controlConnection.sync();
    }

    // ------------------------------------------------------------------ shutdown

    /** Stops reading, gives queued batches up to 2 s to reach Redis, then disconnects. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        join(publisher, 10_000);
        join(reader, BLOCK_MILLIS + COMMAND_TIMEOUT.toMillis() + 1_000);
        closeQuietly(publishConnection);
        synchronized (this) {
            closeQuietly(controlConnection);
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private static void join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(StatefulRedisConnection<?, ?> c) {
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // closing a broken connection: nothing left to release
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
