package dev.bourse.server.routing;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardDirectoryTest {

    @Test
    void peersWinOverTheTemplateAndUnknownShardsHaveNoUrl() {
        ShardDirectory d = new ShardDirectory(0, Map::of, Map.of(1, "http://10.0.0.2:8080/"),
                "http://bourse-engine-{shard}.bourse-engine:8080");
        assertEquals(Optional.of(URI.create("http://10.0.0.2:8080")), d.baseUrl(1));
        assertEquals(Optional.of(URI.create("http://bourse-engine-7.bourse-engine:8080")), d.baseUrl(7));
        ShardDirectory none = new ShardDirectory(0, Map::of, Map.of(1, "http://10.0.0.2:8080"), null);
        assertEquals(Optional.empty(), none.baseUrl(2));
    }

    @Test
    void aMissReadsTheOwnersAgainButNotOnEveryRequest() throws Exception {
        Map<String, Integer> table = new HashMap<>(Map.of("BTC-USDT", 0));
        AtomicInteger reads = new AtomicInteger();
        ShardDirectory d = new ShardDirectory(0, () -> {
            reads.incrementAndGet();
            return Map.copyOf(table);
        }, Map.of(), null);
        assertEquals(OptionalInt.of(0), d.shardOf("BTC-USDT"));
        assertTrue(d.isLocal("BTC-USDT"));
        assertEquals(1, reads.get());
        assertEquals(OptionalInt.of(0), d.shardOf("BTC-USDT"));
        assertEquals(1, reads.get(), "a hit is answered from the cache");

        // unknown instruments right after a load do not query again ...
        assertEquals(OptionalInt.empty(), d.shardOf("NOPE-USDT"));
        assertEquals(OptionalInt.empty(), d.shardOf("NOPE-USDT"));
        assertEquals(1, reads.get());
        // ... but a newly listed one is found once the refresh interval passed
        table.put("ETH-USDT", 3);
        Thread.sleep(ShardDirectory.MISS_REFRESH_MILLIS + 50);
        assertEquals(OptionalInt.of(3), d.shardOf("ETH-USDT"));
        assertFalse(d.isLocal("ETH-USDT"));
        assertEquals(2, reads.get());
        assertEquals(Set.of(0, 3), d.shardIds());
    }

    @Test
    void aDatabaseOutageIsNotAnOwnerAndIsNotRetriedOnEveryMiss() {
        AtomicInteger reads = new AtomicInteger();
        ShardDirectory d = new ShardDirectory(2, () -> {
            reads.incrementAndGet();
            throw new SQLException("connection refused");
        }, Map.of(), null);
        assertEquals(OptionalInt.empty(), d.shardOf("BTC-USDT"));
        assertEquals(OptionalInt.empty(), d.shardOf("BTC-USDT"));
        assertEquals(1, reads.get());
        assertEquals(Set.of(2), d.shardIds());
    }
}
