package dev.bourse.server.events;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two bus instances on the local Redis act as two pods sequencing shards 0 and 1. Every test uses its
 * own key prefix and deletes its keys.
 */
class RedisStreamsEventBusIT {
    static final String REDIS = System.getProperty("bourse.test.redis", "127.0.0.1:6379");
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private String prefix;
    private RedisClient admin;
    private StatefulRedisConnection<String, String> adminConnection;
    private RedisCommands<String, String> redis;
    private long seed;

    @BeforeEach
    void setUp() {
        prefix = "bourse-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        admin = RedisClient.create("redis://" + REDIS);
        adminConnection = admin.connect();
        redis = adminConnection.sync();
        seed = System.nanoTime();
        System.out.println("RedisStreamsEventBusIT prefix " + prefix + ", seed " + seed);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        List<String> keys = redis.keys(prefix + "*");
        if (!keys.isEmpty()) {
            redis.del(keys.toArray(String[]::new));
        }
        adminConnection.close();
        admin.shutdown();
    }

    private RedisStreamsEventBus bus(String addr, int shard, int replayCount, SimpleMeterRegistry meters) {
        RedisStreamsEventBus bus = new RedisStreamsEventBus(addr, prefix, shard, () -> Set.of(0, 1), replayCount, meters);
        cleanup.add(bus);
        return bus;
    }

