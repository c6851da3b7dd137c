package dev.bourse.server.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Fixed-window counters, OKX style ("60 requests per 2 seconds"): a window starts at every multiple of
 * the rule's length, and at most {@code limit} permits are granted in it.
 *
 * <p>One bucket per (rule, key); its whole state is one {@code long} (window number and permits used)
 * updated by compare-and-set, so {@link #tryAcquire} is lock-free, allocation-free for a known key and
 * O(1). Memory is bounded: buckets idle for a full window are equivalent to absent ones and are swept
 * away (at most once per {@code sweepIntervalMillis}, by whichever caller passes by); if {@code maxBuckets}
 * live buckets exist even so, further new keys are let through untracked and counted
 * ({@code bourse_rate_limit_untracked_total}): the limiter protects fairness, the shard queue's
 * capacity protects the engine.
 */
public final class RateLimiter {
    /** Largest limit a rule may have: the permit count's share of the state word. */
    public static final int MAX_LIMIT = (1 << 23) - 1;
    private static final int USED_BITS = 23;
    private static final long USED_MASK = (1L << USED_BITS) - 1;
    /** A swept bucket: callers that still hold it fetch a fresh one. */
    private static final long DEAD = -1L;

    private final LongSupplier clock;
    private final int maxBuckets;
    private final long sweepIntervalMillis;
    /** Window numbers count from here, so that they fit the state word for any window length. */
    private final long origin;
    private final Map<BucketKey, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile long lastSweep;
    private final MeterRegistry meters;
    private final Map<String, Counter> hits = new ConcurrentHashMap<>();
    private final Counter untracked;

    private record BucketKey(String rule, String key) {
    }

    private static final class Bucket {
        final long windowMillis;
        final AtomicLong state = new AtomicLong();

        Bucket(long windowMillis) {
            this.windowMillis = windowMillis;
        }
    }

    public RateLimiter(MeterRegistry meters, LongSupplier clockMillis, int maxBuckets, long sweepIntervalMillis) {
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("maxBuckets must be positive");
        }
        this.meters = meters;
        this.clock = clockMillis;
        this.maxBuckets = maxBuckets;
        this.sweepIntervalMillis = sweepIntervalMillis;
        // a day before now, aligned to an hour: aligns every window length that divides an hour
        long now = clockMillis.getAsLong();
        this.origin = Math.floorDiv(now, 3_600_000L) * 3_600_000L - 86_400_000L;
        this.lastSweep = now;
        this.untracked = Counter.builder("bourse_rate_limit_untracked_total")
                .description("Requests let through without a rate-limit bucket because the bucket table was full")
                .register(meters);
        Gauge.builder("bourse_rate_limit_buckets", buckets, Map::size)
                .description("Live rate-limit buckets").register(meters);
    }

    /** With the system clock, 1,000,000 buckets and a sweep every second. */
    public RateLimiter(MeterRegistry meters) {
        this(meters, System::currentTimeMillis, 1_000_000, 1_000);
    }

    /**
     * Takes {@code permits} from the bucket of {@code rule} for {@code key} if the current window has
     * room for all of them; otherwise takes nothing, counts a hit and returns false.
     */
    public boolean tryAcquire(RateLimitRule rule, String key, int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative");
        }
        long now = clock.getAsLong();
        maybeSweep(now);
        if (permits > rule.limit()) {
            hit(rule);
            return false;
        }
        long window = Math.max(0, Math.floorDiv(now - origin, rule.windowMillis()));
        BucketKey k = new BucketKey(rule.name(), key);
        while (true) {
            Bucket b = bucket(k, rule.windowMillis(), now);
            if (b == null) {
                untracked.increment();
                return true;
            }
            while (true) {
                long s = b.state.get();
                if (s == DEAD) {
                    break; // swept under us: take the fresh bucket
                }
                long w = s >>> USED_BITS;
                long used = s & USED_MASK;
                if (w < window) {
                    w = window;
                    used = 0;
                } // w > window: the clock stepped back; stay in the later window
                if (used + permits > rule.limit()) {
                    hit(rule);
                    return false;
                }
                if (b.state.compareAndSet(s, (w << USED_BITS) | (used + permits))) {
                    return true;
                }
            }
        }
    }

    /**
     * Gives back permits taken in the current window (a request refused by a later rule should not
     * use up this one). Nothing happens once the window has moved on.
     */
    public void release(RateLimitRule rule, String key, int permits) {
        Bucket b = buckets.get(new BucketKey(rule.name(), key));
        if (b == null || permits <= 0) {
            return;
        }
        long window = Math.max(0, Math.floorDiv(clock.getAsLong() - origin, rule.windowMillis()));
        while (true) {
            long s = b.state.get();
            if (s == DEAD || (s >>> USED_BITS) != window) {
                return;
            }
            long used = Math.max(0, (s & USED_MASK) - permits);
            if (b.state.compareAndSet(s, (window << USED_BITS) | used)) {
                return;
            }
        }
    }

    /** Permits used so far in the current window. */
    public int used(RateLimitRule rule, String key) {
        Bucket b = buckets.get(new BucketKey(rule.name(), key));
        if (b == null) {
            return 0;
        }
        long s = b.state.get();
        long window = Math.floorDiv(clock.getAsLong() - origin, rule.windowMillis());
        return s == DEAD || (s >>> USED_BITS) < window ? 0 : (int) (s & USED_MASK);
    }

    /** Milliseconds since the epoch at which the current window of {@code rule} ends. */
    public long windowEnd(RateLimitRule rule) {
        long now = clock.getAsLong();
        return origin + (Math.floorDiv(now - origin, rule.windowMillis()) + 1) * rule.windowMillis();
    }

    /** Live buckets (bounded by {@code maxBuckets}). */
    public int buckets() {
        return buckets.size();
    }

    private Bucket bucket(BucketKey k, long windowMillis, long now) {
        Bucket b = buckets.get(k);
        if (b != null) {
            return b;
        }
        if (buckets.size() >= maxBuckets) {
            sweep(now, true);
            if (buckets.size() >= maxBuckets) {
                return null;
            }
        }
        return buckets.computeIfAbsent(k, x -> new Bucket(windowMillis));
    }

    private void maybeSweep(long now) {
        if (now - lastSweep >= sweepIntervalMillis) {
            sweep(now, false);
        }
    }

    /**
     * Removes buckets whose last use lies in an earlier window than the current one: they hold no
     * permits that still count. One sweeper at a time; others carry on without waiting.
     */
    private void sweep(long now, boolean force) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!force && now - lastSweep < sweepIntervalMillis) {
                return;
            }
            lastSweep = now;
            for (Map.Entry<BucketKey, Bucket> e : buckets.entrySet()) {
                Bucket b = e.getValue();
                long s = b.state.get();
                long current = Math.floorDiv(now - origin, b.windowMillis);
                if (s != DEAD && (s >>> USED_BITS) < current && b.state.compareAndSet(s, DEAD)) {
                    buckets.remove(e.getKey(), b);
                }
            }
        } finally {
            sweeping.set(false);
        }
    }

    private void hit(RateLimitRule rule) {
        hits.computeIfAbsent(rule.name(), n -> Counter.builder("bourse_rate_limit_hits_total")
                .description("Requests refused by a rate limit")
                .tag("rule", n)
                .tag("scope", rule.scope().label())
                .register(meters)).increment();
    }
}
