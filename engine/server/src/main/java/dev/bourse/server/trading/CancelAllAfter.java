package dev.bourse.server.trading;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * OKX's {@code cancel-all-after} dead man's switch: a client that stops renewing its deadline gets all
 * its live orders canceled on every shard. The timer lives in the pod that took the last renewal; a
 * client renews every second or so, and a restarted pod starts without timers (documented in
 * docs/trader-api.md), so a client should not rely on a deadline outliving the pod it talked to.
 */
public final class CancelAllAfter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CancelAllAfter.class.getName());

    private final ShardOrderEntry orders;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cancel-all-after");
        t.setDaemon(true);
        return t;
    });
    private final Map<Long, ScheduledFuture<?>> deadlines = new ConcurrentHashMap<>();
    private final Counter triggered;

    public CancelAllAfter(ShardOrderEntry orders, MeterRegistry meters) {
        this.orders = orders;
        this.triggered = Counter.builder("bourse_cancel_all_after_triggered_total")
                .description("Dead man's switches that fired and canceled a user's orders").register(meters);
    }

    /**
     * Sets (seconds 10..120) or clears (0) the user's deadline; returns the trigger time in epoch seconds,
     * 0 when cleared.
     */
    public long set(long userId, int seconds) {
        ScheduledFuture<?> previous;
        if (seconds == 0) {
            previous = deadlines.remove(userId);
            if (previous != null) {
                previous.cancel(false);
            }
            return 0;
        }
        long trigger = System.currentTimeMillis() / 1000 + seconds;
        ScheduledFuture<?> next = timer.schedule(() -> fire(userId), seconds, TimeUnit.SECONDS);
        previous = deadlines.put(userId, next);
        if (previous != null) {
            previous.cancel(false);
        }
        return trigger;
    }

    private void fire(long userId) {
        deadlines.remove(userId);
        triggered.increment();
        orders.cancelAll(userId).whenComplete((n, err) -> {
            if (err != null) {
                LOG.warning("cancel-all-after for user " + userId + " failed: " + err);
            } else {
                LOG.info("cancel-all-after fired for user " + userId + ": " + n + " orders canceled");
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
