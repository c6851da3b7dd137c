package dev.bourse.server.shard;

import dev.bourse.book.DepthSnapshot;
import dev.bourse.matching.Command;
import dev.bourse.matching.MatchingEngine;
import dev.bourse.matching.OrderBook;
import dev.bourse.matching.RejectReason;
import dev.bourse.order.Side;
import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;
import dev.bourse.order.CancelReason;
import dev.bourse.server.control.Refusal;
import dev.bourse.server.control.SwitchMode;
import dev.bourse.server.control.TradingPolicy;
import dev.bourse.server.events.BatchEvents;
import dev.bourse.server.events.EngineEvent;
import dev.bourse.server.events.EventBus;
import dev.bourse.server.ledger.BalanceDeltas;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.store.Database;
import dev.bourse.server.store.Dialect;
import dev.bourse.server.store.SqlStates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One shard: a bounded queue in front of a single sequencer thread that owns the matching engine.
 * The thread takes a batch of queued commands, executes them in memory and writes everything they did
 * in ONE database transaction (group commit), fenced by the shard's lease epoch. Callers are answered
 * and events published only after that commit. A batch that cannot commit as computed (funds spent by
 * another shard, a clOrdId taken concurrently, a deadlock) is rolled back; the shard then rebuilds its
 * memory from the database and computes the batch again.
 */
