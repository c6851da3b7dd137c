package dev.bourse.funds;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.function.BiConsumer;

/** Balances held in memory: the reference implementation of {@link BalancePort}. */
public final class InMemoryBalances implements BalancePort {
    private final int assetCount;
    // per account: [available(asset0), held(asset0), available(asset1), ...]
    private final Long2ObjectHashMap<long[]> accounts = new Long2ObjectHashMap<>();

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
        // check first so that a refused set changes nothing; entries may touch the same slot twice
        for (int i = 0; i < n; i++) {
            long[] r = accounts.get(p.account(i));
            long current = r == null ? 0 : r[slot(p.asset(i), p.bucket(i))];
            long after = current + sumFor(p, p.account(i), p.asset(i), p.bucket(i));
            if (after < 0) {
                return false;
            }
        }
        for (int i = 0; i < n; i++) {
            long[] r = row(p.account(i));
            int s = slot(p.asset(i), p.bucket(i));
            r[s] = Math.addExact(r[s], p.amount(i));
        }
        return true;
    }

    private static long sumFor(PostingSet p, long account, int asset, Bucket bucket) {
        long sum = 0;
        for (int j = 0; j < p.size(); j++) {
            if (p.account(j) == account && p.asset(j) == asset && p.bucket(j) == bucket) {
                sum += p.amount(j);
            }
        }
        return sum;
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
