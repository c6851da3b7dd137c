package dev.bourse.server.ledger;

import java.util.Map;
import java.util.TreeMap;

/**
 * Net change per (account, asset) accumulated over a transaction, applied in one fixed order: by
 * account id, then asset id. Every writer of balance rows (shard batches, deposits, repairs) takes its
 * row locks through this ordering, which is why two writers can never wait on each other in a cycle.
 */
public final class BalanceDeltas {
    /** Sort key (account, asset) -> [available delta, held delta]. */
    private final TreeMap<Key, long[]> deltas = new TreeMap<>();

    public record Key(long accountId, int assetId) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(accountId, o.accountId);
            return c != 0 ? c : Integer.compare(assetId, o.assetId);
        }
    }

    public void add(long accountId, int assetId, boolean held, long amount) {
        long[] d = deltas.computeIfAbsent(new Key(accountId, assetId), k -> new long[2]);
        int i = held ? 1 : 0;
        d[i] = Math.addExact(d[i], amount);
    }

    public void add(LedgerEntry e) {
        add(e.accountId(), e.assetId(), "held".equals(e.bucket()), e.amount());
    }

    public boolean isEmpty() {
        return deltas.isEmpty();
    }

    public int size() {
        return deltas.size();
    }

    /** In lock order. Values are [available delta, held delta]. */
    public Iterable<Map.Entry<Key, long[]>> inLockOrder() {
        return deltas.entrySet();
    }

    public void clear() {
        deltas.clear();
    }
}
