package dev.bourse.server.shard;

import dev.bourse.funds.BalancePort;
import dev.bourse.funds.Bucket;
import dev.bourse.funds.PostingSet;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The engine's view of balances on one shard. {@code held} is exact: it is what this shard's own live
 * orders hold (other shards hold their own). {@code available} is shared by every shard and is read
 * from the database at the start of each batch for the accounts the batch acts for; the batch's
 * conditional updates then decide against the committed value, so a stale cache can never overspend.
 */
final class ShardBalances implements BalancePort {
    private int assetCount;
    private final Long2ObjectHashMap<long[]> rows = new Long2ObjectHashMap<>(); // account -> [avail, held] per asset

    ShardBalances(int assetCount) {
        this.assetCount = assetCount;
    }

    /** The row of {@code account}, wide enough for {@code asset}: assets are listed while the engine runs. */
    private long[] row(long account, int asset) {
        if (asset >= assetCount) {
            assetCount = asset + 1;
        }
        long[] r = rows.get(account);
        if (r == null) {
            r = new long[assetCount * 2];
            rows.put(account, r);
        } else if (r.length < (asset + 1) * 2) {
            r = java.util.Arrays.copyOf(r, assetCount * 2);
            rows.put(account, r);
        }
        return r;
    }

    /** Sets the shared available balance as just read from the database. */
    void setAvailable(long account, int asset, long available) {
        row(account, asset)[asset * 2] = available;
    }

    /** Adds a hold of this shard's (recovery). */
    void addHeld(long account, int asset, long amount) {
        long[] r = row(account, asset);
        r[asset * 2 + 1] = Math.addExact(r[asset * 2 + 1], amount);
    }

    long held(long account, int asset) {
        long[] r = rows.get(account);
        return r == null || r.length <= asset * 2 + 1 ? 0 : r[asset * 2 + 1];
    }

    @Override
    public long available(long account, int asset) {
        long[] r = rows.get(account);
        return r == null || r.length <= asset * 2 ? 0 : r[asset * 2];
    }

    @Override
    public boolean apply(PostingSet p) {
        int n = p.size();
        // check every debited bucket against all entries of the set that touch it, then apply
        for (int i = 0; i < n; i++) {
            if (p.amount(i) >= 0) {
                continue;
            }
            long account = p.account(i);
            int idx = index(p.asset(i), p.bucket(i));
            long[] r = rows.get(account);
            long after = r == null || r.length <= idx ? 0 : r[idx];
            for (int j = 0; j < n; j++) {
                if (p.account(j) == account && index(p.asset(j), p.bucket(j)) == idx) {
                    after += p.amount(j);
                }
            }
            if (after < 0) {
                return false;
            }
        }
        for (int i = 0; i < n; i++) {
            long[] r = row(p.account(i), p.asset(i));
            int idx = index(p.asset(i), p.bucket(i));
            r[idx] = Math.addExact(r[idx], p.amount(i));
        }
        return true;
    }

    private static int index(int asset, Bucket bucket) {
        return asset * 2 + (bucket == Bucket.HELD ? 1 : 0);
    }
}
