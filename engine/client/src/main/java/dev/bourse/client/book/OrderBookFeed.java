package dev.bourse.client.book;

import dev.bourse.client.ws.ChannelArg;
import dev.bourse.client.ws.OkxWebSocket;
import dev.bourse.client.ws.SubscribeAck;
import dev.bourse.client.ws.WsChannel;
import dev.bourse.client.ws.WsException;
import dev.bourse.client.ws.WsPush;
import dev.bourse.client.ws.model.BookData;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps an {@link OrderBookStore} fed from an {@link OkxWebSocket}: applies every {@code books}, {@code books5} and
 * {@code bbo-tbt} push, and recovers a book that fails a check deterministically: unsubscribe, reset, subscribe,
 * wait for the snapshot that follows the new subscription's acknowledgement. Pushes received before that
 * acknowledgement (still queued from the old subscription) are skipped, so a stale update never reaches the new
 * snapshot. Resyncs run on the feed's own thread: never call {@link #subscribe} or {@link #resync} from a handler
 * delivered inline, it would wait for a push its own thread has to read.
 */
public final class OrderBookFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OrderBookFeed.class.getName());
    private static final List<WsChannel<BookData>> CHANNELS = List.of(WsChannel.BOOKS, WsChannel.BOOKS5,
            WsChannel.BBO_TBT);

    /** What happened to the books; called on the handler thread (errors) or the resync thread (the rest). */
    public interface Listener {
        /** A push failed a check; {@code resyncing} tells whether an automatic resync follows. */
        default void onBookError(OrderBookException error, boolean resyncing) {
        }

        /** A book was rebuilt from a fresh snapshot. */
        default void onResynced(LocalOrderBook book) {
        }

        /** An automatic resync failed; it is retried after {@code retryIn}. */
        default void onResyncFailed(BookKey key, RuntimeException error, Duration retryIn) {
        }
    }

    /** Per book: which pushes to skip, and the last snapshot seen, guarded by its own monitor. */
    private static final class Gate {
        final ReentrantLock resync = new ReentrantLock();
        /** Pushes with a receive counter up to this are skipped (Long.MAX_VALUE: all, while a resync starts). */
        volatile long skipUpTo = -1;
        long lastSnapshotSeq = -1;
        volatile boolean autoResyncQueued;
    }

    private final OkxWebSocket ws;
    private final OrderBookStore store;
    private final boolean autoResync;
    private final Duration resyncTimeout;
    private final Map<BookKey, Gate> gates = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> registrations = new ArrayList<>();
    private final ScheduledExecutorService resyncThread;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile boolean closed;

    /** A feed that resyncs a failed book automatically, waiting up to 10 s per resync step. */
    public OrderBookFeed(OkxWebSocket ws, OrderBookStore store) {
        this(ws, store, true, Duration.ofSeconds(10));
    }

    public OrderBookFeed(OkxWebSocket ws, OrderBookStore store, boolean autoResync, Duration resyncTimeout) {
        this.ws = ws;
        this.store = store;
        this.autoResync = autoResync;
        this.resyncTimeout = resyncTimeout;
        this.resyncThread = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon(true)
                .name(ws.config().name() + "-book-resync").unstarted(r));
        for (WsChannel<BookData> c : CHANNELS) {
            registrations.add(ws.on(c, this::onPush));
        }
    }

    public OrderBookStore store() {
        return store;
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** Pushes that failed a check. */
    public long errors() {
        return errors.get();
    }

    /** Completed resyncs. */
    public long resyncs() {
        return resyncs.get();
    }

    /** Pushes skipped because they belonged to a subscription being replaced. */
    public long skipped() {
        return skipped.get();
    }

    private Gate gate(BookKey key) {
        return gates.computeIfAbsent(key, k -> new Gate());
    }

    private void onPush(WsPush<BookData> push) {
        BookKey key = new BookKey(push.channel(), push.instId());
        Gate g = gate(key);
        if (push.recvSeq() <= g.skipUpTo) {
            skipped.incrementAndGet();
            return;
        }
        LocalOrderBook book;
        try {
            book = store.apply(push);
        } catch (OrderBookException e) {
            errors.incrementAndGet();
            boolean resync = autoResync && !closed;
            if (resync) {
                g.skipUpTo = Long.MAX_VALUE; // nothing more applies until the resync has a fresh snapshot
                scheduleAutoResync(key, g, Duration.ZERO);
            }
            for (Listener l : listeners) {
                l.onBookError(e, resync);
            }
            throw e;
        }
        if (book.isReady() && (push.isSnapshot() || !"books".equals(push.channel()) && push.action() == null)) {
            synchronized (g) {
                g.lastSnapshotSeq = Math.max(g.lastSnapshotSeq, push.recvSeq());
                g.notifyAll();
            }
        }
    }

    private void scheduleAutoResync(BookKey key, Gate g, Duration delay) {
        if (g.autoResyncQueued && delay.isZero()) {
            return;
        }
        g.autoResyncQueued = true;
        try {
            resyncThread.schedule(() -> {
                g.autoResyncQueued = false;
                if (closed) {
                    return;
                }
                try {
                    resync(key.channel(), key.instId(), resyncTimeout);
                } catch (RuntimeException e) {
                    Duration retry = delay.isZero() ? Duration.ofMillis(500)
                            : delay.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                            : delay.multipliedBy(2);
                    LOG.log(Level.WARNING, key + " resync failed, retrying in " + retry.toMillis() + " ms: " + e.getMessage());
                    for (Listener l : listeners) {
                        l.onResyncFailed(key, e, retry);
                    }
                    g.skipUpTo = Long.MAX_VALUE;
                    scheduleAutoResync(key, g, retry);
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            g.autoResyncQueued = false; // closed
        }
    }

    /**
     * Subscribes {@code channel} of {@code instId} and waits until its snapshot is applied; returns the book.
     * Throws {@link dev.bourse.client.ws.SubscribeException} when refused, {@link WsException} on timeout.
     */
    public LocalOrderBook subscribe(String channel, String instId, Duration timeout) {
        requireBookChannel(channel);
        long deadline = System.nanoTime() + timeout.toNanos();
        BookKey key = new BookKey(channel, instId);
        Gate g = gate(key);
        g.resync.lock();
        try {
            if (g.skipUpTo == Long.MAX_VALUE) {
                // unsubscribed earlier: whatever arrives from now on belongs to the new subscription
                g.skipUpTo = ws.lastRecvSeq();
            }
            List<SubscribeAck> acks = ws.subscribeAndWait(timeout, ChannelArg.of(channel, instId));
            return awaitSnapshot(key, g, acks.getFirst().recvSeq(), deadline);
        } finally {
            g.resync.unlock();
        }
    }

    /** Unsubscribes and forgets the book. */
    public void unsubscribe(String channel, String instId, Duration timeout) {
        BookKey key = new BookKey(channel, instId);
        Gate g = gate(key);
        g.resync.lock();
        try {
            g.skipUpTo = Long.MAX_VALUE;
            ws.unsubscribeAndWait(timeout, ChannelArg.of(channel, instId));
            store.reset(key);
        } finally {
            g.resync.unlock();
        }
    }

    /**
     * The runbook's deterministic recovery: unsubscribe, reset the book, subscribe, and wait for the snapshot that
     * follows the new acknowledgement. Returns the rebuilt book; throws {@link WsException} when a step does not
     * finish within {@code timeout} (overall).
     */
    public LocalOrderBook resync(String channel, String instId, Duration timeout) {
        requireBookChannel(channel);
        BookKey key = new BookKey(channel, instId);
        Gate g = gate(key);
        long deadline = System.nanoTime() + timeout.toNanos();
        g.resync.lock();
        try {
            ChannelArg arg = ChannelArg.of(channel, instId);
            g.skipUpTo = Long.MAX_VALUE;
            List<SubscribeAck> gone = ws.unsubscribeAndWait(remaining(deadline), arg);
            store.reset(key);
            // after the unsubscription's acknowledgement the server pushes nothing more for it: every later push
            // of this book belongs to the new subscription
            g.skipUpTo = gone.getFirst().recvSeq();
            List<SubscribeAck> acks = ws.subscribeAndWait(remaining(deadline), arg);
            LocalOrderBook book = awaitSnapshot(key, g, acks.getFirst().recvSeq(), deadline);
            resyncs.incrementAndGet();
            for (Listener l : listeners) {
                l.onResynced(book);
            }
            return book;
        } finally {
            g.resync.unlock();
        }
    }

    private LocalOrderBook awaitSnapshot(BookKey key, Gate g, long afterSeq, long deadline) {
        synchronized (g) {
            while (g.lastSnapshotSeq <= afterSeq) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new WsException(key + ": no snapshot within the timeout after the subscription was acknowledged");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(g, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WsException(key + ": interrupted while waiting for the snapshot");
                }
            }
        }
        return store.book(key.channel(), key.instId()).orElseThrow();
    }

    private static Duration remaining(long deadline) {
        long left = deadline - System.nanoTime();
        return Duration.ofNanos(Math.max(1_000_000, left));
    }

    private static void requireBookChannel(String channel) {
        if (!OrderBookStore.isBookChannel(channel) || channel.contains("l2-tbt") || channel.equals("books-elp")) {
            throw new IllegalArgumentException("the feed serves books, books5 and bbo-tbt, not " + channel);
        }
    }

    /** Stops applying pushes and resyncing; the store keeps its books. */
    @Override
    public void close() {
        closed = true;
        for (AutoCloseable r : registrations) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "handler removal failed", e);
            }
        }
        resyncThread.shutdownNow();
    }
}
