package dev.bourse.operator.shards;

import org.junit.jupiter.api.Test;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ShardAssignerTest {
    @Test
    void theShardWithFewestSymbolsWinsLowestOrdinalOnATie() {
        ShardAssigner a = new ShardAssigner();
        Map<Integer, Set<String>> load = Map.of(0, Set.of("BTC-USDT", "ETH-USDT"), 1, Set.of("SOL-USDT"), 2, Set.of());
        assertEquals(2, a.assign("ns", "ADA-USDT", 3, load, Map.of()));
        assertEquals(0, a.assign("ns", "X-USDT", 1, Map.of(), Map.of()));
    }

    @Test
    void symbolsCreatedAtOnceSpreadOutBeforeAnyEngineReportsThem() {
        ShardAssigner a = new ShardAssigner();
        Map<Integer, Set<String>> none = new HashMap<>();
        assertEquals(0, a.assign("ns", "A-USDT", 2, none, Map.of()));
        assertEquals(1, a.assign("ns", "B-USDT", 2, none, Map.of()));
        assertEquals(0, a.assign("ns", "C-USDT", 2, none, Map.of()));
        assertEquals(0, a.assign("ns", "A-USDT", 2, none, Map.of()), "asked again: the same answer");
        assertEquals(0, a.assign("other", "D-USDT", 2, none, Map.of()), "namespaces are separate exchanges");
    }

    @Test
    void claimsOfOtherResourcesCountOnceAndTheSymbolItselfNotAtAll() {
        ShardAssigner a = new ShardAssigner();
        Map<Integer, Set<String>> load = Map.of(0, Set.of("BTC-USDT"), 1, Set.of());
        Map<Integer, Set<String>> claims = ShardAssigner.group(List.of(
                new AbstractMap.SimpleEntry<>(1, "ETH-USDT"), new AbstractMap.SimpleEntry<>(1, "SOL-USDT"),
                new AbstractMap.SimpleEntry<>(0, "BTC-USDT")));
        assertEquals(0, a.assign("ns", "ADA-USDT", 2, load, claims));
        assertEquals(1, new ShardAssigner().assign("ns", "BTC-USDT", 2, Map.of(0, Set.of("BTC-USDT", "X", "Z")),
                Map.of(1, Set.of("Y"))), "BTC-USDT itself does not count");
        assertThrows(IllegalArgumentException.class, () -> a.assign("ns", "Z-USDT", 0, load, claims));
    }

    @Test
    void aReleasedSymbolFreesItsSlotAndAVanishedShardIsNotReused() {
        ShardAssigner a = new ShardAssigner();
        assertEquals(0, a.assign("ns", "A-USDT", 2, Map.of(), Map.of()));
        assertEquals(1, a.assign("ns", "B-USDT", 2, Map.of(), Map.of()));
        a.release("ns", "A-USDT");
        assertEquals(0, a.assign("ns", "C-USDT", 2, Map.of(), Map.of()));
        assertEquals(0, a.assign("ns", "B-USDT", 1, Map.of(), Map.of()), "shard 1 is gone: B-USDT gets a shard that exists");
    }
}
