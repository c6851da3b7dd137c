package dev.bourse.client.rest.gate;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The request gate every REST call passes before it is sent: a cap on concurrent requests, an optional global rate,
 * per-endpoint budgets (OKX's documented limits, the account's order rate as {@code trade/account-rate-limit}
 * reports it), and pauses after the exchange answered "rate limited" — so the client slows down instead of storming.
 *
 * <p>Budgets are sliding windows: a request of {@code n} permits passes when the last window (plus a small margin
 * for network jitter) holds at most {@code limit - n} permits. A request takes its slot and all its budgets at once, or waits without holding any.
 * Waiting honours the caller's deadline (a request that cannot pass before it is refused at once), cancellation and
 * interruption; a refused request was never sent.
 *
 * <p>Back-off: a 50011 pauses the routes the request counted against, a 50061 the account-wide order budget, any
 * other HTTP 429 the whole client. The n-th pause in a row lasts {@code base * 2^(n-1)} (at most {@code max}),
 * jittered down by up to half so that many clients do not return together; a success on the route ends the series.
 */
public final class RequestGate {
    private static final String GLOBAL = "*";

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final int maxConcurrent;
    private final boolean routeBudgets;
    private final long backoffBaseNanos;
    private final long backoffMaxNanos;
    private final long marginNanos;
    private final Map<String, RouteLimit> limits;
    private final Window global;
    private final Map<String, Window> windows = new HashMap<>();
    private final Map<String, Pause> pauses = new HashMap<>();

    private int inFlight;
    private int waiting;
    private long passed;
    private long waited;
    private long rejected;
    private long backoffs;

    public RequestGate(GateConfig config) {
        this.maxConcurrent = config.maxConcurrent();
        this.routeBudgets = config.routeBudgets();
        this.backoffBaseNanos = config.backoffBase().toNanos();
        this.backoffMaxNanos = config.backoffMax().toNanos();
        this.marginNanos = config.windowMargin().toNanos();
        this.limits = new HashMap<>(config.routeLimits());
        this.global = config.globalLimit() > 0
                ? new Window(config.globalLimit(), config.globalWindow().toNanos() + marginNanos) : null;
    }

