package dev.bourse.funds;

import java.util.Arrays;

/**
 * A balanced set of double-entry postings: signed changes to ledger accounts (user, asset, bucket).
 * A positive amount increases the account's balance. For every asset the amounts sum to zero, i.e.
 * debits equal credits. The engine reuses one instance: copy what you need during the callback.
 */
public final class PostingSet {
    private PostingKind kind;
    private int symbolId;
    private long orderId;
    private long tradeId;
    private int size;
    private long[] accounts = new long[8];
    private Bucket[] buckets = new Bucket[8];
    private int[] assets = new int[8];
    private long[] amounts = new long[8];

    /** Starts a new set; {@code tradeId} is 0 unless a fill caused it. */
    public PostingSet begin(PostingKind kind, int symbolId, long orderId, long tradeId) {
        this.kind = kind;
        this.symbolId = symbolId;
        this.orderId = orderId;
        this.tradeId = tradeId;
        this.size = 0;
        return this;
    }

    /** Adds one entry; zero amounts are skipped. */
    public PostingSet add(long account, Bucket bucket, int asset, long amount) {
        if (amount == 0) {
            return this;
        }
        if (size == accounts.length) {
            int n = size * 2;
            accounts = Arrays.copyOf(accounts, n);
            buckets = Arrays.copyOf(buckets, n);
            assets = Arrays.copyOf(assets, n);
            amounts = Arrays.copyOf(amounts, n);
        }
        accounts[size] = account;
        buckets[size] = bucket;
        assets[size] = asset;
        amounts[size] = amount;
        size++;
        return this;
    }

    /** Moves {@code amount} between two buckets of one account: a two-entry balanced posting. */
    public PostingSet move(long account, int asset, Bucket from, Bucket to, long amount) {
        add(account, from, asset, -amount);
        return add(account, to, asset, amount);
    }

    public PostingKind kind() {
        return kind;
    }

    public int symbolId() {
        return symbolId;
    }

    /** The order the postings belong to (the taker's for a fill). */
    public long orderId() {
        return orderId;
    }

    /** The trade that caused the postings; 0 for holds and releases. */
    public long tradeId() {
        return tradeId;
    }

    public int size() {
        return size;
    }

    public long account(int i) {
        return accounts[i];
    }

    public Bucket bucket(int i) {
        return buckets[i];
    }

    public int asset(int i) {
        return assets[i];
    }

    public long amount(int i) {
        return amounts[i];
    }

    /** True if, for every asset, the signed amounts sum to zero. */
    public boolean isBalanced() {
        for (int i = 0; i < size; i++) {
            int a = assets[i];
            boolean first = true;
            for (int j = 0; j < i; j++) {
                if (assets[j] == a) {
                    first = false;
                    break;
                }
            }
            if (!first) {
                continue;
            }
            long sum = 0;
            for (int j = i; j < size; j++) {
                if (assets[j] == a) {
                    sum = Math.addExact(sum, amounts[j]);
                }
            }
            if (sum != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PostingSet[").append(kind).append(" order=").append(orderId)
                .append(" trade=").append(tradeId);
        for (int i = 0; i < size; i++) {
            sb.append(' ').append(accounts[i]).append('/').append(buckets[i]).append('/').append(assets[i])
                    .append(amounts[i] > 0 ? "+" : "").append(amounts[i]);
        }
        return sb.append(']').toString();
    }
}
