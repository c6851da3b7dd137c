package dev.bourse.client.rest.gate;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestGateTest {
    private static final List<Cost> BOOKS = List.of(Cost.of("market/books"));

    private static long in(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    private static long far() {
        return in(Duration.ofSeconds(10));
    }

    @Test
    void neverMoreThanMaxConcurrentOnTheWire() throws Exception {
        RequestGate gate = new RequestGate(GateConfig.builder().maxConcurrent(3).routeBudgets(false).build());
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                jobs.add(pool.submit(() -> {
                    RequestGate.Permit p = gate.acquire(BOOKS, far(), null);
                    try {
                        peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                        Thread.sleep(40);
                        now.decrementAndGet();
                    } finally {
                        p.close();
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(3, peak.get());
        GateStats s = gate.stats();
        assertEquals(0, s.inFlight());
        assertEquals(12, s.passed());
        assertTrue(s.waited() >= 9, "the 9 beyond the cap waited: " + s);
        assertEquals(0, s.rejected());
    }

    @Test
    void aRouteBudgetSpreadsRequestsOverItsWindow() throws Exception {
        RequestGate gate = new RequestGate(GateConfig.builder().routeLimits(Map.of())
                .routeLimit("market/books", 5, Duration.ofMillis(300)).build());
        List<Long> passedAt = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        for (int i = 0; i < 12; i++) {
            gate.acquire(BOOKS, far(), null).close();
            passedAt.add(System.nanoTime());
        }
        long took = System.nanoTime() - start;
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(600), "12 at 5 per 300 ms need two more windows: " + took);
        for (int i = 5; i < passedAt.size(); i++) {
            assertTrue(passedAt.get(i) - passedAt.get(i - 5) >= TimeUnit.MILLISECONDS.toNanos(300),
                    "no 6 requests within one window");
        }
        // other routes have their own budgets; rules without one are not limited
        gate.acquire(List.of(Cost.of("market/trades")), in(Duration.ofMillis(50)), null).close();
    }

    @Test
    void theWindowMarginKeepsRequestsAFullWindowPlusMarginApart() throws Exception {
        RequestGate gate = new RequestGate(GateConfig.builder().routeLimits(Map.of())
                .routeLimit("public/time", 1, Duration.ofMillis(100)).windowMargin(Duration.ofMillis(100)).build());
        List<Cost> time = List.of(Cost.of("public/time"));
        gate.acquire(time, far(), null).close();
        long t0 = System.nanoTime();
        gate.acquire(time, far(), null).close();
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(190), "window 100 ms + margin 100 ms");
    }

    @Test
    void theGlobalRateCountsEveryRoute() throws Exception {
        RequestGate gate = new RequestGate(GateConfig.builder().routeBudgets(false)
                .globalRate(4, Duration.ofMillis(250)).build());
        long start = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            gate.acquire(List.of(Cost.of(i % 2 == 0 ? "a" : "b")), far(), null).close();
        }
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(250));
    }

    @Test
    void perInstrumentBudgetsAreSeparateButTheAccountBudgetIsShared() throws Exception {
        RequestGate gate = new RequestGate(GateConfig.builder().routeLimits(Map.of())
                .routeLimit("trade/order", 2, Duration.ofSeconds(5))
                .routeLimit(Cost.ACCOUNT, 3, Duration.ofSeconds(5)).build());
        long soon = in(Duration.ofMillis(100));
        gate.acquire(List.of(Cost.perInstrument("trade/order", "BTC-USDT", 1), Cost.account(1)), soon, null).close();
        gate.acquire(List.of(Cost.perInstrument("trade/order", "BTC-USDT", 1), Cost.account(1)), soon, null).close();
        gate.acquire(List.of(Cost.perInstrument("trade/order", "ETH-USDT", 1), Cost.account(1)), soon, null).close();
        // ETH still has room, but the account's 3 are used: refused at once, since the budget frees after the deadline
        long t0 = System.nanoTime();
        GateRefusal r = assertThrows(GateRefusal.class, () -> gate.acquire(
                List.of(Cost.perInstrument("trade/order", "ETH-USDT", 1), Cost.account(1)), in(Duration.ofMillis(1500)),
                null));
        assertEquals(GateRefusal.Reason.DEADLINE, r.reason());
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(500), "refused without waiting in vain");
        // the account limit as trade/account-rate-limit reports it replaces the table's
        gate.updateAccountLimit(10);
        gate.acquire(List.of(Cost.perInstrument("trade/order", "ETH-USDT", 1), Cost.account(1)), soon, null).close();
        assertEquals(10, gate.limit(Cost.ACCOUNT).limit());
    }

    @Test
    void aRequestLargerThanItsBudgetIsRefused() {
        RequestGate gate = new RequestGate(GateConfig.builder().routeLimits(Map.of())
                .routeLimit(Cost.ACCOUNT, 10, Duration.ofSeconds(2)).build());
        GateRefusal r = assertThrows(GateRefusal.class, () -> gate.acquire(List.of(Cost.account(11)), far(), null));
        assertEquals(GateRefusal.Reason.TOO_LARGE, r.reason());
        assertEquals(1, gate.stats().rejected());
    }

    @Test
    void theDeadlineEndsAWaitForASlot() throws Exception {
        RequestGate gate = new RequestGate(GateConfig.builder().maxConcurrent(1).routeBudgets(false).build());
        RequestGate.Permit held = gate.acquire(BOOKS, far(), null);
        long t0 = System.nanoTime();
        GateRefusal r = assertThrows(GateRefusal.class, () -> gate.acquire(BOOKS, in(Duration.ofMillis(150)), null));
        long waited = System.nanoTime() - t0;
        assertEquals(GateRefusal.Reason.DEADLINE, r.reason());
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(140) && waited < TimeUnit.SECONDS.toNanos(2),
                "waited until the deadline: " + waited);
        held.close();
        assertEquals(0, gate.stats().inFlight());
        assertEquals(1, gate.stats().rejected());
    }

    @Test
    void cancellationAndInterruptionEndAWait() throws Exception {
        RequestGate gate = new RequestGate(GateConfig.builder().maxConcurrent(1).routeBudgets(false).build());
        RequestGate.Permit held = gate.acquire(BOOKS, far(), null);
        Cancellation cancel = new Cancellation();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<GateRefusal> waiter = CompletableFuture.supplyAsync(() -> {
            started.countDown();
            try {
                gate.acquire(BOOKS, far(), cancel).close();
                return null;
            } catch (GateRefusal e) {
                return e;
            }
        });
        started.await();
        awaitWaiting(gate, 1);
        cancel.cancel();
        assertEquals(GateRefusal.Reason.CANCELED, waiter.get(2, TimeUnit.SECONDS).reason());

        AtomicReference<String> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                gate.acquire(BOOKS, far(), null).close();
                outcome.set("passed");
            } catch (GateRefusal e) {
                outcome.set(e.reason() + " interrupted=" + Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        awaitWaiting(gate, 1);
        t.interrupt();
        t.join(2000);
        assertFalse(t.isAlive());
        assertEquals("INTERRUPTED interrupted=true", outcome.get(), "refused, and the interrupt flag is set again");
        held.close();
        assertEquals(2, gate.stats().rejected());
        assertEquals(0, gate.stats().waiting());
    }

    @Test
    void rateLimitAnswersPauseTheRouteWithGrowingJitteredDelaysAndASuccessRecovers() throws Exception {
        RequestGate gate = new RequestGate(GateConfig.builder().routeBudgets(false)
                .backoff(Duration.ofMillis(100), Duration.ofMillis(1000)).build());
        long first = gate.onRateLimited(BOOKS, 429, "50011");
        assertTrue(first >= ms(50) && first <= ms(100), "base, jittered down by up to half: " + first);
        long second = gate.onRateLimited(BOOKS, 429, "50011");
        assertTrue(second >= ms(100) && second <= ms(200), "doubled: " + second);
        long beforeThird = System.nanoTime();
        long third = gate.onRateLimited(BOOKS, 429, "50011");
        assertTrue(third >= ms(200) && third <= ms(400), "doubled again: " + third);
        assertEquals(3, gate.stats().backoffs());
        assertEquals(1, gate.stats().pausedRoutes());

        // another route is not paused
        long t0 = System.nanoTime();
        gate.acquire(List.of(Cost.of("market/trades")), far(), null).close();
        assertTrue(System.nanoTime() - t0 < ms(150), "not paused");
        // the paused one waits out its pause, then a success ends the series
        gate.acquire(BOOKS, far(), null).close();
        assertTrue(System.nanoTime() - beforeThird >= third, "waited for the pause");
        gate.onSuccess(BOOKS);
        long after = gate.onRateLimited(BOOKS, 429, "50011");
        assertTrue(after <= ms(100), "a new series starts at the base: " + after);
    }

    @Test
    void aPauseLongerThanTheDeadlineIsRefusedAtOnce() throws Exception {
        RequestGate gate = new RequestGate(GateConfig.builder().routeBudgets(false)
                .backoff(Duration.ofSeconds(2), Duration.ofSeconds(4)).build());
        gate.onRateLimited(BOOKS, 429, "50011");
        long t0 = System.nanoTime();
        GateRefusal r = assertThrows(GateRefusal.class, () -> gate.acquire(BOOKS, in(Duration.ofMillis(900)), null));
        assertEquals(GateRefusal.Reason.DEADLINE, r.reason());
        assertTrue(System.nanoTime() - t0 < ms(400), "refused at once, not at the deadline");
    }

    @Test
    void anAccountLimitPausesOrdersOnlyAndAnOther429PausesEverything() throws Exception {
        RequestGate gate = new RequestGate(GateConfig.builder().routeBudgets(false)
                .backoff(Duration.ofMillis(400), Duration.ofMillis(400)).build());
        List<Cost> order = List.of(Cost.perInstrument("trade/order", "BTC-USDT", 1), Cost.account(1));
        gate.onRateLimited(order, 200, "50061");
        long soon = in(Duration.ofMillis(100));
        gate.acquire(BOOKS, soon, null).close();
        gate.acquire(List.of(Cost.perInstrument("trade/cancel-order", "BTC-USDT", 1)), soon, null).close();
        assertThrows(GateRefusal.class, () -> gate.acquire(
                List.of(Cost.perInstrument("trade/order", "ETH-USDT", 1), Cost.account(1)), in(Duration.ofMillis(100)),
                null));

        RequestGate other = new RequestGate(GateConfig.builder().routeBudgets(false)
                .backoff(Duration.ofMillis(400), Duration.ofMillis(400)).build());
        other.onRateLimited(BOOKS, 429, "50013"); // "system busy": the whole client slows down
        assertThrows(GateRefusal.class, () -> other.acquire(List.of(Cost.of("public/time")),
                in(Duration.ofMillis(100)), null));
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static void awaitWaiting(RequestGate gate, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (gate.stats().waiting() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nobody waiting: " + gate.stats());
            }
            Thread.sleep(5);
        }
    }
}