    /** A slot held by a request on the wire; {@link #close} gives it back. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits until the request may be sent and takes its slot and budgets.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which it must have passed
     * @param cancel        the caller's cancellation (may be null)
     */
    public Permit acquire(List<Cost> costs, long deadlineNanos, Cancellation cancel) throws GateRefusal {
        Cancellation.Registration reg = cancel == null ? null : cancel.onCancel(this::wakeUp);
        lock.lock();
        try {
            boolean hadToWait = false;
            while (true) {
                if (cancel != null && cancel.isCanceled()) {
                    throw refuse(GateRefusal.Reason.CANCELED, "cancelled while waiting in the request gate");
                }
                long now = System.nanoTime();
                long readyAt = readyAt(costs, now);
                boolean slot = maxConcurrent == 0 || inFlight < maxConcurrent;
                if (readyAt <= now && slot) {
                    take(costs, now);
                    inFlight++;
                    passed++;
                    if (hadToWait) {
                        waited++;
                    }
                    return this::release;
                }
                if (now >= deadlineNanos || readyAt > deadlineNanos) {
                    throw refuse(GateRefusal.Reason.DEADLINE, readyAt > deadlineNanos
                            ? "a rate budget frees up only " + millis(readyAt - now) + " ms from now, after the deadline"
                            : slot ? "deadline passed in the request gate"
                            : "deadline passed waiting for one of " + maxConcurrent + " concurrent slots");
                }
                hadToWait = true;
                long until = readyAt > now ? readyAt : deadlineNanos;
                waiting++;
                try {
                    changed.awaitNanos(until - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw refuse(GateRefusal.Reason.INTERRUPTED, "interrupted while waiting in the request gate");
                } finally {
                    waiting--;
                }
            }
        } finally {
            lock.unlock();
            if (reg != null) {
                reg.close();
            }
        }
    }

    /** The earliest time all of the request's budgets and pauses allow it; TOO_LARGE when never. */
    private long readyAt(List<Cost> costs, long now) throws GateRefusal {
        long at = now;
        at = Math.max(at, pauseEnd(GLOBAL));
        if (global != null) {
            at = Math.max(at, global.freeAt(1, now));
        }
        for (Cost c : costs) {
            at = Math.max(at, pauseEnd(c.key()));
            Window w = window(c);
            if (w != null) {
                if (c.permits() > w.limit) {
                    throw refuse(GateRefusal.Reason.TOO_LARGE, c.rule() + " allows " + w.limit + " per "
                            + millis(w.windowNanos) + " ms; this request needs " + c.permits());
                }
                at = Math.max(at, w.freeAt(c.permits(), now));
            }
        }
        return at;
    }

    private void take(List<Cost> costs, long now) {
        if (global != null) {
            global.take(1, now);
        }
        for (Cost c : costs) {
            Window w = window(c);
            if (w != null) {
                w.take(c.permits(), now);
            }
        }
    }

    private Window window(Cost c) {
        if (!routeBudgets) {
            return null;
        }
        Window w = windows.get(c.key());
        if (w == null) {
            RouteLimit l = limits.get(c.rule());
            if (l == null) {
                return null;
            }
            w = new Window(l.limit(), l.window().toNanos() + marginNanos);
            windows.put(c.key(), w);
        }
        return w;
    }

    private long pauseEnd(String key) {
        Pause p = pauses.get(key);
        return p == null ? Long.MIN_VALUE : p.until;
    }

    private GateRefusal refuse(GateRefusal.Reason reason, String message) {
        rejected++;
        return new GateRefusal(reason, message);
    }

    private void release() {
        lock.lock();
        try {
            inFlight--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void wakeUp() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The exchange answered "rate limited" to a request with these costs: pause what it hit.
     *
     * @param code the envelope's code (50011 route, 50061 account, anything else with HTTP 429: everything)
     * @return the pause in nanoseconds
     */
    public long onRateLimited(List<Cost> costs, int httpStatus, String code) {
        lock.lock();
        try {
            long now = System.nanoTime();
            long longest = 0;
            if ("50061".equals(code)) {
                longest = pause(Cost.ACCOUNT, now);
            } else if ("50011".equals(code) && !costs.isEmpty()) {
                for (Cost c : costs) {
                    if (!Cost.ACCOUNT.equals(c.key())) {
                        longest = Math.max(longest, pause(c.key(), now));
                    }
                }
            } else {
                longest = pause(GLOBAL, now);
            }
            backoffs++;
            changed.signalAll();
            return longest;
        } finally {
            lock.unlock();
        }
    }

    private long pause(String key, long now) {
        Pause p = pauses.computeIfAbsent(key, k -> new Pause());
        p.strikes++;
        long delay = backoffBaseNanos;
        for (int i = 1; i < p.strikes && delay < backoffMaxNanos; i++) {
            delay *= 2;
        }
        delay = Math.min(delay, backoffMaxNanos);
        // jitter down by up to half: clients hit together do not come back together
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        p.until = Math.max(p.until, now + delay);
        return delay;
    }

    /** A request with these costs succeeded: its routes (and the client) recovered, the next pause starts small. */
    public void onSuccess(List<Cost> costs) {
        lock.lock();
        try {
            if (pauses.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            clearIfOver(GLOBAL, now);
            for (Cost c : costs) {
                clearIfOver(c.key(), now);
            }
        } finally {
            lock.unlock();
        }
    }

    private void clearIfOver(String key, long now) {
        Pause p = pauses.get(key);
        if (p != null && p.until <= now) {
            pauses.remove(key);
        }
    }

    /** Replaces one rule's limit (budgets already counting keep their history). */
    public void updateLimit(String rule, int limit, Duration window) {
        RouteLimit l = new RouteLimit(rule, limit, window);
        lock.lock();
        try {
            limits.put(rule, l);
            String prefix = rule + "@";
            for (Map.Entry<String, Window> e : windows.entrySet()) {
                if (e.getKey().equals(rule) || e.getKey().startsWith(prefix)) {
                    e.getValue().limit = limit;
                    e.getValue().windowNanos = window.toNanos() + marginNanos;
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The account-wide order budget as {@code trade/account-rate-limit}'s {@code accRateLimit} states it (per 2 s). */
    public void updateAccountLimit(int ordersPerTwoSeconds) {
        updateLimit(Cost.ACCOUNT, ordersPerTwoSeconds, Duration.ofSeconds(2));
    }

    /** The limit in force for a rule, or null. */
    public RouteLimit limit(String rule) {
        lock.lock();
        try {
            return limits.get(rule);
        } finally {
            lock.unlock();
        }
    }

    public GateStats stats() {
        lock.lock();
        try {
            long now = System.nanoTime();
            int paused = 0;
            for (Pause p : pauses.values()) {
                if (p.until > now) {
                    paused++;
                }
            }
            return new GateStats(inFlight, waiting, passed, waited, rejected, backoffs, paused);
        } finally {
            lock.unlock();
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static final class Pause {
        int strikes;
        long until = Long.MIN_VALUE;
    }

    /** Start times of the permits taken in the last window, oldest first. */
    private static final class Window {
        int limit;
        long windowNanos;
        private final ArrayDeque<Long> taken = new ArrayDeque<>();

        Window(int limit, long windowNanos) {
            this.limit = limit;
            this.windowNanos = windowNanos;
        }

        /** When {@code permits} more fit: now, or when enough of the oldest have left the window. */
        long freeAt(int permits, long now) {
            while (!taken.isEmpty() && taken.peekFirst() + windowNanos <= now) {
                taken.pollFirst();
            }
            int over = taken.size() + permits - limit;
            if (over <= 0) {
                return now;
            }
            int i = 0;
            for (Long t : taken) {
                if (++i == over) {
                    return t + windowNanos;
                }
            }
            return now; // unreachable: over <= taken.size() because permits <= limit
        }

        void take(int permits, long now) {
            for (int i = 0; i < permits; i++) {
                taken.addLast(now);
            }
        }
    }
}
