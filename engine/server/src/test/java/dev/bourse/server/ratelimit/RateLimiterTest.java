package dev.bourse.server.ratelimit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {
    /** Midnight UTC: window boundaries of 1 s and 2 s fall on whole multiples from here. */
    private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % 86_400_000L;

    private final AtomicLong now = new AtomicLong(T0);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private RateLimiter limiter(int maxBuckets) {
        return new RateLimiter(meters, now::get, maxBuckets, 1_000);
    }

    private double hits(String rule) {
        var c = meters.find("bourse_rate_limit_hits_total").tag("rule", rule).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void fixedWindowEdges() {
        RateLimiter l = limiter(1000);
        RateLimitRule r = new RateLimitRule("trade/order", 3, 2_000, RateLimitScope.USER_INST);
        for (int i = 0; i < 3; i++) {
            assertTrue(l.tryAcquire(r, "u:1|BTC-USDT", 1));
        }
        assertFalse(l.tryAcquire(r, "u:1|BTC-USDT", 1));
        assertEquals(1, hits("trade/order"));
        assertEquals(3, l.used(r, "u:1|BTC-USDT"));
        now.set(T0 + 1_999); // last millisecond of the window
        assertFalse(l.tryAcquire(r, "u:1|BTC-USDT", 1));
        assertEquals(T0 + 2_000, l.windowEnd(r));
        now.set(T0 + 2_000); // first millisecond of the next one
        assertEquals(0, l.used(r, "u:1|BTC-USDT"));
        assertTrue(l.tryAcquire(r, "u:1|BTC-USDT", 3));
        assertFalse(l.tryAcquire(r, "u:1|BTC-USDT", 1));
        // other keys have their own buckets
        assertTrue(l.tryAcquire(r, "u:1|ETH-USDT", 3));
        assertTrue(l.tryAcquire(r, "u:2|BTC-USDT", 3));
    }

    @Test
    void permitsAreAllOrNothingAndCanBeGivenBack() {
        RateLimiter l = limiter(1000);
        RateLimitRule r = new RateLimitRule("trade/batch-orders", 300, 2_000, RateLimitScope.USER_INST);
        assertTrue(l.tryAcquire(r, "k", 250));
        assertFalse(l.tryAcquire(r, "k", 51)); // would exceed: nothing taken
        assertEquals(250, l.used(r, "k"));
        assertTrue(l.tryAcquire(r, "k", 50));
        assertFalse(l.tryAcquire(r, "k", 1));
        l.release(r, "k", 20);
        assertEquals(280, l.used(r, "k"));
        assertFalse(l.tryAcquire(r, "other", 301)); // more than the limit can never pass
        now.addAndGet(2_000);
        l.release(r, "k", 100); // a later window: nothing to give back
        assertEquals(0, l.used(r, "k"));
    }

    @Test
    void clockSteppingBackDoesNotReopenAWindow() {
        RateLimiter l = limiter(1000);
        RateLimitRule r = new RateLimitRule("x", 2, 1_000, RateLimitScope.USER);
        now.set(T0 + 1_500);
        assertTrue(l.tryAcquire(r, "k", 2));
        now.set(T0 + 900);
        assertFalse(l.tryAcquire(r, "k", 1));
    }

    @Test
    void idleBucketsExpireAndMemoryIsBounded() {
        RateLimiter l = limiter(5_000);
        RateLimitRule r = new RateLimitRule("public", 20, 2_000, RateLimitScope.IP);
        for (int i = 0; i < 4_000; i++) {
            assertTrue(l.tryAcquire(r, "ip:10.0." + (i / 256) + "." + (i % 256), 1));
        }
        assertEquals(4_000, l.buckets());
        now.addAndGet(2_000); // every bucket's window is over
        assertTrue(l.tryAcquire(r, "ip:fresh", 1)); // a call after the sweep interval sweeps
        assertEquals(1, l.buckets());

        // the table never grows past its bound; keys beyond it pass untracked and are counted
        RateLimiter tiny = limiter(100);
        for (int i = 0; i < 1_000; i++) {
            assertTrue(tiny.tryAcquire(r, "ip:" + i, 1));
            assertTrue(tiny.buckets() <= 100);
        }
        assertEquals(900, meters.find("bourse_rate_limit_untracked_total").counter().count());
        now.addAndGet(2_000); // expired buckets make room again for new keys
        assertTrue(tiny.tryAcquire(r, "ip:new", 1));
        assertEquals(1, tiny.buckets());
    }

    @Test
    void concurrentCallersNeverExceedTheLimit() throws Exception {
        RateLimiter l = limiter(1000);
        RateLimitRule r = new RateLimitRule("trade/order", 1_000, 2_000, RateLimitScope.USER_INST);
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 1_000; i++) {
                        if (l.tryAcquire(r, "k", 1)) {
                            granted.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            start.countDown();
        }
        assertEquals(1_000, granted.get());
        assertEquals(7_000, hits("trade/order"));
    }

    /** Random calls against a plain model of fixed windows (seed printed on failure). */
    @Test
    void matchesAModelOfFixedWindows() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        RateLimiter l = limiter(10_000);
        RateLimitRule r = new RateLimitRule("m", 7, 1_000, RateLimitScope.USER);
        Map<String, long[]> model = new HashMap<>(); // key -> {window, used}
        for (int i = 0; i < 20_000; i++) {
            now.addAndGet(rnd.nextInt(40));
            String key = "k" + rnd.nextInt(5);
            int permits = 1 + rnd.nextInt(3);
            long window = Math.floorDiv(now.get() - T0, 1_000);
            long[] m = model.computeIfAbsent(key, k -> new long[] {window, 0});
            if (m[0] != window) {
                m[0] = window;
                m[1] = 0;
            }
            boolean expected = m[1] + permits <= 7;
            if (expected) {
                m[1] += permits;
            }
            assertEquals(expected, l.tryAcquire(r, key, permits), "seed " + seed + " step " + i);
        }
    }

    @Test
    void ordersCountPerInstrumentAndAcrossTheAccount() {
        RateLimits limits = new RateLimits(RateLimitRules.parse("trade/order=3/2s,account=5/2s"), limiter(1000), now::get);
        assertNull(limits.acquireInstrument("trade/order", 1, "BTC-USDT"));
        assertNull(limits.acquireInstrument("trade/order", 1, "BTC-USDT"));
        assertNull(limits.acquireInstrument("trade/order", 1, "BTC-USDT"));
        RateLimitRefusal perInst = limits.acquireInstrument("trade/order", 1, "BTC-USDT");
        assertEquals("50011", perInst.code());
        assertEquals(429, perInst.httpStatus());
        assertEquals("Too Many Requests", perInst.msg());
        // the refused request did not use up the account limit: 3 used, 2 left
        assertEquals(3, limits.accountRateLimit(1).used());
        assertNull(limits.acquireInstrument("trade/order", 1, "ETH-USDT"));
        assertNull(limits.acquireInstrument("trade/order", 1, "ETH-USDT"));
        RateLimitRefusal account = limits.acquireInstrument("trade/order", 1, "SOL-USDT");
        assertEquals("50061", account.code());
        assertEquals("You've reached the maximum order rate limit for this account.", account.msg());
        // cancels do not count towards the account limit
        assertNull(limits.acquireInstrument("trade/cancel-order", 1, "SOL-USDT"));
        // another user is unaffected
        assertNull(limits.acquireInstrument("trade/order", 2, "SOL-USDT"));
        AccountRateLimit a = limits.accountRateLimit(1);
        assertEquals(5, a.accRateLimit());
        assertEquals(5, a.nextAccRateLimit());
        assertEquals(5, a.used());
        assertEquals(now.get(), a.ts());
        now.addAndGet(2_000);
        assertNull(limits.acquireInstrument("trade/order", 1, "SOL-USDT"));
    }

    @Test
    void batchesCountOrdersAllOrNothingAndABatchOfOneIsASingleOrder() {
        RateLimits limits = new RateLimits(RateLimitRules.parse("trade/order=1/2s,trade/batch-orders=10/2s,account=100/2s"),
                limiter(1000), now::get);
        assertNull(limits.acquireBatch("trade/batch-orders", 1, Map.of("BTC-USDT", 6, "ETH-USDT", 2)));
        RateLimitRefusal r = limits.acquireBatch("trade/batch-orders", 1, Map.of("BTC-USDT", 5, "ETH-USDT", 2));
        assertEquals("50011", r.code());
        assertEquals("trade/batch-orders", r.rule());
        assertEquals(8, limits.accountRateLimit(1).used()); // the refused batch took nothing
        assertNull(limits.acquireBatch("trade/batch-orders", 1, Map.of("ETH-USDT", 8)));
        // one order sent to the batch endpoint falls under the single-order rule (1 per 2 s here)
        assertNull(limits.acquireBatch("trade/batch-orders", 1, Map.of("XRP-USDT", 1)));
        assertEquals("trade/order", limits.acquireBatch("trade/batch-orders", 1, Map.of("XRP-USDT", 1)).rule());
    }

    @Test
    void tighteningPerInstrument() {
        RateLimitRules rules = RateLimitRules.defaults();
        RateLimits limits = new RateLimits(rules, limiter(1000), now::get);
        rules.tightenTo("BTC-USDT", 2);
        assertEquals(2, rules.effective("trade/order", "BTC-USDT").limit());
        assertEquals(60, rules.effective("trade/order", "ETH-USDT").limit());
        assertEquals(5, rules.effective("trade/mass-cancel", "BTC-USDT").limit()); // per-user rules are not per instrument
        assertNull(limits.acquireInstrument("trade/order", 1, "BTC-USDT"));
        assertNull(limits.acquireInstrument("trade/order", 1, "BTC-USDT"));
        assertEquals("50011", limits.acquireInstrument("trade/order", 1, "BTC-USDT").code());
        assertNull(limits.acquireInstrument("trade/order", 1, "ETH-USDT"));

        rules.tighten("BTC-USDT", new BigDecimal("0.5"));
        assertEquals(30, rules.effective("trade/order", "BTC-USDT").limit());
        assertEquals(150, rules.effective("trade/batch-orders", "BTC-USDT").limit());
        assertNull(limits.acquireInstrument("trade/order", 1, "BTC-USDT"));
        rules.tighten("BTC-USDT", new BigDecimal("0.001"));
        assertEquals(1, rules.effective("trade/order", "BTC-USDT").limit()); // a factor never blocks completely
        rules.tightenTo("BTC-USDT", 0);
        assertEquals("50011", limits.acquireInstrument("trade/cancel-order", 1, "BTC-USDT").code());
        assertEquals(Map.of("BTC-USDT", "max 0"), rules.tightenings());
        rules.relax("BTC-USDT");
        assertEquals(60, rules.effective("trade/order", "BTC-USDT").limit());
        assertTrue(rules.tightenings().isEmpty());
    }
}
