package dev.bourse.server.support;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** The local Redis for tests: a unique key prefix per test class and the removal of its keys afterwards. */
public final class TestRedis {
    public static final String ADDR = System.getProperty("bourse.test.redis", "127.0.0.1:6379");

    private TestRedis() {
    }

    /** A fresh {@code REDIS_KEY_PREFIX}, e.g. {@code bourse-it-md-1a2b3c4d:}. */
    public static String prefix(String what) {
        return "bourse-it-" + what + "-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** Every key under {@code prefix}. */
    public static List<String> keys(String prefix) {
        return withConnection(c -> keys(c, prefix));
    }

    /** Deletes every key under {@code prefix}; returns how many there were. */
    public static int deleteKeys(String prefix) {
        return withConnection(c -> {
            List<String> found = keys(c, prefix);
            return found.isEmpty() ? 0 : (int) (long) c.sync().del(found.toArray(String[]::new));
        });
    }

    private static List<String> keys(StatefulRedisConnection<String, String> c, String prefix) {
        List<String> found = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> r = c.sync().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
            found.addAll(r.getKeys());
            cursor = r;
        } while (!cursor.isFinished());
        return found;
    }

    private static <T> T withConnection(Function<StatefulRedisConnection<String, String>, T> work) {
        RedisClient client = RedisClient.create("redis://" + ADDR);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return work.apply(c);
        } finally {
            client.shutdown();
        }
    }
}
