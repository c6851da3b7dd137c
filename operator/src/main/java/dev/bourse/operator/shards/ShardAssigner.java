package dev.bourse.operator.shards;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Balanced placement of symbols without a pin: the shard running the fewest symbols, the lowest ordinal on a tie.
 * "Running" counts what the engines report, what other TradingSymbols hold or are moving to, and what this operator
 * assigned a moment ago but nobody reports yet (many symbols created at once would otherwise all pick the same
 * shard). Once a symbol has a shard it keeps it ({@code status.shard}); this is only asked for new symbols and for
 * symbols whose shard no longer exists.
 */
public final class ShardAssigner {
    /** Assignments made by this process, by namespace then instId. */
    private final Map<String, Map<String, Integer>> reserved = new HashMap<>();

    /**
     * @param shards      the shards that exist (0..shards-1)
     * @param engineLoad  instIds each shard reports (shard → symbols)
     * @param claimed     instIds other resources hold or move to (shard → symbols)
     */
    public synchronized int assign(String namespace, String instId, int shards, Map<Integer, Set<String>> engineLoad,
                                   Map<Integer, Set<String>> claimed) {
        if (shards <= 0) {
            throw new IllegalArgumentException("no shard to assign " + instId + " to");
        }
        Map<String, Integer> mine = reserved.computeIfAbsent(namespace, n -> new HashMap<>());
        Integer earlier = mine.get(instId);
        if (earlier != null && earlier < shards) {
            return earlier;
        }
        int best = -1;
        int bestCount = Integer.MAX_VALUE;
        for (int s = 0; s < shards; s++) {
            Set<String> on = new TreeSet<>();
            on.addAll(engineLoad.getOrDefault(s, Set.of()));
            on.addAll(claimed.getOrDefault(s, Set.of()));
            for (Map.Entry<String, Integer> r : mine.entrySet()) {
                if (r.getValue() == s) {
                    on.add(r.getKey());
                }
            }
            on.remove(instId);
            if (on.size() < bestCount) {
                best = s;
                bestCount = on.size();
            }
        }
        mine.put(instId, best);
        return best;
    }

    /** Forgets a symbol (deleted resource), so its slot counts no more. */
    public synchronized void release(String namespace, String instId) {
        Map<String, Integer> mine = reserved.get(namespace);
        if (mine != null) {
            mine.remove(instId);
        }
    }

    /** Symbols per shard from a list of (shard, instId) pairs, e.g. the other resources' status. */
    public static Map<Integer, Set<String>> group(List<Map.Entry<Integer, String>> pairs) {
        Map<Integer, Set<String>> out = new HashMap<>();
        for (Map.Entry<Integer, String> p : pairs) {
            out.computeIfAbsent(p.getKey(), k -> new TreeSet<>()).add(p.getValue());
        }
        return out;
    }
}
