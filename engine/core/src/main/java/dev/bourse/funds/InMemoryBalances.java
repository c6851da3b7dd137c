package dev.bourse.funds;

import org.agrona.collections.Long2LongHashMap;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Balances held in memory: the reference implementation of {@link BalancePort}.
 *
 * <p>Laid out by asset: each asset has one array of [available, held] pairs indexed by a dense
 * account slot. A trading asset's balances for thousands of users then share cache lines, instead of
 * every user dragging a row of all assets into the cache.
 */
public final class InMemoryBalances implements BalancePort {
    private static final long NO_SLOT = -1;
    /** Account ids below this (database-style dense ids) find their slot by array index, not hashing. */
    private static final int DIRECT_LIMIT = 1 << 22;

    private final int assetCount;
    private final Long2LongHashMap slots = new Long2LongHashMap(NO_SLOT); // account -> slot, large ids
    private int[] directSlots = new int[1024]; // account -> slot + 1 (0: none), ids below DIRECT_LIMIT
    private long[] accountOfSlot = new long[1024];
    private int accountCount;
    private final long[][] byAsset; // [asset][slot * 2 + bucket]
    private int[] entrySlots = new int[8]; // scratch: slot of each entry of the set being applied

    public InMemoryBalances(int assetCount) {
        this.assetCount = assetCount;
        this.byAsset = new long[assetCount][2048];
    }

    private int slotOf(long account) {
        if (account >= 0 && account < DIRECT_LIMIT) {
            return account < directSlots.length ? directSlots[(int) account] - 1 : -1;
        }
        long s = slots.get(account);
        return s == NO_SLOT ? -1 : (int) s;
    }

    private int slotOrCreate(long account) {
        int existing = slotOf(account);
        if (existing >= 0) {
            return existing;
        }
        int slot = accountCount++;
        if (slot == accountOfSlot.length) {
            accountOfSlot = Arrays.copyOf(accountOfSlot, slot * 2);
        }
        accountOfSlot[slot] = account;
        if (slot * 2 + 1 >= byAsset[0].length) {
            for (int a = 0; a < assetCount; a++) {
                byAsset[a] = Arrays.copyOf(byAsset[a], byAsset[a].length * 2);
            }
        }
        if (account >= 0 && account < DIRECT_LIMIT) {
            if (account >= directSlots.length) {
                directSlots = Arrays.copyOf(directSlots, (int) Math.min(DIRECT_LIMIT, Math.max(account + 1, directSlots.length * 2L)));
            }
            directSlots[(int) account] = slot + 1;
        } else {
            slots.put(account, slot);
        }
        return slot;
    }

    private static int index(int slot, Bucket bucket) {
        return slot * 2 + (bucket == Bucket.HELD ? 1 : 0);
    }

    /** Credits an account from outside the engine (deposits in tests and benchmarks). */
    public void deposit(long account, int asset, long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("negative deposit");
        }
        int i = index(slotOrCreate(account), Bucket.AVAILABLE);
        byAsset[asset][i] = Math.addExact(byAsset[asset][i], amount);
    }

    @Override
    public boolean apply(PostingSet p) {
        int n = p.size();
        if (entrySlots.length < n) {
            entrySlots = new int[n];
        }
        for (int i = 0; i < n; i++) {
            long account = p.account(i);
            int slot = i > 0 && p.account(i - 1) == account ? entrySlots[i - 1] : slotOf(account);
            entrySlots[i] = slot;
        }
        // check first so that a refused set changes nothing; only debits can take a balance below zero,
        // and entries may touch the same balance more than once
        for (int i = 0; i < n; i++) {
            if (p.amount(i) >= 0) {
                continue;
            }
            int slot = entrySlots[i];
            if (slot < 0) {
                return false; // an account never credited has nothing to debit
            }
            int asset = p.asset(i);
            Bucket bucket = p.bucket(i);
            long after = byAsset[asset][index(slot, bucket)];
            for (int j = 0; j < n; j++) {
                if (entrySlots[j] == slot && p.asset(j) == asset && p.bucket(j) == bucket) {
                    after += p.amount(j);
                }
            }
            if (after < 0) {
                return false;
            }
        }
        for (int i = 0; i < n; i++) {
            int slot = entrySlots[i] >= 0 ? entrySlots[i] : slotOrCreate(p.account(i));
            long[] balances = byAsset[p.asset(i)];
            int idx = index(slot, p.bucket(i));
            balances[idx] = Math.addExact(balances[idx], p.amount(i));
        }
        return true;
    }

    @Override
    public long available(long account, int asset) {
        int slot = slotOf(account);
        return slot < 0 ? 0 : byAsset[asset][index(slot, Bucket.AVAILABLE)];
    }

    public long held(long account, int asset) {
        int slot = slotOf(account);
        return slot < 0 ? 0 : byAsset[asset][index(slot, Bucket.HELD)];
    }

    /** Sum of available + held over all accounts for {@code asset}. */
    public long total(int asset) {
        long sum = 0;
        long[] balances = byAsset[asset];
        for (int i = 0; i < accountCount * 2; i++) {
            sum = Math.addExact(sum, balances[i]);
        }
        return sum;
    }

    /**
     * Visits every account with a copy of its balances laid out as
     * [available(asset0), held(asset0), available(asset1), held(asset1), ...].
     */
    public void forEach(BiConsumer<Long, long[]> visitor) {
        for (int slot = 0; slot < accountCount; slot++) {
            long[] row = new long[assetCount * 2];
            for (int a = 0; a < assetCount; a++) {
                row[a * 2] = byAsset[a][slot * 2];
                row[a * 2 + 1] = byAsset[a][slot * 2 + 1];
            }
            visitor.accept(accountOfSlot[slot], row);
        }
    }
}