public final class Shard implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Shard.class.getName());
    /** OKX V5 codes the shard answers with when it cannot take or finish a command. */
    public static final String CODE_BUSY = "50013";
    public static final String CODE_UNAVAILABLE = "50001";
    /** OKX's texts for those codes. */
    public static final String MSG_BUSY = "Systems are busy. Please try again later.";
    public static final String MSG_UNAVAILABLE = "Service temporarily unavailable. Please try again later.";
    private static final int MAX_ATTEMPTS = 5;
    /**
     * Start of the message (code {@value #CODE_UNAVAILABLE}) for a command on a listed instrument this shard
     * does not hold: it moved to another shard, or is moving here. Whoever routed the command reads the
     * owner again and retries once ({@link #notHere}).
     */
    public static final String MSG_NOT_HERE = "Instrument is not on this shard (moved or moving): ";

    private final Database db;
    private final EventBus bus;
    private final int shardId;
    private final ShardLease lease;
    private final int maxBatch;
    private final ArrayBlockingQueue<Pending> queue;
    private final ConcurrentLinkedQueue<Runnable> controlTasks = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService leaseRenewer;
    private final long leaseTtlMillis;
    private final Thread sequencer;

    private volatile boolean accepting;
    private volatile boolean running = true;
    private volatile boolean ready;
    private volatile boolean fenced;
    private volatile boolean inFlight;
    private volatile long lastCommittedSeq;
    /** The switches as last handed over; the sequencer adopts them at the next batch boundary. */
    private volatile TradingPolicy pendingPolicy = TradingPolicy.OPEN;
    private TradingPolicy activePolicy = TradingPolicy.OPEN; // sequencer thread only
    private volatile PolicyApplied policyApplied = new PolicyApplied(0, 0);
    private final MeterRegistry meters;
    private final Map<String, SymbolMeters> symbolMeters = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Set<String> symbols = Set.of();
    private SymbolMeters[] metersBySymbolId = new SymbolMeters[0]; // sequencer thread only
    private ShardState state; // sequencer thread only (and start-up before the thread runs)
    private final Command command = new Command();
    /** Whether an instrument this shard does not hold is listed (on another shard, or moving here). */
    private volatile Predicate<String> listed = instId -> false;

    private final Counter commandsOk;
    private final Counter commandsRejected;
    private final Counter queueFullRejects;
    private final Counter dedupClOrdId;
    private final Counter dedupBatch;
    private final Counter conflicts;
    private final Counter batchFailures;
    private final Counter ledgerWriteFailures;
    private final DistributionSummary batchSize;
    private final Timer commitTimer;
    private final Timer queueToAck;

    record Pending(ShardCommand request, CompletableFuture<CommandOutcome> result, long enqueuedNanos) {
    }

    /** The switch-board version the sequencer enforces and the last sequence before it took effect. */
    public record PolicyApplied(long version, long seq) {
    }

    /**
     * What this shard holds of a symbol when the control plane changes it, seen between two batches:
     * whether it is loaded, its state, its resting orders, commands queued for it, and why the core would
     * refuse the new rules (null when it would take them, or the symbol is not loaded).
     */
    public record SymbolView(boolean loaded, SymbolState state, int restingOrders, int queued, String replaceRefusal) {
    }

    /** A listing or rule change as the sequencer applied it, and the last sequence before it took effect. */
    public record Applied(boolean applied, long afterSeq, SymbolState state, int restingOrders) {
    }

    /**
     * The database side of a symbol change, run in the shard's fenced transaction between two batches.
     * Throws {@link SymbolChangeRefused} to refuse (nothing is written); returns whether the shard must
     * apply the change in memory (false: the stored definition already says so).
     */
    @FunctionalInterface
    public interface SymbolWrite {
        boolean write(Connection c, SymbolView here) throws SQLException;
    }

    public Shard(Database db, EventBus bus, MeterRegistry meters, int shardId, String owner, long leaseTtlMillis,
                 int queueCapacity, int maxBatch) {
        this.db = db;
        this.bus = bus;
        this.meters = meters;
        this.shardId = shardId;
        this.lease = new ShardLease(db, shardId, owner, leaseTtlMillis);
        this.leaseTtlMillis = leaseTtlMillis;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.sequencer = new Thread(this::runLoop, "shard-" + shardId + "-sequencer");
        this.leaseRenewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shard-" + shardId + "-lease");
            t.setDaemon(true);
            return t;
        });
        String shard = Integer.toString(shardId);
        Gauge.builder("bourse_shard_queue_length", queue, ArrayBlockingQueue::size).tag("shard", shard)
                .description("commands waiting for the sequencer").register(meters);
        Gauge.builder("bourse_shard_ready", this, s -> s.ready ? 1 : 0).tag("shard", shard).register(meters);
        Gauge.builder("bourse_shard_lease_epoch", lease, ShardLease::epoch).tag("shard", shard).register(meters);
        commandsOk = Counter.builder("bourse_commands_total").tag("shard", shard).tag("result", "accepted").register(meters);
        commandsRejected = Counter.builder("bourse_commands_total").tag("shard", shard).tag("result", "rejected").register(meters);
        queueFullRejects = Counter.builder("bourse_commands_total").tag("shard", shard).tag("result", "queue_full").register(meters);
        dedupClOrdId = Counter.builder("bourse_dedup_hits_total").tag("shard", shard).tag("kind", "clOrdId")
                .description("retries answered with the original result instead of being applied again").register(meters);
        dedupBatch = Counter.builder("bourse_dedup_hits_total").tag("shard", shard).tag("kind", "batch").register(meters);
        conflicts = Counter.builder("bourse_batch_conflicts_total").tag("shard", shard)
                .description("batches rolled back and recomputed because another writer changed shared rows").register(meters);
        batchFailures = Counter.builder("bourse_batch_failures_total").tag("shard", shard).register(meters);
        ledgerWriteFailures = Counter.builder("bourse_ledger_write_failures_total").tag("shard", shard)
                .description("Batch transactions (orders, fills, ledger entries) the database refused for other reasons "
                        + "than a retryable conflict").register(meters);
        batchSize = DistributionSummary.builder("bourse_batch_commands").tag("shard", shard).register(meters);
        commitTimer = Timer.builder("bourse_batch_commit_seconds").tag("shard", shard).publishPercentiles(0.5, 0.99, 0.999)
                .register(meters);
        queueToAck = Timer.builder("bourse_command_latency_seconds").tag("shard", shard)
                .description("from enqueue to acknowledgement (after commit)").publishPercentiles(0.5, 0.99, 0.999)
                .register(meters);
    }

    public int shardId() {
        return shardId;
    }

    /**
     * Takes the lease (waiting while another live owner holds it), rebuilds the books from the database
     * and starts the sequencer. Returns when the shard is ready.
     */
    public void start() throws SQLException, InterruptedException {
        new Ledger(db).ensureFeeAccount(shardId);
        while (!lease.tryAcquire()) {
            if (!running) {
                throw new InterruptedException("shard " + shardId + " closed while waiting for its lease");
            }
            LOG.info(() -> "shard " + shardId + " lease is held by another live owner; waiting");
            Thread.sleep(Math.max(200, leaseTtlMillis / 4));
        }
        long t0 = System.nanoTime();
        state = ShardState.load(db, shardId);
        adoptEngine();
        lastCommittedSeq = state.engine.lastSequence();
        LOG.info(String.format("shard %d recovered at epoch %d: %d symbols, %d live orders, last seq %d in %d ms", shardId,
                lease.epoch(), state.engine.symbolCount(), state.liveOrders, state.engine.lastSequence(),
                (System.nanoTime() - t0) / 1_000_000));
        long period = Math.max(100, leaseTtlMillis / 3);
        leaseRenewer.scheduleWithFixedDelay(this::renewLease, period, period, TimeUnit.MILLISECONDS);
        accepting = true;
        ready = true;
        sequencer.start();
    }

    /** Ready: recovered, lease held, accepting commands. */
    public boolean ready() {
        return ready && !fenced;
    }

    public boolean fenced() {
        return fenced;
    }

    public int queueLength() {
        return queue.size();
    }

    /** True when nothing is queued and no batch is being written: nothing uncommitted. */
    public boolean idle() {
        return queue.isEmpty() && !inFlight;
    }

    /**
     * Drained, as the control plane waits for before a rollout or a symbol move: the sequencer enforces
     * the latest switches, they stop new orders on every symbol of the shard (paused, cancel-only or
     * read-only), and nothing is queued or uncommitted.
     */
    public boolean drained() {
        TradingPolicy p = pendingPolicy;
        if (policyApplied.version() != p.version() || !idle() || !ready()) {
            return false;
        }
        for (String instId : symbols) {
            if (p.symbolMode(instId) == SwitchMode.NORMAL) {
                return false;
            }
        }
        return !symbols.isEmpty() || p.globalMode() != SwitchMode.NORMAL;
    }

    /** Hands the switches to the sequencer; they take effect at the next batch boundary. */
    public void applyPolicy(TradingPolicy policy) {
        pendingPolicy = policy;
    }

    public PolicyApplied policyApplied() {
        return policyApplied;
    }

    /**
     * Tells the shard how to recognise an instrument that is listed but not held here, so a command for it
     * is answered "not on this shard, try again" ({@value #CODE_UNAVAILABLE}) rather than "does not exist".
     */
    public void knowListings(Predicate<String> listedAnywhere) {
        this.listed = listedAnywhere;
    }

    /** True when {@code sCode}/{@code sMsg} is a shard's answer that it does not hold the instrument. */
    public static boolean notHere(String sCode, String sMsg) {
        return CODE_UNAVAILABLE.equals(sCode) && sMsg != null && sMsg.startsWith(MSG_NOT_HERE);
    }

    /** The trading state of every symbol this shard holds, by instId. */
    public Map<String, SymbolState> symbolStates() {
        Map<String, SymbolState> out = new TreeMap<>();
        for (String instId : symbols) {
            SymbolMeters sm = symbolMeters.get(instId);
            if (sm != null) {
                out.put(instId, sm.state);
            }
        }
        return out;
    }

    /** Sequence of the last committed command. */
    public long lastCommittedSeq() {
        return lastCommittedSeq;
    }

    /** 1 while a batch is being executed or written, else 0. */
    public int batchesInFlight() {
        return inFlight ? 1 : 0;
    }

    /** Symbols this shard's engine holds. */
    public Set<String> symbols() {
        return symbols;
    }

    public long epoch() {
        return lease.epoch();
    }

    /**
     * Queues a command. The future completes after the command's batch committed (or was refused).
     * A full queue answers at once with "system busy" and keeps nothing.
     */
    public CompletableFuture<CommandOutcome> submit(ShardCommand request) {
        CompletableFuture<CommandOutcome> f = new CompletableFuture<>();
        if (!accepting || fenced) {
            f.complete(CommandOutcome.rejected(0, CODE_UNAVAILABLE, MSG_UNAVAILABLE,
                    request.ordId(), request.clOrdId()));
            return f;
        }
        SymbolMeters sm = request.instId() == null ? null : symbolMeters.get(request.instId());
        if (sm != null) {
            sm.queued.incrementAndGet();
        }
        if (!queue.offer(new Pending(request, f, System.nanoTime()))) {
            if (sm != null) {
                sm.queued.decrementAndGet();
            }
            queueFullRejects.increment();
            f.complete(CommandOutcome.rejected(0, CODE_BUSY, MSG_BUSY, request.ordId(),
                    request.clOrdId()));
        }
        return f;
    }

    /** Runs {@code task} on the sequencer thread between batches, with the engine in a committed state. */
    public <T> CompletableFuture<T> onSequencer(java.util.function.Function<MatchingEngine, T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        controlTasks.add(() -> {
            try {
                f.complete(task.apply(state.engine));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    // ------------------------------------------------------------------ symbols listed, changed, moved

    /**
     * Lists {@code ins} on this shard or gives it new rules, between two batches: {@code write} stores it
     * in a transaction fenced by this shard's lease, then the engine takes it (a new market, or the new
     * rules on the kept book). A symbol the database already gives this shard (it moved here) is loaded
     * first. Every command sequenced after {@link Applied#afterSeq()} sees the change.
     */
    public CompletableFuture<Applied> putInstrument(Instrument ins, SymbolWrite write) {
        return control(() -> {
            String instId = ins.instId();
            ensureLoaded(instId);
            MatchingEngine engine = state.engine;
            int sid = engine.symbolId(instId);
            SymbolView view = sid < 0 ? new SymbolView(false, null, 0, queued(instId), null)
                    : new SymbolView(true, engine.symbolState(sid), engine.book(sid).orderCount(), queued(instId),
                    engine.replaceRefusal(ins));
            boolean apply = fencedWrite(write, view);
            if (apply) {
                try {
                    if (sid < 0) {
                        engine.addInstrument(ins);
                    } else {
                        engine.replaceInstrument(ins);
                    }
                } catch (RuntimeException e) { // stored but not applied: memory follows the database
                    LOG.log(Level.SEVERE, "shard " + shardId + " stored " + instId + " but could not apply it; rebuilding", e);
                    rebuildQuietly();
                    throw e;
                }
                adoptEngine();
            }
            engine = state.engine;
            sid = engine.symbolId(instId);
            if (sid < 0) { // the stored definition is not this shard's to hold (cannot happen after a clean write)
                throw new SymbolChangeRefused(CODE_UNAVAILABLE, instId + " is not loaded on shard " + shardId + "; try again");
            }
            long after = engine.lastSequence();
            if (apply) {
                LOG.info(() -> "shard " + shardId + " applies " + ins + " after sequence " + after);
            }
            return new Applied(apply, after, engine.symbolState(sid), engine.book(sid).orderCount());
        });
    }

    /**
     * Hands a symbol over to another shard, between two batches: only while it is halted and nothing for
     * it is queued here. {@code write} reassigns it (instrument and live orders) in a transaction fenced by
     * this shard's lease, so no batch of a former owner can commit for it afterwards; then the engine
     * drops it, and commands for it are answered "not on this shard". Returns its resting orders.
     */
    public CompletableFuture<Integer> releaseSymbol(String instId, SymbolWrite write) {
        return control(() -> {
            MatchingEngine engine = state.engine;
            int sid = engine.symbolId(instId);
            if (sid < 0) {
                throw new SymbolChangeRefused(CODE_UNAVAILABLE, instId + " is not loaded on shard " + shardId + "; try again");
            }
            SymbolState st = engine.symbolState(sid);
            if (st != SymbolState.HALTED) {
                throw new SymbolChangeRefused("51000", "a move needs " + instId + " halted (suspend) on its owner first; "
                        + "it is " + st.okxState() + " on shard " + shardId);
            }
            int queued = queued(instId);
            if (queued > 0) {
                throw new SymbolChangeRefused(CODE_UNAVAILABLE, queued + " commands for " + instId + " are queued on shard "
                        + shardId + "; try again when they are done");
            }
            int resting = engine.book(sid).orderCount();
            fencedWrite(write, new SymbolView(true, st, resting, 0, null));
            unload(sid);
            LOG.warning(() -> "shard " + shardId + " handed " + instId + " over with " + resting + " resting orders");
            return resting;
        });
    }

    /**
     * Loads a symbol the database gives this shard but the engine does not hold yet (it moved here): its
     * market and live orders in their queue order, as at start-up. Idempotent; returns its resting orders.
     */
    public CompletableFuture<Integer> loadSymbol(String instId) {
        return control(() -> {
            int n = ensureLoaded(instId);
            if (n < 0) {
                throw new SymbolChangeRefused("51000", instId + " is not listed on shard " + shardId);
            }
            return n;
        });
    }

    @FunctionalInterface
    private interface ControlTask<T> {
        T run() throws Exception;
    }

    /** Runs a control-plane change on the sequencer between batches; refused while the shard cannot commit. */
    private <T> CompletableFuture<T> control(ControlTask<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        controlTasks.add(() -> {
            try {
                if (fenced || !ready) {
                    throw new SymbolChangeRefused(CODE_UNAVAILABLE, "shard " + shardId + " is not ready; try again");
                }
                f.complete(task.run());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private int queued(String instId) {
        SymbolMeters sm = symbolMeters.get(instId);
        return sm == null ? 0 : sm.queued.get();
    }

    /** Runs {@code write} in a transaction fenced like a batch (same epoch, same last sequence) and commits it. */
    private boolean fencedWrite(SymbolWrite write, SymbolView view) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            boolean apply;
            try {
                try (PreparedStatement ps = c.prepareStatement("UPDATE shard_leases SET updated_at = CURRENT_TIMESTAMP "
                        + "WHERE shard_id = ? AND epoch = ? AND last_seq = ?")) {
                    ps.setInt(1, shardId);
                    ps.setLong(2, lease.epoch());
                    ps.setLong(3, state.engine.lastSequence());
                    if (ps.executeUpdate() != 1) {
                        LOG.severe("shard " + shardId + " fenced: its lease moved on; shard stops taking commands");
                        fenced = true;
                        ready = false;
                        accepting = false;
                        throw new SymbolChangeRefused(CODE_UNAVAILABLE, "shard " + shardId + " lost its lease");
                    }
                }
                apply = write.write(c, view);
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw e;
            }
            try {
                c.commit();
            } catch (SQLException e) {
                rebuildQuietly(); // committed or not, memory follows what the database holds
                throw e;
            }
            return apply;
        }
    }

    /** Loads {@code instId} if the database gives it to this shard and the engine lacks it; -1 if it is not ours. */
    private int ensureLoaded(String instId) throws SQLException {
        int sid = state.engine.symbolId(instId);
        if (sid >= 0) {
            return state.engine.book(sid).orderCount();
        }
        try {
            int n = state.loadSymbol(db, shardId, instId);
            if (n >= 0) {
                adoptEngine();
                LOG.info(() -> "shard " + shardId + " loaded " + instId + " with " + n + " resting orders");
            }
            return n;
        } catch (SQLException | RuntimeException e) {
            int partial = state.engine.symbolId(instId);
            if (partial >= 0) {
                unload(partial);
            }
            throw e;
        }
    }

    /** Drops a symbol and its resting orders from memory, giving back their holds and queue positions. */
    private void unload(int symbolId) {
        MatchingEngine engine = state.engine;
        Instrument ins = engine.instrument(symbolId);
        engine.removeInstrument(symbolId, o -> {
            state.balances.addHeld(o.userId(), o.side() == Side.BUY ? ins.quote().id() : ins.base().id(), -o.held());
            state.queueSeq.remove(o.orderId());
        });
        SymbolMeters sm = symbolMeters.remove(ins.instId());
        if (sm != null) {
            sm.remove();
        }
        adoptEngine();
    }

    /**
     * A canonical text dump of every book of the shard: each level with its orders in queue order. Two
     * shards with the same committed state produce the same text (used to check recovery).
     */
    public CompletableFuture<String> canonicalBooks() {
        return onSequencer(Shard::dump);
    }

    static String dump(MatchingEngine engine) {
        StringBuilder sb = new StringBuilder();
        TreeMap<String, Integer> byInstId = new TreeMap<>(); // symbol ids depend on listing and move history
        for (int s = 0; s < engine.symbolCount(); s++) {
            byInstId.put(engine.instrument(s).instId(), s);
        }
        for (int s : byInstId.values()) {
            OrderBook book = engine.book(s);
            sb.append(engine.instrument(s).instId()).append(" state=").append(engine.symbolState(s))
                    .append(" last=").append(engine.lastTradePrice(s)).append(" seqId=").append(book.seqId()).append('\n');
            for (Side side : Side.values()) {
                int n = book.levelCount(side);
                long[] px = new long[n];
                long[] sz = new long[n];
                int[] cnt = new int[n];
                book.depth(side, n, px, sz, cnt);
                for (int i = 0; i < n; i++) {
                    sb.append("  ").append(side).append(' ').append(px[i]).append(' ').append(sz[i]).append(' ')
                            .append(cnt[i]).append(' ').append(java.util.Arrays.toString(book.queueAt(side, px[i])))
                            .append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** OKX checksum of one symbol's top 25 levels, as the market data will send it. */
    public CompletableFuture<Integer> checksum(String instId) {
        return onSequencer(engine -> {
            int s = engine.symbolId(instId);
            var ins = engine.instrument(s);
            return new DepthSnapshot(25).capture(engine.book(s)).checksum(ins.priceScale(), ins.base().scale());
        });
    }

    // ------------------------------------------------------------------ sequencer

    private void runLoop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            runControlTasks();
            adoptPolicy();
            Pending first;
            try {
                first = queue.poll(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // close() interrupts to wake us; the loop condition decides
            }
            if (first == null) {
                continue;
            }
            inFlight = true;
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            for (Pending p : batch) {
                SymbolMeters sm = p.request().instId() == null ? null : symbolMeters.get(p.request().instId());
                if (sm != null) {
                    sm.queued.decrementAndGet();
                }
            }
            adoptPolicy(); // a batch boundary: switches changed while we waited apply to this batch
            try {
                if (fenced) {
                    failAll(batch, CODE_UNAVAILABLE, MSG_UNAVAILABLE);
                } else {
                    process(batch);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "shard " + shardId + " batch failed unexpectedly", e);
                batchFailures.increment();
                failAll(batch, CODE_UNAVAILABLE, MSG_UNAVAILABLE);
                rebuildQuietly();
            } finally {
                batch.clear();
                inFlight = false;
            }
        }
        runControlTasks();
    }

    /** Adopts switches handed over since the last batch; records the sequence they take effect after. */
    private void adoptPolicy() {
        TradingPolicy p = pendingPolicy;
        if (p == activePolicy) {
            return;
        }
        activePolicy = p;
        applyBandOverrides();
        long seq = state.engine.lastSequence();
        policyApplied = new PolicyApplied(p.version(), seq);
        LOG.info(() -> "shard " + shardId + " enforces switch board version " + p.version() + " after sequence " + seq);
    }

    private void applyBandOverrides() {
        MatchingEngine engine = state.engine;
        for (int s = 0; s < engine.symbolCount(); s++) {
            engine.setPriceBandOverride(s, activePolicy.priceBandBps(engine.instrument(s).instId()));
        }
    }

    /** After a (re)load: per-symbol meters for the engine's symbols, and the switches' settings on it. */
    private void adoptEngine() {
        MatchingEngine engine = state.engine;
        SymbolMeters[] bySymbol = new SymbolMeters[engine.symbolCount()];
        Set<String> ids = new HashSet<>();
        for (int s = 0; s < engine.symbolCount(); s++) {
            String instId = engine.instrument(s).instId();
            bySymbol[s] = symbolMeters.computeIfAbsent(instId, id -> new SymbolMeters(meters, shardId, id));
            bySymbol[s].state = engine.symbolState(s);
            ids.add(instId);
        }
        metersBySymbolId = bySymbol;
        symbols = Set.copyOf(ids);
        applyBandOverrides();
    }

    private void runControlTasks() {
        Runnable t;
        while ((t = controlTasks.poll()) != null) {
            t.run();
        }
    }

    private void process(List<Pending> batch) {
        for (int attempt = 1; ; attempt++) {
            long prevSeq = state.engine.lastSequence();
            CommandOutcome[] outcomes = new CommandOutcome[batch.size()];
            long t0 = System.nanoTime();
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                try {
                    execute(c, batch, outcomes);
                    if (state.engine.lastSequence() != prevSeq) { // else every command was answered from the database
                        BatchWriter.write(c, db.dialect(), shardId, lease.epoch(), prevSeq, state.engine, state.recorder, batch.size());
                    }
                } catch (SQLException | BatchConflictException | ShardFencedException | RuntimeException e) {
                    rollback(c);
                    throw e;
                }
                try {
                    c.commit();
                } catch (SQLException e) {
                    // the commit may or may not have happened: the database knows
                    if (committedDespiteError(prevSeq)) {
                        dedupBatch.increment();
                        finish(batch, outcomes, prevSeq, t0);
                        return;
                    }
                    throw e;
                }
                finish(batch, outcomes, prevSeq, t0);
                return;
            } catch (ShardFencedException e) {
                LOG.severe(e.getMessage() + "; shard " + shardId + " stops taking commands");
                fenced = true;
                ready = false;
                accepting = false;
                failAll(batch, CODE_UNAVAILABLE, MSG_UNAVAILABLE);
                return;
            } catch (BatchConflictException | SQLException e) {
                boolean retryable = e instanceof BatchConflictException || SqlStates.any(e, SqlStates.RETRYABLE);
                if (retryable) {
                    conflicts.increment();
                } else {
                    batchFailures.increment();
                    ledgerWriteFailures.increment();
                }
                LOG.log(retryable ? Level.INFO : Level.WARNING, "shard " + shardId + " batch of " + batch.size()
                        + " rolled back (attempt " + attempt + "): " + e.getMessage());
                if (!rebuildQuietly() || attempt >= MAX_ATTEMPTS) {
                    failAll(batch, CODE_BUSY, MSG_BUSY);
                    return;
                }
                if (!retryable) {
                    sleepQuietly(Math.min(1000, 50L * attempt)); // e.g. database restarting
                }
            }
        }
    }

    /** Executes the batch in memory, answering duplicates of committed clOrdIds without the engine. */
    private void execute(Connection c, List<Pending> batch, CommandOutcome[] outcomes) throws SQLException {
        MatchingEngine engine = state.engine;
        BatchRecorder recorder = state.recorder;
        recorder.reset();
        refreshAvailable(c, batch);
        Map<String, OrderRecord> committed = committedClOrdIds(c, batch);
        Map<String, Integer> placedHere = new HashMap<>(); // user:clOrdId -> index of the place in this batch
        long now = System.currentTimeMillis();
        for (int i = 0; i < batch.size(); i++) {
            ShardCommand r = batch.get(i).request();
            if (r.kind() == ShardCommand.Kind.PLACE && r.clOrdId() != null) {
                String key = r.userId() + ":" + r.clOrdId();
                OrderRecord existing = committed.get(key);
                Integer earlier = placedHere.get(key);
                if (existing != null || earlier != null) {
                    outcomes[i] = duplicate(r, existing, earlier == null ? null : batch.get(earlier).request(),
                            earlier == null ? null : outcomes[earlier]);
                    continue;
                }
            }
            int symbolId = r.instId() == null ? -1 : engine.symbolId(r.instId());
            if (symbolId < 0 && (r.instId() != null || r.kind() != ShardCommand.Kind.MASS_CANCEL)) {
                outcomes[i] = r.instId() != null && listed.test(r.instId())
                        ? CommandOutcome.rejected(0, CODE_UNAVAILABLE, MSG_NOT_HERE + r.instId() + "; try again.", r.ordId(),
                        r.clOrdId())
                        : CommandOutcome.rejected(0, "51001", "Instrument ID, Instrument ID code or Spread ID doesn't exist.",
                        r.ordId(), r.clOrdId());
                continue;
            }
            SymbolMeters sm = symbolId < 0 ? null : metersBySymbolId[symbolId];
            Refusal refusal = refusal(r, symbolId < 0 ? null : engine.instrument(symbolId));
            if (refusal != null) {
                outcomes[i] = CommandOutcome.rejected(0, refusal.code(), refusal.msg(), r.ordId(), r.clOrdId());
                if (sm != null) {
                    sm.command(SymbolMeters.kind(r.kind()), false).increment();
                    sm.reject(refusal.reason()).increment();
                }
                continue;
            }
            Command cmd = r.toCommand(command, symbolId, now);
            recorder.placing(r.tag());
            long m0 = System.nanoTime();
            RejectReason reason = engine.execute(cmd);
            if (sm != null) {
                sm.matching.record(System.nanoTime() - m0, TimeUnit.NANOSECONDS);
                sm.command(SymbolMeters.kind(r.kind()), reason == null).increment();
                if (reason != null) {
                    sm.reject(reason.name().toLowerCase(java.util.Locale.ROOT)).increment();
                    if (reason == RejectReason.PRICE_OUT_OF_BAND) {
                        sm.priceProtection.increment();
                    }
                }
            }
            if (reason != null) {
                outcomes[i] = CommandOutcome.rejected(cmd.sequence(), reason.okxCode(), reason.message(), r.ordId(),
                        r.clOrdId());
            } else {
                long ordId = cmd.resultOrderId();
                outcomes[i] = new CommandOutcome(cmd.sequence(), "0", "", ordId, r.clOrdId(), null, cmd.resultCount(), false);
                if (r.kind() == ShardCommand.Kind.PLACE && r.clOrdId() != null) {
                    placedHere.put(r.userId() + ":" + r.clOrdId(), i); // a rejected place leaves the clOrdId free
                }
            }
        }
        // orders as they stand at the end of the batch
        for (int i = 0; i < outcomes.length; i++) {
            CommandOutcome o = outcomes[i];
            if (o.ok() && !o.duplicate() && o.ordId() != 0) {
                OrderRecord rec = recorder.orders.get(o.ordId());
                outcomes[i] = new CommandOutcome(o.seq(), o.sCode(), o.sMsg(), o.ordId(),
                        rec == null ? o.clOrdId() : rec.clOrdId(), rec, o.count(), false);
            }
        }
    }

    /** What the switches in force say about {@code r} (control commands are never refused by them). */
    private Refusal refusal(ShardCommand r, Instrument ins) {
        TradingPolicy.Action action = switch (r.kind()) {
            case PLACE -> TradingPolicy.Action.PLACE;
            case AMEND -> TradingPolicy.Action.AMEND;
            case CANCEL, MASS_CANCEL -> TradingPolicy.Action.CANCEL;
            case SET_SYMBOL_STATE -> null;
        };
        if (action == null) {
            return null;
        }
        return activePolicy.check(action, r.userId(), r.instId(), ins == null ? null : ins.base().code(),
                ins == null ? null : ins.quote().code(), r.ordType());
    }

    private CommandOutcome duplicate(ShardCommand r, OrderRecord existing, ShardCommand earlier, CommandOutcome earlierOutcome) {
        boolean same;
        if (existing != null) {
            same = existing.instId().equals(r.instId()) && existing.side() == r.side() && existing.type() == r.ordType()
                    && existing.px() == (r.ordType().priced() ? r.px() : 0) && existing.sz() == r.sz();
            if (same) {
                dedupClOrdId.increment();
                return new CommandOutcome(existing.createdSeq(), "0", "", existing.ordId(), existing.clOrdId(), existing, 0, true);
            }
        } else {
            same = earlier.equals(r);
            if (same) {
                dedupClOrdId.increment();
                // completed once the earlier one's final state is known: see finish()
                return new CommandOutcome(earlierOutcome.seq(), earlierOutcome.sCode(), earlierOutcome.sMsg(),
                        earlierOutcome.ordId(), r.clOrdId(), null, 0, true);
            }
        }
        return CommandOutcome.rejected(0, RejectReason.DUPLICATE_CL_ORD_ID.okxCode(), RejectReason.DUPLICATE_CL_ORD_ID.message(),
                0, r.clOrdId());
    }

    /** Reads the shared available balances of the accounts this batch acts for (and the shard's fee account). */
    private void refreshAvailable(Connection c, List<Pending> batch) throws SQLException {
        Set<Long> accounts = new HashSet<>();
        accounts.add(state.engine.feeAccount());
        for (Pending p : batch) {
            if (p.request().userId() > 0) {
                accounts.add(p.request().userId());
            }
        }
        List<Long> ids = new ArrayList<>(accounts);
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            String sql = "SELECT account_id, asset_id, available FROM balances WHERE account_id IN ("
                    + "?,".repeat(chunk.size() - 1) + "?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setLong(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        state.balances.setAvailable(rs.getLong(1), rs.getInt(2), rs.getLong(3));
                    }
                }
            }
        }
    }

    /** LATERAL ... LIMIT 1 cannot be flattened into a hash join with a scan of orders. */
    private static final String COMMITTED_BY_CL_ORD_ID_PG = OrderQueries.SELECT.replace(" FROM orders",
            " FROM unnest(?::bigint[], ?::varchar[]) AS k(key_user, key_cl_ord_id) CROSS JOIN LATERAL "
                    + "(SELECT * FROM orders x WHERE x.user_id = k.key_user AND x.cl_ord_id = k.key_cl_ord_id LIMIT 1) o");

    /** Committed orders whose (user, clOrdId) a place in this batch reuses, keyed "user:clOrdId". */
    private Map<String, OrderRecord> committedClOrdIds(Connection c, List<Pending> batch) throws SQLException {
        Map<String, OrderRecord> out = new HashMap<>();
        List<ShardCommand> places = new ArrayList<>();
        for (Pending p : batch) {
            if (p.request().kind() == ShardCommand.Kind.PLACE && p.request().clOrdId() != null) {
                places.add(p.request());
            }
        }
        if (!places.isEmpty() && db.dialect() == Dialect.POSTGRESQL) {
            // One statement per batch, one probe of orders_cl_ord_id_unique per key whatever plan is cached.
            // The row-value IN list below gets a generic plan when the statement is first server-prepared;
            // planned on a small orders table that plan is a sequential scan, and it stays cached until the
            // next ANALYZE of orders: every batch then scans the whole table (measured: 165 ms per 200 keys
            // at 63,000 orders, 2,154 durable commands/s instead of ~7,000 with clOrdIds on every place).
            try (PreparedStatement ps = c.prepareStatement(COMMITTED_BY_CL_ORD_ID_PG)) {
                Long[] users = new Long[places.size()];
                String[] ids = new String[places.size()];
                for (int i = 0; i < places.size(); i++) {
                    users[i] = places.get(i).userId();
                    ids[i] = places.get(i).clOrdId();
                }
                ps.setArray(1, c.createArrayOf("bigint", users));
                ps.setArray(2, c.createArrayOf("varchar", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        OrderRecord o = OrderQueries.read(rs);
                        out.put(o.userId() + ":" + o.clOrdId(), o);
                    }
                }
            }
            return out;
        }
        for (int from = 0; from < places.size(); from += 200) {
            List<ShardCommand> chunk = places.subList(from, Math.min(places.size(), from + 200));
            String sql = OrderQueries.SELECT + " WHERE (user_id, cl_ord_id) IN (" + "(?, ?),".repeat(chunk.size() - 1) + "(?, ?))";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (ShardCommand r : chunk) {
                    ps.setLong(i++, r.userId());
                    ps.setString(i++, r.clOrdId());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        OrderRecord o = OrderQueries.read(rs);
                        out.put(o.userId() + ":" + o.clOrdId(), o);
                    }
                }
            }
        }
        return out;
    }

    private void finish(List<Pending> batch, CommandOutcome[] outcomes, long prevSeq, long t0) {
        long committedAt = System.nanoTime();
        commitTimer.record(committedAt - t0, TimeUnit.NANOSECONDS);
        batchSize.record(batch.size());
        BatchRecorder recorder = state.recorder;
        // events first: whoever is answered can already have seen what its command did
        List<EngineEvent> events = new ArrayList<>(recorder.events);
        for (Map.Entry<BalanceDeltas.Key, long[]> e : recorder.deltas.inLockOrder()) {
            events.add(new EngineEvent.BalanceEvent(e.getKey().accountId(), e.getKey().assetId(), e.getValue()[0],
                    e.getValue()[1]));
        }
        long lastSeq = state.engine.lastSequence();
        lastCommittedSeq = lastSeq;
        countEvents(recorder.events);
        if (!events.isEmpty()) {
            bus.publish(new BatchEvents(shardId, prevSeq + 1, lastSeq, events));
        }
        for (int i = 0; i < batch.size(); i++) {
            CommandOutcome o = outcomes[i];
            if (o.duplicate() && o.order() == null && o.ordId() != 0) { // duplicate of a place earlier in this batch
                o = new CommandOutcome(o.seq(), o.sCode(), o.sMsg(), o.ordId(), o.clOrdId(), recorder.orders.get(o.ordId()),
                        0, true);
            }
            (o.ok() ? commandsOk : commandsRejected).increment();
            Pending p = batch.get(i);
            queueToAck.record(committedAt - p.enqueuedNanos(), TimeUnit.NANOSECONDS);
            SymbolMeters sm = p.request().instId() == null ? null : symbolMeters.get(p.request().instId());
            if (sm != null) {
                sm.latency.record(committedAt - p.enqueuedNanos(), TimeUnit.NANOSECONDS);
            }
            p.result().complete(o);
        }
    }

    private void countEvents(List<EngineEvent> events) {
        for (EngineEvent e : events) {
            if (e instanceof EngineEvent.TradeEvent t) {
                SymbolMeters sm = symbolMeters.get(t.fill().instId());
                if (sm != null) {
                    sm.trades.increment();
                }
            } else if (e instanceof EngineEvent.OrderEvent o && o.order().cancelReason() != null) {
                SymbolMeters sm = symbolMeters.get(o.order().instId());
                if (sm != null && o.order().cancelReason() == CancelReason.SELF_TRADE_PREVENTION) {
                    sm.stpHits.increment();
                } else if (sm != null && o.order().cancelReason() == CancelReason.PRICE_BAND) {
                    sm.priceProtection.increment();
                }
            } else if (e instanceof EngineEvent.SymbolStateEvent st) {
                SymbolMeters sm = symbolMeters.get(st.instId());
                if (sm != null) {
                    sm.state = st.to();
                    if ("CIRCUIT_BREAKER".equals(st.reason()) && st.to() != SymbolState.TRADING) {
                        sm.breakerTrips.increment();
                    }
                }
            }
        }
    }

    private boolean committedDespiteError(long prevSeq) {
        long expected = state.engine.lastSequence();
        if (expected == prevSeq) {
            return false;
        }
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM shard_leases WHERE shard_id = ? AND epoch = ?")) {
            ps.setInt(1, shardId);
            ps.setLong(2, lease.epoch());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) == expected;
            }
        } catch (SQLException e) {
            return false; // cannot tell: the retry path rebuilds from whatever the database holds
        }
    }

    /** Replaces the in-memory state with what the database holds; false if the database is unreachable. */
    private boolean rebuildQuietly() {
        try {
            state = ShardState.load(db, shardId);
            adoptEngine();
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.SEVERE, "shard " + shardId + " cannot rebuild from the database; not ready", e);
            ready = false;
            return false;
        }
    }

    private void failAll(List<Pending> batch, String code, String msg) {
        for (Pending p : batch) {
            if (!p.result().isDone()) {
                commandsRejected.increment();
                p.result().complete(CommandOutcome.rejected(0, code, msg, p.request().ordId(), p.request().clOrdId()));
            }
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the transaction is gone with it
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void renewLease() {
        if (fenced) {
            return;
        }
        try {
            lease.renew();
        } catch (ShardFencedException e) {
            LOG.severe(e.getMessage() + "; shard " + shardId + " stops taking commands");
            fenced = true;
            ready = false;
            accepting = false;
        } catch (SQLException e) {
            LOG.warning("shard " + shardId + " could not renew its lease: " + e.getMessage());
        }
    }

    /**
     * Graceful stop: refuse new commands, let the sequencer commit what is queued and in flight, then
     * release the lease so the next owner need not wait for it to expire.
     */
    @Override
    public void close() {
        accepting = false;
        running = false;
        ready = false;
        if (sequencer.isAlive()) {
            sequencer.interrupt();
            try {
                sequencer.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leaseRenewer.shutdownNow();
        try { // a renewal already sent must not re-extend the lease after we release it
            leaseRenewer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!fenced && lease.epoch() >= 0) {
            try {
                lease.release();
            } catch (SQLException e) {
                LOG.warning("shard " + shardId + " could not release its lease: " + e.getMessage());
            }
        }
    }
}
