package dev.bourse.server.marketdata;

import dev.bourse.book.BookChecksum;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.Side;
import dev.bourse.server.events.BatchEvents;
import dev.bourse.server.events.EngineEvent;
import dev.bourse.server.events.EventBus;
import dev.bourse.server.events.EventBusException;
import dev.bourse.server.shard.FillRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The market-data projection: books, trades, candles and tickers of every instrument of every shard, built
 * only from committed batches ({@link EventBus}) plus, to start a book, a commit-consistent
 * {@link BookSnapshot} whose later changes are applied on top. REST market endpoints read it; WebSocket
 * channels listen to it ({@link MarketDataListener}).
 *
 * <p>One applier thread applies batches in the order received; each instrument's state is guarded by its own
 * monitor, which readers take briefly to copy what they return. The bus subscriber only enqueues.
 */
public final class MarketData implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MarketData.class.getName());

    /** Levels of the {@code books} view (its snapshot and the levels its increments maintain). */
    public static final int BOOKS_DEPTH = 400;
    public static final int TRADES_KEPT = 500;
    public static final int CANDLES_KEPT = 1440;
    public static final long DAY_MILLIS = 86_400_000L;
    static final int QUEUE_CAPACITY = 65_536;
    static final int MAX_PENDING_LEVELS = 200_000;
    /** How long start-up waits for the bus to follow the other shards before replaying. */
    static final java.time.Duration FOLLOW_WAIT = java.time.Duration.ofSeconds(5);

    /** All listed instruments by instId (the lead wires it to {@code Listing}). */
    @FunctionalInterface
    public interface InstrumentLookup {
        Map<String, Instrument> all() throws Exception;
    }

    private record Received(BatchEvents batch, long nanos) {
    }

    private final InstrumentLookup lookup;
    private final Function<String, CompletableFuture<BookSnapshot>> snapshots;
    private final LongSupplier clock;
    private final long tickerIntervalNanos;
    private final Map<String, Instrument> instruments = new ConcurrentHashMap<>();
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final List<MarketDataListener> listeners = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicBoolean lost = new AtomicBoolean();
    private final ScheduledExecutorService timer;
    private final BookChecksum checksum = new BookChecksum(); // applier thread only
    private final Timer applyLatency;
    private final Counter resyncs;
    private final Counter dropped;
    private final Counter dedup;
    private final Counter replayedTrades;
    private volatile long lastRefreshNanos;
    /** Symbols whose depth pushes an operator stopped (read-only market data); trades keep flowing. */
    private volatile java.util.function.Predicate<String> depthPaused = id -> false;
    private volatile Thread applier;
    private volatile boolean closed;
    private AutoCloseable subscription;

    /**
     * @param snapshots       a commit-consistent snapshot of one book, by instId
     * @param clock           wall clock in epoch milliseconds (the 24 h ticker window)
     * @param tickerInterval  least time between two ticker pushes of one instrument, in milliseconds
     */
    public MarketData(InstrumentLookup lookup, Function<String, CompletableFuture<BookSnapshot>> snapshots,
                      MeterRegistry meters, LongSupplier clock, long tickerInterval) {
        this.lookup = lookup;
        this.snapshots = snapshots;
        this.clock = clock;
        this.tickerIntervalNanos = TimeUnit.MILLISECONDS.toNanos(tickerInterval);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "marketdata-timer");
            t.setDaemon(true);
            return t;
        });
        this.applyLatency = Timer.builder("bourse_marketdata_apply_latency")
                .description("from receiving a committed batch to having applied it to the projection")
                .publishPercentiles(0.5, 0.99, 0.999).register(meters);
        this.resyncs = Counter.builder("bourse_marketdata_resyncs_total")
                .description("books restarted from a snapshot after a sequence gap").register(meters);
        this.dropped = Counter.builder("bourse_marketdata_dropped_batches_total")
                .description("batches dropped because the projection fell behind (books resync)").register(meters);
        this.dedup = Counter.builder("bourse_marketdata_dedup_total")
                .description("trades ignored because their tradeId was already applied").register(meters);
        this.replayedTrades = Counter.builder("bourse_marketdata_replayed_trades_total")
                .description("trades taken at start-up from the event replay because the database read did not have them yet")
                .register(meters);
        Gauge.builder("bourse_marketdata_books", states, s -> s.values().stream().filter(st -> st.ready).count())
                .description("books the projection holds in sync").register(meters);
        refreshInstruments();
    }

    public MarketData(InstrumentLookup lookup, Function<String, CompletableFuture<BookSnapshot>> snapshots,
                      MeterRegistry meters) {
        this(lookup, snapshots, meters, System::currentTimeMillis, 100);
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /** Where the projection's history comes from at start-up (the database's {@link FillHistory}). */
    @FunctionalInterface
    public interface HistorySource {
        MarketHistory load() throws SQLException;
    }

    /**
     * Rebuilds trades, candles and tickers, then starts applying live batches, leaving no gap between the
     * two: subscribes to {@code bus} first (live batches queue up from then on), reads {@code history}
     * (the database), waits until the bus follows the other shards' streams, then replays the bus's recent
     * batches, which hold whatever was committed after the read but reached this pod before its
     * subscription was live. A fill seen twice is applied once (trade ids grow per shard). Books start from
     * snapshots requested now.
     */
    public synchronized void start(EventBus bus, HistorySource history) throws SQLException {
        if (applier != null) {
            throw new IllegalStateException("already started");
        }
        subscription = bus.subscribe(this::accept);
        long t0 = System.nanoTime();
        MarketHistory h = history.load();
        loadHistory(h);
        long t1 = System.nanoTime();
        if (!awaitFollowing(bus)) {
            LOG.warning("market data: the event bus does not follow the other shards yet (Redis unreachable?); trades "
                    + "committed elsewhere until it does are missing from trades and candles");
        }
        int[] counts = replay(bus);
        LOG.info("market data: rebuilt from " + h.bars().size() + " minute bars and " + h.trades().size()
                + " trades of the database in " + TimeUnit.NANOSECONDS.toMillis(t1 - t0) + " ms, then " + counts[1]
                + " trades from " + counts[0] + " replayed batches");
        Thread t = Thread.ofPlatform().name("marketdata-applier").daemon(true).unstarted(this::run);
        applier = t;
        t.start();
        queue.offer((Runnable) () -> {
            for (String instId : instruments.keySet()) {
                State s = state(instId);
                if (s != null) {
                    synchronized (s) {
                        requestSnapshot(s);
                    }
                }
            }
        });
    }

    private static boolean awaitFollowing(EventBus bus) {
        try {
            return bus.awaitFollowing(FOLLOW_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@link #start(EventBus, HistorySource)} from fills already in memory (oldest first). */
    public void start(EventBus bus, List<FillRecord> history) {
        try {
            start(bus, () -> MarketHistory.of(history, TRADES_KEPT));
        } catch (SQLException e) {
            throw new IllegalStateException(e); // computed in memory: no database involved
        }
    }

    /**
     * Applies the trades of the bus's recent batches that the history did not have; returns {batches,
     * trades applied}. Without the replay (Redis down) the database's picture stands.
     */
    private int[] replay(EventBus bus) {
        int[] applied = {0};
        int batches;
        try {
            batches = bus.replay(batch -> {
                for (EngineEvent e : batch.events()) {
                    if (e instanceof EngineEvent.TradeEvent te) {
                        State s = instrument(te.fill().instId()).map(i -> state(te.fill().instId())).orElse(null);
                        if (s != null) {
                            synchronized (s) {
                                if (s.trade(te.fill(), false)) {
                                    applied[0]++;
                                }
                            }
                        }
                    }
                }
            });
        } catch (EventBusException e) {
            LOG.log(Level.WARNING, "market data: no replay of recent events (" + e.getMessage() + "); the database's "
                    + "history stands", e);
            return new int[] {0, 0};
        }
        replayedTrades.increment(applied[0]);
        return new int[] {batches, applied[0]};
    }

    /** The bus subscriber: enqueues and returns at once. A full queue drops the batch and resyncs later. */
    public void accept(BatchEvents batch) {
        if (!queue.offer(new Received(batch, System.nanoTime()))) {
            dropped.increment();
            lost.set(true);
        }
    }

    public void addListener(MarketDataListener l) {
        listeners.add(l);
    }

    public void removeListener(MarketDataListener l) {
        listeners.remove(l);
    }

    @Override
    public void close() {
        closed = true;
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "unsubscribe failed", e);
            }
        }
        Thread t = applier;
        if (t != null) {
            t.interrupt();
        }
        timer.shutdownNow();
    }

    /** Reloads the instrument list (a newly listed instrument becomes known). */
    public void refreshInstruments() {
        try {
            Map<String, Instrument> all = lookup.all();
            instruments.putAll(all);
            lastRefreshNanos = System.nanoTime();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "could not load instruments for market data: " + e.getMessage(), e);
        }
    }

    /** The instrument, reloading the list at most once a second when it is unknown. */
    public Optional<Instrument> instrument(String instId) {
        if (instId == null) {
            return Optional.empty();
        }
        Instrument ins = instruments.get(instId);
        if (ins == null && System.nanoTime() - lastRefreshNanos > 1_000_000_000L) {
            refreshInstruments();
            ins = instruments.get(instId);
        }
        return Optional.ofNullable(ins);
    }

    public Set<String> instIds() {
        return Collections.unmodifiableSet(new TreeSet<>(instruments.keySet()));
    }

    // ------------------------------------------------------------------------------------------ reads

    /** The top {@code depth} levels of each side, or empty for an unknown instrument. */
    public Optional<BookDepth> book(String instId, int depth) {
        State s = instrument(instId).map(i -> state(instId)).orElse(null);
        if (s == null) {
            return Optional.empty();
        }
        synchronized (s) {
            return Optional.of(s.depth(depth));
        }
    }

    /**
     * Runs {@code action} with the current book while no change of it can be dispatched, so that whatever
     * the action registers receives exactly the changes after this view. Returns false for an unknown instId.
     */
    public boolean withBook(String instId, int depth, java.util.function.Consumer<BookDepth> action) {
        State s = instrument(instId).map(i -> state(instId)).orElse(null);
        if (s == null) {
            return false;
        }
        synchronized (s) {
            action.accept(s.depth(depth));
        }
        return true;
    }

    /** Runs {@code action} with the instrument's latest state held, so no change is dispatched meanwhile. */
    public boolean withInstrument(String instId, Runnable action) {
        State s = instrument(instId).map(i -> state(instId)).orElse(null);
        if (s == null) {
            return false;
        }
        synchronized (s) {
            action.run();
        }
        return true;
    }

    /** The most recent trades (individual fills), newest first. */
    public List<Trade> trades(String instId, int limit) {
        State s = instrument(instId).map(i -> state(instId)).orElse(null);
        if (s == null) {
            return List.of();
        }
        synchronized (s) {
            List<Trade> out = new ArrayList<>(Math.min(limit, s.trades.size()));
            Iterator<Trade> it = s.trades.descendingIterator();
            while (it.hasNext() && out.size() < limit) {
                out.add(it.next());
            }
            return out;
        }
    }

    public Optional<Ticker> ticker(String instId) {
        State s = instrument(instId).map(i -> state(instId)).orElse(null);
        if (s == null) {
            return Optional.empty();
        }
        synchronized (s) {
            return Optional.of(s.ticker(clock.getAsLong()));
        }
    }

    /** Tickers of every instrument, in instId order. */
    public List<Ticker> tickers() {
        List<Ticker> out = new ArrayList<>();
        for (String instId : instIds()) {
            ticker(instId).ifPresent(out::add);
        }
        return out;
    }

    /** The latest candle of a bar, if any trade made one. */
    public Optional<Candle> latestCandle(String instId, Bar bar) {
        List<Candle> c = candles(instId, bar, null, null, 1);
        return c.isEmpty() ? Optional.empty() : Optional.of(c.get(0));
    }

    /**
     * Candles newest first, as OKX pages them: {@code after} = only bars opened before it, {@code before} =
     * only bars opened after it (either may be null).
     */
    public List<Candle> candles(String instId, Bar bar, Long after, Long before, int limit) {
        State s = instrument(instId).map(i -> state(instId)).orElse(null);
        if (s == null) {
            return List.of();
        }
        long now = clock.getAsLong();
        synchronized (s) {
            ArrayDeque<long[]> d = s.candles.get(bar);
            List<Candle> out = new ArrayList<>();
            Iterator<long[]> it = d.descendingIterator();
            boolean newest = true;
            while (it.hasNext() && out.size() < limit) {
                long[] c = it.next();
                boolean confirmed = !newest || bar.next(c[0]) <= now;
                newest = false;
                if ((after != null && c[0] >= after) || (before != null && c[0] <= before)) {
                    continue;
                }
                out.add(s.candle(c, confirmed));
            }
            return out;
        }
    }

    // ------------------------------------------------------------------------------------------ history

    /** Installs the history's bars and recent trades, without notifying anyone. */
    void loadHistory(MarketHistory h) {
        for (MarketHistory.MinuteBar b : h.bars()) {
            State s = state(b.instId());
            if (s != null) {
                synchronized (s) {
                    s.restore(b);
                }
            }
        }
        for (FillRecord f : h.trades()) {
            State s = state(f.instId());
            if (s != null) {
                synchronized (s) {
                    s.restore(f);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ applier

    private void run() {
        while (!closed) {
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (lost.getAndSet(false)) {
                    resyncAll();
                }
                if (item instanceof Received r) {
                    apply(r.batch(), r.nanos());
                    applyLatency.record(System.nanoTime() - r.nanos(), TimeUnit.NANOSECONDS);
                } else if (item instanceof Runnable task) {
                    task.run();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "market data: failed to apply an update; books resync", e);
                resyncAll();
            }
        }
    }

    private void resyncAll() {
        for (State s : states.values()) {
            synchronized (s) {
                s.ready = false;
                s.pending.clear();
                requestSnapshot(s);
            }
        }
    }

    /** Applies one committed batch: per instrument, its events in engine order. */
    void apply(BatchEvents batch, long receivedNanos) {
        Map<String, List<EngineEvent>> byInst = new LinkedHashMap<>();
        for (EngineEvent e : batch.events()) {
            String instId = switch (e) {
                case EngineEvent.BookLevelEvent b -> b.instId();
                case EngineEvent.TradeEvent t -> t.fill().instId();
                default -> null;
            };
            if (instId != null) {
                byInst.computeIfAbsent(instId, k -> new ArrayList<>()).add(e);
            }
        }
        for (Map.Entry<String, List<EngineEvent>> e : byInst.entrySet()) {
            State s = state(e.getKey());
            if (s == null) {
                if (instrument(e.getKey()).isEmpty()) {
                    LOG.warning("market data: events for unknown instrument " + e.getKey() + " ignored");
                    continue;
                }
                s = state(e.getKey());
            }
            synchronized (s) {
                s.apply(e.getValue(), receivedNanos);
            }
        }
    }

    private State state(String instId) {
        State s = states.get(instId);
        if (s == null) {
            Instrument ins = instruments.get(instId);
            if (ins == null) {
                return null;
            }
            State created = new State(ins);
            s = states.putIfAbsent(instId, created);
            if (s == null) {
                s = created;
                if (applier != null) { // listed after start: fetch its book now rather than at its first change
                    queue.offer((Runnable) () -> {
                        synchronized (created) {
                            if (!created.ready) {
                                requestSnapshot(created);
                            }
                        }
                    });
                }
            }
        }
        return s;
    }

    /** Asks for a snapshot once; its result is installed on the applier thread, in order with batches. */
    private void requestSnapshot(State s) {
        if (s.snapshotRequested || closed) {
            return;
        }
        s.snapshotRequested = true;
        CompletableFuture<BookSnapshot> f;
        try {
            f = snapshots.apply(s.instId);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((snap, err) -> enqueueTask(() -> {
            synchronized (s) {
                s.install(snap, err);
            }
        }));
    }

    private void enqueueTask(Runnable task) {
        try {
            queue.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(java.util.function.Consumer<MarketDataListener> call) {
        for (MarketDataListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "market data listener failed", e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ state

    /** Everything the projection holds for one instrument. Guarded by its own monitor. */
    /**
     * Stops (or resumes) depth pushes for the symbols {@code paused} accepts. Books keep being maintained;
     * a symbol whose pushes resume sends its subscribers a fresh snapshot, so nobody has to bridge the gap.
     */
    public void pauseDepth(java.util.function.Predicate<String> paused) {
        depthPaused = paused;
        enqueueTask(() -> {
            for (State st : states.values()) {
                synchronized (st) {
                    if (st.depthHeld && st.ready && !paused.test(st.instId)) {
                        st.depthHeld = false;
                        BookDepth depth = st.depth(BOOKS_DEPTH);
                        dispatch(l -> l.onBookReset(depth));
                    }
                }
            }
        });
    }

    /** True while depth pushes of {@code instId} are stopped. */
    public boolean depthPaused(String instId) {
        return depthPaused.test(instId);
    }

    private final class State {
        boolean depthHeld;
        final String instId;
        final Instrument ins;
        final int ps;
        final int ss;
        final int qs;
        final TreeMap<Long, long[]> bids = new TreeMap<>(Comparator.reverseOrder()); // px -> {sz, orders}
        final TreeMap<Long, long[]> asks = new TreeMap<>();
        long seqId = -1;
        int bookChecksum;
        long bookTs;
        boolean ready;
        boolean snapshotRequested;
        final List<EngineEvent.BookLevelEvent> pending = new ArrayList<>();
        List<BookLevel> top5Bids = List.of();
        List<BookLevel> top5Asks = List.of();
        final ArrayDeque<Trade> trades = new ArrayDeque<>();
        final Map<Integer, Long> lastTradeId = new HashMap<>();
        long lastPx;
        long lastSz;
        boolean traded;
        final EnumMap<Bar, ArrayDeque<long[]>> candles = new EnumMap<>(Bar.class); // {start,o,h,l,c,vol,volCcy}
        long tickerPushedNanos = Long.MIN_VALUE / 2;
        boolean tickerScheduled;
        long tickerDirtySince;

        State(Instrument ins) {
            this.instId = ins.instId();
            this.ins = ins;
            this.ps = ins.priceScale();
            this.ss = ins.base().scale();
            this.qs = ins.quote().scale();
            for (Bar b : Bar.values()) {
                candles.put(b, new ArrayDeque<>());
            }
        }

        String px(long v) {
            return Decimals.format(v, ps);
        }

        String sz(long v) {
            return Decimals.format(v, ss);
        }

        // ---------------------------------------------------------------- book

        BookDepth depth(int n) {
            if (!ready) {
                return new BookDepth(instId, List.of(), List.of(), seqId, 0, bookTs, false);
            }
            return new BookDepth(instId, levels(bids, n), levels(asks, n), seqId, bookChecksum, bookTs, true);
        }

        List<BookLevel> levels(TreeMap<Long, long[]> side, int n) {
            List<BookLevel> out = new ArrayList<>(Math.min(n, side.size()));
            for (Map.Entry<Long, long[]> e : side.entrySet()) {
                if (out.size() == n) {
                    break;
                }
                out.add(new BookLevel(px(e.getKey()), sz(e.getValue()[0]), (int) e.getValue()[1]));
            }
            return out;
        }

        void apply(List<EngineEvent> events, long receivedNanos) {
            List<EngineEvent.BookLevelEvent> group = new ArrayList<>();
            List<Trade> aggregated = new ArrayList<>();
            EnumMap<Bar, long[]> changedCandles = new EnumMap<>(Bar.class);
            boolean tickerChanged = false;
            long lastTakerOrd = -1;
            long lastSeq = -1;
            for (EngineEvent e : events) {
                if (e instanceof EngineEvent.BookLevelEvent b) {
                    if (!group.isEmpty() && group.get(0).bookSeqId() != b.bookSeqId()) {
                        tickerChanged |= bookGroup(group, receivedNanos);
                        group.clear();
                    }
                    group.add(b);
                } else if (e instanceof EngineEvent.TradeEvent t) {
                    FillRecord f = t.fill();
                    if (!trade(f, true)) {
                        continue;
                    }
                    tickerChanged = true;
                    for (Bar bar : Bar.values()) {
                        changedCandles.put(bar, candles.get(bar).peekLast());
                    }
                    Trade last = aggregated.isEmpty() ? null : aggregated.get(aggregated.size() - 1);
                    if (last != null && lastSeq == f.seq() && lastTakerOrd == f.takerOrdId() && last.px().equals(px(f.px()))) {
                        long sum = Decimals.parse(last.sz(), ss) + f.sz();
                        aggregated.set(aggregated.size() - 1, new Trade(instId, f.tradeId(), last.px(), sz(sum),
                                last.side(), f.ts(), last.count() + 1, seqId));
                    } else {
                        aggregated.add(new Trade(instId, f.tradeId(), px(f.px()), sz(f.sz()), f.takerSide().okx(), f.ts(), 1,
                                seqId));
                    }
                    lastSeq = f.seq();
                    lastTakerOrd = f.takerOrdId();
                }
            }
            if (!group.isEmpty()) {
                tickerChanged |= bookGroup(group, receivedNanos);
            }
            if (!aggregated.isEmpty()) {
                List<Trade> out = List.copyOf(aggregated);
                dispatch(l -> l.onTrades(instId, out, receivedNanos));
            }
            for (Map.Entry<Bar, long[]> c : changedCandles.entrySet()) {
                if (c.getValue() != null) {
                    Candle candle = candle(c.getValue(), false);
                    dispatch(l -> l.onCandle(instId, c.getKey(), candle, receivedNanos));
                }
            }
            if (tickerChanged) {
                tickerChanged(receivedNanos);
            }
        }

        /** Applies one command's level changes; returns true when the best bid or ask changed. */
        boolean bookGroup(List<EngineEvent.BookLevelEvent> group, long receivedNanos) {
            long id = group.get(0).bookSeqId();
            if (!ready) {
                if (pending.size() + group.size() > MAX_PENDING_LEVELS) {
                    pending.clear(); // the snapshot on its way is newer; a gap after it asks again
                }
                pending.addAll(group);
                requestSnapshot(this);
                return false;
            }
            if (id <= seqId) {
                return false; // already in the snapshot
            }
            if (id != seqId + 1) {
                LOG.warning("market data: " + instId + " book gap (have " + seqId + ", got " + id + "); resync");
                resyncs.increment();
                ready = false;
                pending.clear();
                pending.addAll(group);
                requestSnapshot(this);
                return false;
            }
            Long b0 = boundary(bids);
            Long a0 = boundary(asks);
            TreeSet<Long> changedBids = new TreeSet<>(bids.comparator());
            TreeSet<Long> changedAsks = new TreeSet<>();
            for (EngineEvent.BookLevelEvent e : group) {
                setLevel(e);
                (e.side() == Side.BUY ? changedBids : changedAsks).add(e.px());
            }
            long prev = seqId;
            seqId = id;
            bookTs = clock.getAsLong();
            List<BookLevel> bidDiff = viewDiff(bids, changedBids, b0, boundary(bids));
            List<BookLevel> askDiff = viewDiff(asks, changedAsks, a0, boundary(asks));
            bookChecksum = computeChecksum();
            List<BookLevel> nb = levels(bids, 5);
            List<BookLevel> na = levels(asks, 5);
            BookDepth top5 = null;
            BookDepth bbo = null;
            boolean bboChanged = !firstOrNull(nb).equals(firstOrNull(top5Bids)) || !firstOrNull(na).equals(firstOrNull(top5Asks));
            if (!nb.equals(top5Bids) || !na.equals(top5Asks)) {
                top5 = new BookDepth(instId, nb, na, seqId, bookChecksum, bookTs, true);
            }
            if (bboChanged) {
                bbo = new BookDepth(instId, nb.isEmpty() ? List.of() : List.of(nb.get(0)),
                        na.isEmpty() ? List.of() : List.of(na.get(0)), seqId, bookChecksum, bookTs, true);
            }
            top5Bids = nb;
            top5Asks = na;
            BookUpdate u = new BookUpdate(instId, prev, seqId, bookTs, bookChecksum, bidDiff, askDiff, top5, bbo,
                    receivedNanos);
            if (depthPaused.test(instId)) {
                depthHeld = true; // subscribers get a fresh snapshot when depth is released
            } else {
                dispatch(l -> l.onBook(u));
            }
            return bboChanged;
        }

        private static Object firstOrNull(List<BookLevel> l) {
            return l.isEmpty() ? "" : l.get(0);
        }

        void setLevel(EngineEvent.BookLevelEvent e) {
            TreeMap<Long, long[]> side = e.side() == Side.BUY ? bids : asks;
            if (e.sz() == 0) {
                side.remove(e.px());
            } else {
                side.put(e.px(), new long[] {e.sz(), e.orderCount()});
            }
        }

        /** Price of the last level inside the view, or null when the whole side is inside. */
        Long boundary(TreeMap<Long, long[]> side) {
            if (side.size() < BOOKS_DEPTH) {
                return null;
            }
            int i = 0;
            for (Long p : side.keySet()) {
                if (++i == BOOKS_DEPTH) {
                    return p;
                }
            }
            return null;
        }

        /**
         * What a client holding the {@code BOOKS_DEPTH} view must change: changed levels inside the view now,
         * levels that left it ("0") and unchanged levels that entered it. Best first.
         */
        List<BookLevel> viewDiff(TreeMap<Long, long[]> side, TreeSet<Long> changed, Long before, Long after) {
            Comparator<? super Long> cmp = side.comparator() == null ? Comparator.naturalOrder() : side.comparator();
            TreeMap<Long, BookLevel> out = new TreeMap<>(cmp);
            for (Long p : changed) {
                if (after == null || cmp.compare(p, after) <= 0) {
                    out.put(p, current(side, p));
                } else if (before == null || cmp.compare(p, before) <= 0) {
                    out.put(p, new BookLevel(px(p), "0", 0));
                }
            }
            if (after != null) { // unchanged levels pushed out of the view
                for (Long p : side.tailMap(after, false).keySet()) {
                    if (before != null && cmp.compare(p, before) > 0) {
                        break;
                    }
                    out.putIfAbsent(p, new BookLevel(px(p), "0", 0));
                }
            }
            if (before != null) { // unchanged levels that came into the view
                for (Long p : side.tailMap(before, false).keySet()) {
                    if (after != null && cmp.compare(p, after) > 0) {
                        break;
                    }
                    out.putIfAbsent(p, current(side, p));
                }
            }
            return List.copyOf(out.values());
        }

        BookLevel current(TreeMap<Long, long[]> side, long p) {
            long[] v = side.get(p);
            return v == null ? new BookLevel(px(p), "0", 0) : new BookLevel(px(p), sz(v[0]), (int) v[1]);
        }

        int computeChecksum() {
            int n = BookChecksum.LEVELS;
            long[] bp = new long[n];
            long[] bs = new long[n];
            long[] ap = new long[n];
            long[] as = new long[n];
            int nb = fill(bids, bp, bs);
            int na = fill(asks, ap, as);
            return checksum.compute(bp, bs, nb, ap, as, na, ps, ss);
        }

        int fill(TreeMap<Long, long[]> side, long[] px, long[] sz) {
            int i = 0;
            for (Map.Entry<Long, long[]> e : side.entrySet()) {
                if (i == px.length) {
                    break;
                }
                px[i] = e.getKey();
                sz[i++] = e.getValue()[0];
            }
            return i;
        }

        private long snapshotRetryMillis = 1_000;

        /** Installs a snapshot (applier thread), replays the changes received meanwhile, announces the reset. */
        void install(BookSnapshot snap, Throwable err) {
            snapshotRequested = false;
            if (ready || closed) {
                return;
            }
            if (err != null || snap == null) {
                // back off while the owning pod is away (1 s doubling to 30 s), and say so once per attempt
                long delay = snapshotRetryMillis;
                snapshotRetryMillis = Math.min(30_000, snapshotRetryMillis * 2);
                LOG.warning("market data: no snapshot of " + instId + " (" + (err == null ? "none" : err.getMessage())
                        + "); retrying in " + delay + " ms");
                timer.schedule(() -> enqueueTask(() -> {
                    synchronized (this) {
                        if (!ready) {
                            requestSnapshot(this);
                        }
                    }
                }), delay, TimeUnit.MILLISECONDS);
                return;
            }
            snapshotRetryMillis = 1_000;
            bids.clear();
            asks.clear();
            for (int i = 0; i < snap.bidPx().length; i++) {
                bids.put(snap.bidPx()[i], new long[] {snap.bidSz()[i], snap.bidOrders()[i]});
            }
            for (int i = 0; i < snap.askPx().length; i++) {
                asks.put(snap.askPx()[i], new long[] {snap.askSz()[i], snap.askOrders()[i]});
            }
            long base = snap.seqId();
            long cur = base;
            for (EngineEvent.BookLevelEvent e : pending) {
                long id = e.bookSeqId();
                if (id <= base) {
                    continue; // already in the snapshot
                }
                if (id != cur && id != cur + 1) {
                    // the snapshot is older than the first change we kept: ask for a newer one
                    pending.removeIf(p -> p.bookSeqId() <= base);
                    requestSnapshot(this);
                    return;
                }
                cur = id;
                setLevel(e);
            }
            seqId = cur;
            pending.clear();
            ready = true;
            bookTs = clock.getAsLong();
            bookChecksum = computeChecksum();
            top5Bids = levels(bids, 5);
            top5Asks = levels(asks, 5);
            BookDepth depth = depth(BOOKS_DEPTH);
            dispatch(l -> l.onBookReset(depth));
            tickerChanged(System.nanoTime());
        }

        // ---------------------------------------------------------------- trades and candles

        /** Adds one minute of history to every bar size (minutes arrive oldest first). */
        void restore(MarketHistory.MinuteBar b) {
            lastTradeId.merge(b.shardId(), b.lastTradeId(), Math::max);
            for (Bar bar : Bar.values()) {
                ArrayDeque<long[]> d = candles.get(bar);
                long start = bar.start(b.start());
                long[] last = d.peekLast();
                if (last == null || last[0] < start) {
                    d.addLast(new long[] {start, b.open(), b.high(), b.low(), b.close(), b.vol(), b.volQuote()});
                    if (d.size() > CANDLES_KEPT) {
                        d.removeFirst();
                    }
                } else if (last[0] == start) {
                    last[2] = Math.max(last[2], b.high());
                    last[3] = Math.min(last[3], b.low());
                    last[4] = b.close();
                    last[5] += b.vol();
                    last[6] += b.volQuote();
                }
            }
        }

        /** Adds one of the most recent trades (oldest first) to the trades list and the last price. */
        void restore(FillRecord f) {
            lastTradeId.merge(f.shardId(), f.tradeId(), Math::max);
            trades.addLast(new Trade(instId, f.tradeId(), px(f.px()), sz(f.sz()), f.takerSide().okx(), f.ts(), 1, seqId));
            if (trades.size() > TRADES_KEPT) {
                trades.removeFirst();
            }
            lastPx = f.px();
            lastSz = f.sz();
            traded = true;
        }

        /** Records one fill unless its tradeId was seen; returns false for a duplicate. */
        boolean trade(FillRecord f, boolean live) {
            Long last = lastTradeId.get(f.shardId());
            if (last != null && f.tradeId() <= last) {
                if (live) {
                    dedup.increment();
                }
                return false;
            }
            lastTradeId.put(f.shardId(), f.tradeId());
            trades.addLast(new Trade(instId, f.tradeId(), px(f.px()), sz(f.sz()), f.takerSide().okx(), f.ts(), 1, seqId));
            if (trades.size() > TRADES_KEPT) {
                trades.removeFirst();
            }
            lastPx = f.px();
            lastSz = f.sz();
            traded = true;
            for (Bar bar : Bar.values()) {
                candle(bar, f, live);
            }
            return true;
        }

        void candle(Bar bar, FillRecord f, boolean live) {
            ArrayDeque<long[]> d = candles.get(bar);
            long start = bar.start(f.ts());
            long[] last = d.peekLast();
            if (last == null || last[0] < start) {
                if (last != null && live) {
                    Candle done = candle(last, true);
                    dispatch(l -> l.onCandle(instId, bar, done, System.nanoTime()));
                }
                d.addLast(new long[] {start, f.px(), f.px(), f.px(), f.px(), f.sz(), f.quoteAmt()});
                if (d.size() > CANDLES_KEPT) {
                    d.removeFirst();
                }
                return;
            }
            // a fill of an older bar (history overlapping live data): find its bar
            Iterator<long[]> it = d.descendingIterator();
            while (it.hasNext()) {
                long[] c = it.next();
                if (c[0] == start) {
                    c[2] = Math.max(c[2], f.px());
                    c[3] = Math.min(c[3], f.px());
                    if (c == last) {
                        c[4] = f.px();
                    }
                    c[5] += f.sz();
                    c[6] += f.quoteAmt();
                    return;
                }
                if (c[0] < start) {
                    return;
                }
            }
        }

        Candle candle(long[] c, boolean confirmed) {
            return new Candle(c[0], px(c[1]), px(c[2]), px(c[3]), px(c[4]), sz(c[5]), Decimals.format(c[6], qs),
                    confirmed);
        }

        // ---------------------------------------------------------------- ticker

        Ticker ticker(long now) {
            String last = traded ? px(lastPx) : "";
            long from = now - DAY_MILLIS;
            long open = 0;
            long high = Long.MIN_VALUE;
            long low = Long.MAX_VALUE;
            long vol = 0;
            long volCcy = 0;
            boolean any = false;
            for (long[] c : candles.get(Bar.M1)) {
                if (c[0] + 60_000L <= from || c[0] > now) {
                    continue;
                }
                if (!any) {
                    open = c[1];
                    any = true;
                }
                high = Math.max(high, c[2]);
                low = Math.min(low, c[3]);
                vol += c[5];
                volCcy += c[6];
            }
            Map.Entry<Long, long[]> bid = ready ? bids.firstEntry() : null;
            Map.Entry<Long, long[]> ask = ready ? asks.firstEntry() : null;
            return new Ticker(instId, last, traded ? sz(lastSz) : "0",
                    ask == null ? "" : px(ask.getKey()), ask == null ? "" : sz(ask.getValue()[0]),
                    bid == null ? "" : px(bid.getKey()), bid == null ? "" : sz(bid.getValue()[0]),
                    any ? px(open) : last, any ? px(high) : last, any ? px(low) : last,
                    Decimals.format(volCcy, qs), sz(vol), startOfDay(Bar.D1_UTC, now, last), startOfDay(Bar.D1, now, last),
                    now);
        }

        /** Open of today's daily bar, or the last price when nothing traded today. */
        String startOfDay(Bar day, long now, String last) {
            long[] c = candles.get(day).peekLast();
            return c != null && c[0] == day.start(now) ? px(c[1]) : last;
        }

        /** Pushes the ticker now, or once the throttle interval since the previous push has passed. */
        void tickerChanged(long receivedNanos) {
            long now = System.nanoTime();
            if (tickerScheduled) {
                return;
            }
            long wait = tickerPushedNanos + tickerIntervalNanos - now;
            if (wait <= 0) {
                pushTicker(receivedNanos);
                return;
            }
            tickerScheduled = true;
            tickerDirtySince = receivedNanos;
            timer.schedule(() -> {
                synchronized (this) {
                    tickerScheduled = false;
                    pushTicker(tickerDirtySince);
                }
            }, wait, TimeUnit.NANOSECONDS);
        }

        void pushTicker(long receivedNanos) {
            tickerPushedNanos = System.nanoTime();
            if (listeners.isEmpty()) {
                return;
            }
            Ticker t = ticker(clock.getAsLong());
            dispatch(l -> l.onTicker(t, receivedNanos));
        }
    }
}