    /** What a timed-out wait prints about the state it waited for. */
    private static volatile Supplier<String> diagnostics = () -> "";

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ": " + diagnostics.get());
            }
            Thread.sleep(20);
        }
    }

    private static List<BatchEvents> ofShard(List<BatchEvents> seen, int shard) {
        return seen.stream().filter(b -> b.shardId() == shard).toList();
    }

    @Test
    void eachPodSeesTheOtherShardsBatchesInOrderAndPublishNeverWaits() throws Exception {
        // a reader more than MAXLEN entries behind loses the trimmed ones: the cap must hold this burst
        int n = 5_000;
        RedisStreamsEventBus pod0 = bus(REDIS, 0, 2 * n, new SimpleMeterRegistry());
        RedisStreamsEventBus pod1 = bus(REDIS, 1, 2 * n, new SimpleMeterRegistry());
        List<BatchEvents> seen0 = new CopyOnWriteArrayList<>();
        List<BatchEvents> seen1 = new CopyOnWriteArrayList<>();
        pod0.subscribe(seen0::add);
        pod1.subscribe(seen1::add);
        assertTrue(pod0.awaitFollowing(Duration.ofSeconds(10)));
        assertTrue(pod1.awaitFollowing(Duration.ofSeconds(10)));

        RandomBatches random = new RandomBatches(seed);
        List<BatchEvents> sent0 = new ArrayList<>();
        List<BatchEvents> sent1 = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent0.add(random.batch(0, 1 + 10L * i, 1 + i % 5));
            sent1.add(random.batch(1, 1_000_000_000_001L + 10L * i, 1 + i % 3));
        }
        // both sequencers publish at once, as two pods would
        long[] elapsed = new long[2];
        Thread t0 = Thread.ofPlatform().start(() -> {
            long s = System.nanoTime();
            sent0.forEach(pod0::publish);
            elapsed[0] = System.nanoTime() - s;
        });
        Thread t1 = Thread.ofPlatform().start(() -> {
            long s = System.nanoTime();
            sent1.forEach(pod1::publish);
            elapsed[1] = System.nanoTime() - s;
        });
        t0.join();
        t1.join();
        System.out.printf("publish of %d batches returned after %d ms and %d ms%n", n, elapsed[0] / 1_000_000,
                elapsed[1] / 1_000_000);
        diagnostics = () -> "pod 0 saw " + seen0.size() + ", pod 1 saw " + seen1.size() + " batches";
        assertTrue(elapsed[0] < 2_000_000_000L && elapsed[1] < 2_000_000_000L, "publish must not wait for Redis");

        // local subscribers got their own shard's batches synchronously
        assertEquals(sent0, ofShard(seen0, 0));
        assertEquals(sent1, ofShard(seen1, 1));
        // and the other shard's, complete and in commit order
        await("pod 0 to see shard 1", () -> ofShard(seen0, 1).size() >= n);
        await("pod 1 to see shard 0", () -> ofShard(seen1, 0).size() >= n);
        assertEquals(sent1, ofShard(seen0, 1));
        assertEquals(sent0, ofShard(seen1, 0));
        assertEquals(2 * n, seen0.size());
        assertEquals(2 * n, seen1.size());
    }

    @Test
    void streamsStayNearTheCapAndANewInstanceReplaysTheRecentBatchesInOrder() throws Exception {
        int cap = 100;
        SimpleMeterRegistry meters0 = new SimpleMeterRegistry();
        RedisStreamsEventBus pod0 = bus(REDIS, 0, cap, meters0);
        SimpleMeterRegistry meters1 = new SimpleMeterRegistry();
        RedisStreamsEventBus pod1 = bus(REDIS, 1, cap, meters1);
        RandomBatches random = new RandomBatches(seed);
        List<BatchEvents> sent0 = new ArrayList<>();
        List<BatchEvents> sent1 = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            BatchEvents b0 = random.batch(0, 1 + 3L * i, 2);
            BatchEvents b1 = random.batch(1, 5_000_001 + 3L * i, 1);
            sent0.add(b0);
            sent1.add(b1);
            pod0.publish(b0);
            pod1.publish(b1);
        }
        await("every XADD to be acknowledged", () -> meters0.get("bourse_event_publish_latency").timer().count() == 1_000
                && meters1.get("bourse_event_publish_latency").timer().count() == 1_000);
        long len0 = redis.xlen(pod0.streamKey(0));
        long len1 = redis.xlen(pod0.streamKey(1));
        System.out.println("stream lengths with MAXLEN ~ " + cap + ": " + len0 + ", " + len1);
        // MAXLEN ~ trims whole radix-tree nodes (100 entries by default): at least the cap, never far beyond
        assertTrue(len0 >= cap && len0 <= cap + 200, "length " + len0);
        assertTrue(len1 >= cap && len1 <= cap + 200, "length " + len1);
        assertEquals(0.0, meters0.get("bourse_event_publish_failures_total").counter().count());

        pod0.close(); // "restart" pod 0
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RedisStreamsEventBus restarted = bus(REDIS, 0, cap, meters);
        List<BatchEvents> replayed = new ArrayList<>();
        assertEquals(2 * cap, restarted.replay(replayed::add));
        List<BatchEvents> expected = new ArrayList<>(sent0.subList(sent0.size() - cap, sent0.size()));
        expected.addAll(sent1.subList(sent1.size() - cap, sent1.size()));
        assertEquals(expected, replayed);
        assertEquals(2.0 * cap, meters.get("bourse_event_replayed_batches_total").counter().count());
    }

    @Test
    void withRedisUnreachablePublishDoesNotBlockAndStillDeliversLocally() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RedisStreamsEventBus bus = new RedisStreamsEventBus("127.0.0.1:" + closedPort, prefix, 0, () -> Set.of(0, 1), 1000, meters);
        List<BatchEvents> seen = new ArrayList<>();
        bus.subscribe(seen::add);
        RandomBatches random = new RandomBatches(seed);
        int n = RedisStreamsEventBus.PENDING_CAPACITY + 5_000;
        List<BatchEvents> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(random.batch(0, 1 + 2L * i, 1));
        }
        long t0 = System.nanoTime();
        sent.forEach(bus::publish);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("publish of " + n + " batches with Redis down returned after " + ms + " ms");
        assertTrue(ms < 3_000, "publish must not wait for an unreachable Redis: " + ms + " ms");
        assertEquals(sent, seen);
        // the queue holds what it can; the rest is counted at once
        assertTrue(meters.get("bourse_event_publish_failures_total").counter().count() >= n - RedisStreamsEventBus.PENDING_CAPACITY);
        assertThrows(EventBusException.class, () -> bus.replay(b -> { }));
        bus.close();
        assertEquals((double) n, meters.get("bourse_event_publish_failures_total").counter().count(),
                "every batch that never reached Redis is counted");
    }

    @Test
    void aGarbageEntryIsSkippedAndTheStreamGoesOn() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RedisStreamsEventBus pod0 = bus(REDIS, 0, 1000, meters);
        List<BatchEvents> seen = new CopyOnWriteArrayList<>();
        pod0.subscribe(seen::add);
        assertTrue(pod0.awaitFollowing(Duration.ofSeconds(10)));
        RedisStreamsEventBus pod1 = bus(REDIS, 1, 1000, new SimpleMeterRegistry());
        BatchEvents before = new RandomBatches(seed).batch(1, 1, 3);
        BatchEvents after = new RandomBatches(seed + 1).batch(1, 4, 3);
        pod1.publish(before);
        await("the first batch", () -> seen.size() == 1);
        redis.xadd(pod0.streamKey(1), "data", "{not json");
        pod1.publish(after);
        await("the second batch", () -> seen.size() == 2);
        assertEquals(List.of(before, after), seen);
        assertEquals(1.0, meters.get("bourse_event_decode_failures_total").counter().count());
    }
}
