package dev.bourse.funds;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.function.BiConsumer;

/** Balances held in memory: the reference implementation of {@link BalancePort}. */
public final class InMemoryBalances implements BalancePort {
    private final int assetCount;
    // per account: [available(asset0), held(asset0), available(asset1), ...]
    private final Long2ObjectHashMap<long[]> accounts = new Long2ObjectHashMap<>();
    private long[][] rows = new long[8][]; // scratch: the row of each entry of the set being applied

    public InMemoryBalances(int assetCount) {
        this.assetCount = assetCount;
    }

    private long[] row(long account) {
        long[] r = accounts.get(account);
        if (r == null) {
            r = new long[assetCount * 2];
            accounts.put(account, r);
        }
        return r;
    }

    private static int slot(int asset, Bucket bucket) {
        return asset * 2 + (bucket == Bucket.HELD ? 1 : 0);
    }

    /** Credits an account from outside the engine (deposits in tests and benchmarks). */
    public void deposit(long account, int asset, long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("negative deposit");
        }
        long[] r = row(account);
        r[slot(asset, Bucket.AVAILABLE)] = Math.addExact(r[slot(asset, Bucket.AVAILABLE)], amount);
    }

    @Override
    public boolean apply(PostingSet p) {
        int n = p.size();
        if (rows.length < n) {
            rows = new long[n][];
        }
        for (int i = 0; i < n; i++) {
            rows[i] = accounts.get(p.account(i));
        }
        // check first so that a refused set changes nothing; only debits can take a balance below zero,
        // and entries may touch the same slot more than once
        for (int i = 0; i < n; i++) {
            if (p.amount(i) >= 0) {
                continue;
            }
            long[] r = rows[i];
            int s = slot(p.asset(i), p.bucket(i));
            long after = r == null ? 0 : r[s];
            for (int j = 0; j < n; j++) {
                if (p.account(j) == p.account(i) && slot(p.asset(j), p.bucket(j)) == s) {
                    after += p.amount(j);
                }
            }
            if (after < 0) {
                return false;
            }
        }
        for (int i = 0; i < n; i++) {
            long[] r = rows[i];
            if (r == null) {
                r = row(p.account(i));
            }
            int s = slot(p.asset(i), p.bucket(i));
            r[s] = Math.addExact(r[s], p.amount(i));
            rows[i] = null;
        }
        return true;
    }

    @Override
    public long available(long account, int asset) {
        long[] r = accounts.get(account);
        return r == null ? 0 : r[slot(asset, Bucket.AVAILABLE)];
    }

    public long held(long account, int asset) {
        long[] r = accounts.get(account);
        return r == null ? 0 : r[slot(asset, Bucket.HELD)];
    }

    /** Sum of available + held over all accounts for {@code asset}. */
    public long total(int asset) {
        long sum = 0;
        for (long[] r : accounts.values()) {
            sum = Math.addExact(sum, Math.addExact(r[asset * 2], r[asset * 2 + 1]));
        }
        return sum;
    }

    /** Visits every account with its raw row ([available, held] per asset); do not modify the row. */
    public void forEach(BiConsumer<Long, long[]> visitor) {
        accounts.forEach(visitor);
    }
}
