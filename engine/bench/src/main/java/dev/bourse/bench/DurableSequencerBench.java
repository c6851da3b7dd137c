package dev.bourse.bench;

import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.server.events.InProcessEventBus;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.ledger.SystemAccounts;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.shard.CommandOutcome;
import dev.bourse.server.shard.Shard;
import dev.bourse.server.shard.ShardCommand;
import dev.bourse.server.store.Database;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Durable orders through the engine server's sequencer: a {@link Shard} on a fresh PostgreSQL database,
 * driven through {@link Shard#submit} by one generator thread, where a command counts as done when its
 * future completes, i.e. after the batch holding it committed.
 *
 * <p>Phases (each a warm-up that is not measured, then the measured window):
 * <ul>
 *   <li>open loop at fixed offered rates (default 5,000 and 20,000 commands/s): command k of a phase is
 *       planned at {@code start + k / rate} and its latency is taken from that planned time to the
 *       completion of its future, so a stall is charged to every command planned behind it (free of
 *       coordinated omission);</li>
 *   <li>saturation: closed loop with at most {@code --in-flight} futures outstanding; latency from the
 *       actual send.</li>
 * </ul>
 *
 * <pre>
 * engine/bench/durable.sh [options]      # see --help; docs/performance.md has the figures
 * </pre>
 */
public final class DurableSequencerBench {
    private static final Logger LOG = Logger.getLogger(DurableSequencerBench.class.getName());
    /** Deposits per user: 1,000 BTC and 100,000,000 USDT (never the limit for this flow). */
    static final String FUND_BTC = "1000";
    static final String FUND_USDT = "100000000";

    private DurableSequencerBench() {
    }

    static final class Options {
        String jdbc = "jdbc:postgresql://127.0.0.1:5432";
        String dbUser = "postgres";
        String dbPassword = "";
        int users = 1000;
        int queue = 65_536;
        int maxBatch = 2048;
        int pool = 4;
        List<String> phases = List.of("5000", "20000", "saturation");
        int inFlight = 20_000;
        double warmup = 5;
        double duration = 20;
        long seed = 1;
        int book = 2000;
        double clOrdId = 0;
        int satMaxRate = 150_000;
        boolean keepDb = false;
        int quietWait = 0;
        List<String> setupSql = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    usage();
                    System.exit(0);
                }
                if (a.equals("--keep-db")) {
                    o.keepDb = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--jdbc" -> o.jdbc = v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
                    case "--db-user" -> o.dbUser = v;
                    case "--db-password" -> o.dbPassword = v;
                    case "--users" -> o.users = Integer.parseInt(v);
                    case "--queue" -> o.queue = Integer.parseInt(v);
                    case "--max-batch" -> o.maxBatch = Integer.parseInt(v);
                    case "--pool" -> o.pool = Integer.parseInt(v);
                    case "--phases" -> o.phases = List.of(v.split(","));
                    case "--in-flight" -> o.inFlight = Integer.parseInt(v);
                    case "--warmup" -> o.warmup = Double.parseDouble(v);
                    case "--duration" -> o.duration = Double.parseDouble(v);
                    case "--seed" -> o.seed = Long.parseLong(v);
                    case "--book" -> o.book = Integer.parseInt(v);
                    case "--cl-ord-id" -> o.clOrdId = Double.parseDouble(v);
                    case "--sat-max-rate" -> o.satMaxRate = Integer.parseInt(v);
                    case "--quiet-wait" -> o.quietWait = Integer.parseInt(v);
                    case "--setup-sql" -> o.setupSql.add(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            for (String p : o.phases) {
                if (!p.equals("saturation") && Long.parseLong(p) <= 0) {
                    throw new IllegalArgumentException("--phases: rates > 0 or 'saturation': " + p);
                }
            }
            if (o.users < 2 || o.queue < 1 || o.maxBatch < 1 || o.inFlight < 1 || o.duration <= 0 || o.warmup < 0) {
                throw new IllegalArgumentException("bad option values");
            }
            return o;
        }

        static void usage() {
            System.out.println("""
                    DurableSequencerBench: durable orders through a Shard (group commit to PostgreSQL)
                      --jdbc URL           PostgreSQL server (a fresh database is created and dropped)
                                                                           [jdbc:postgresql://127.0.0.1:5432]
                      --db-user U / --db-password P                        [postgres / ""]
                      --users N            funded users                                      [1000]
                      --queue N            shard queue capacity                              [65536]
                      --max-batch N        shard maxBatch (commands per transaction)         [2048]
                      --pool N             connection pool size                              [4]
                      --phases LIST        offered rates (commands/s) and/or 'saturation'    [5000,20000,saturation]
                      --in-flight N        saturation: outstanding futures                   [20000]
                      --warmup S           unmeasured seconds at the start of each phase     [5]
                      --duration S         measured seconds of each phase                    [20]
                      --seed N             order-flow seed                                   [1]
                      --book N             resting orders the flow keeps in the book         [2000]
                      --cl-ord-id F        share of places that carry a clOrdId              [0]
                      --sat-max-rate N     saturation: commands pre-generated per second     [150000]
                      --quiet-wait S       before each phase wait up to S seconds for the machine to be
                                           idle (other processes < 5 %)                      [0]
                      --setup-sql SQL      run SQL after the migration (schema experiments, e.g. dropping
                                           a foreign key); repeatable
                      --keep-db            do not drop the database at the end""");
        }
    }

    /** What one phase measured. */
    record PhaseResult(String name, double offered, double achieved, long measured, Histogram latency, double meanBatch,
                       double meanBatchMs, double maxBatchMs, long batches, int maxQueue, Map<String, Long> rejects,
                       long mismatches, long notSent, ProcessCpu.Usage cpu, String mix, double drainMs, long busyRetries) {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Thread.currentThread().setName("bench-generator"); // sends every command
        Logger.getLogger("").setLevel(Level.WARNING);
        Logger.getLogger("com.zaxxer").setLevel(Level.WARNING);
        Logger.getLogger("org.flywaydb").setLevel(Level.WARNING);
        String dbName = "bourse_bench_" + System.currentTimeMillis() / 1000 + "_" + ProcessHandle.current().pid();
        createDatabase(o, dbName);
        Thread dropper = new Thread(() -> dropDatabase(o, dbName));
        if (!o.keepDb) {
            Runtime.getRuntime().addShutdownHook(dropper);
        }
        try {
            run(o, dbName);
        } finally {
            if (!o.keepDb) {
                Runtime.getRuntime().removeShutdownHook(dropper);
                dropDatabase(o, dbName);
            } else {
                System.out.println("kept database " + dbName);
            }
        }
    }

    private static void run(Options o, String dbName) throws Exception {
        System.out.printf(Locale.ROOT, "DurableSequencerBench: database %s, %d users, queue %d, maxBatch %d, in-flight %d, "
                        + "warm-up %.0f s + %.0f s per phase, seed %d, book %d, clOrdId share %.2f%n", dbName, o.users, o.queue,
                o.maxBatch, o.inFlight, o.warmup, o.duration, o.seed, o.book, o.clOrdId);
        System.out.printf(Locale.ROOT, "JVM %s %s, %d cores; %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.vm.version"), ProcessCpu.cores, serverSettings(o, dbName));
        long t0 = System.nanoTime();
        try (Database db = Database.open(o.jdbc + "/" + dbName, o.dbUser, o.dbPassword, o.pool, "disable")) {
            db.migrate();
            for (String sql : o.setupSql) {
                try (Connection c = db.connection(); Statement s = c.createStatement()) {
                    s.execute(sql);
                }
                System.out.println("setup SQL: " + sql);
            }
            Ledger ledger = new Ledger(db);
            Listing listing = new Listing(db);
            ledger.ensureSystemAccounts(1);
            listing.addAsset("BTC", 8);
            listing.addAsset("USDT", 6);
            listing.addInstrument(DurableOrderFlow.BTC_USDT, 0);
            Map<String, Asset> assets = listing.assets();
            Instrument ins = DurableOrderFlow.BTC_USDT.toInstrument(assets);
            long baseFunds = Decimals.parse(FUND_BTC, ins.base().scale());
            long quoteFunds = Decimals.parse(FUND_USDT, ins.quote().scale());
            long[] users = new long[o.users];
            ExecutorService setup = Executors.newFixedThreadPool(Math.max(1, Math.min(4, o.pool)));
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < o.users; i++) {
                final int u = i;
                created.add(setup.submit(() -> {
                    users[u] = ledger.createUser("bench-" + u);
                    ledger.deposit("bench:" + u + ":BTC", users[u], ins.base().id(), baseFunds);
                    ledger.deposit("bench:" + u + ":USDT", users[u], ins.quote().id(), quoteFunds);
                    return null;
                }));
            }
            for (Future<?> f : created) {
                f.get();
            }
            setup.shutdown();
            Arrays.sort(users); // ids come from a sequence: the same set every run, whatever the thread order
            System.out.printf(Locale.ROOT, "set-up: schema, BTC-USDT on shard 0, %d funded users in %.1f s%n", o.users,
                    (System.nanoTime() - t0) / 1e9);

            DurableOrderFlow flow = new DurableOrderFlow(ins, users, baseFunds, quoteFunds, SystemAccounts.fees(0), 0, 0, 0,
                    DurableOrderFlow.Mix.DEFAULT.withBook(o.book).withClOrdIdShare(o.clOrdId), o.seed);
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            InProcessEventBus bus = new InProcessEventBus();
            ProcessCpu cpu = new ProcessCpu(dbName);
            List<PhaseResult> results = new ArrayList<>();
            try (Shard shard = new Shard(db, bus, meters, 0, "bench-" + ProcessHandle.current().pid(), 10_000, o.queue,
                    o.maxBatch)) {
                shard.start();
                Driver driver = new Driver(o, shard, meters, cpu);
                DurableOrderFlow.Chunk preload = flow.preload();
                long p0 = System.nanoTime();
                driver.closedLoop("preload", preload, 0, Double.MAX_VALUE);
                System.out.printf(Locale.ROOT, "preload: %,d resting orders through the shard in %.1f s%n", preload.size(),
                        (System.nanoTime() - p0) / 1e9);
                for (String phase : o.phases) {
                    System.gc();
                    PhaseResult r;
                    if (phase.equals("saturation")) {
                        int n = (int) Math.min(Integer.MAX_VALUE - 8, (long) (o.satMaxRate * (o.warmup + o.duration)));
                        DurableOrderFlow.Chunk chunk = flow.next(n);
                        System.gc();
                        CpuMonitor.awaitQuiet(o.quietWait);
                        r = driver.closedLoop("saturation", chunk, o.warmup, o.duration);
                    } else {
                        long rate = Long.parseLong(phase);
                        DurableOrderFlow.Chunk chunk = flow.next((int) Math.ceil(rate * (o.warmup + o.duration)));
                        System.gc();
                        CpuMonitor.awaitQuiet(o.quietWait);
                        r = driver.openLoop(phase + "/s", chunk, rate, o.warmup, o.duration);
                    }
                    print(r);
                    results.add(r);
                }
                System.out.println();
                System.out.println("summary (latency in ms, from the planned send in open loop, from the send in closed loop):");
                System.out.println("| phase | offered /s | achieved durable /s | p50 | p99 | p99.9 | max | mean batch | mean batch ms "
                        + "| rejects | queue-full retries | JVM % | PG % | others % |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
                for (PhaseResult r : results) {
                    Histogram h = r.latency();
                    System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %s | %s | %s | %s | %.0f | %.1f | %s | %,d | %.0f | %.0f | %.0f |%n", r.name(),
                            r.offered() > 0 ? String.format(Locale.ROOT, "%,.0f", r.offered()) : "closed loop", r.achieved(),
                            ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                            ms(h.getMaxValue()), r.meanBatch(), r.meanBatchMs(), r.rejects().isEmpty() ? "0" : r.rejects(),
                            r.busyRetries(), r.cpu().jvm(), r.cpu().pgBackends() + r.cpu().pgRest(), r.cpu().others());
                }
                System.out.printf(Locale.ROOT, "oracle book at the end: %d resting orders; shard queue %d%n", flow.liveOrders(),
                        shard.queueLength());
            }
            verify(db);
        }
    }

    /** Counts rows as a sanity check: the commands really reached the database. */
    private static void verify(Database db) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            StringBuilder sb = new StringBuilder("database at the end:");
            for (String q : new String[] {"orders", "fills", "ledger_entries", "batches"}) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + q)) {
                    rs.next();
                    sb.append(String.format(Locale.ROOT, " %s %,d", q, rs.getLong(1)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT last_seq FROM shard_leases WHERE shard_id = 0")) {
                rs.next();
                sb.append(String.format(Locale.ROOT, "; shard 0 last_seq %,d", rs.getLong(1)));
            }
            try (ResultSet rs = s.executeQuery("SELECT kind, count(*) FROM ledger_entries GROUP BY kind ORDER BY 2 DESC")) {
                sb.append("; ledger entries by kind:");
                while (rs.next()) {
                    sb.append(String.format(Locale.ROOT, " %s %,d", rs.getString(1), rs.getLong(2)));
                }
            }
            System.out.println(sb);
        }
    }

    private static void print(PhaseResult r) {
        Histogram h = r.latency();
        System.out.printf(Locale.ROOT, "%n== %s: %s%n", r.name(), r.mix());
        System.out.printf(Locale.ROOT, "   achieved %,.0f durable commands/s (%,d measured commands%s)%n", r.achieved(),
                r.measured(), r.notSent() > 0 ? String.format(Locale.ROOT, "; %,d planned but not sent: pre-generated stream "
                        + "used up", r.notSent()) : "");
        System.out.printf(Locale.ROOT, "   ack latency ms: p50 %s  p90 %s  p99 %s  p99.9 %s  max %s (mean %.2f)%n",
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getMean() / 1e6);
        System.out.printf(Locale.ROOT, "   batches: %,d, mean %.1f commands, mean %.2f ms from taking the batch to commit "
                        + "(max %.1f ms); shard queue max %,d; drain after the window %.0f ms%n",
                r.batches(), r.meanBatch(), r.meanBatchMs(), r.maxBatchMs(), r.maxQueue(), r.drainMs());
        System.out.printf(Locale.ROOT, "   rejects by code: %s; order ids differing from the oracle: %d; queue-full answers "
                        + "retried: %,d%s%n", r.rejects().isEmpty() ? "none" : r.rejects(), r.mismatches(), r.busyRetries(),
                r.busyRetries() > 0 ? " (the offered rate was NOT sustained)" : "");
        System.out.println("   " + r.cpu().describe());
    }

    static String ms(long nanos) {
        double v = nanos / 1e6;
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    // ------------------------------------------------------------------ driving the shard

    /** Sends commands and collects their outcomes; one phase at a time, from the calling thread. */
    static final class Driver {
        private final Options o;
        private final Shard shard;
        private final SimpleMeterRegistry meters;
        private final ProcessCpu cpu;
        private final long sequencerThread;

        private final Recorder latency = new Recorder(3);
        private final AtomicLong completed = new AtomicLong(); // durable: committed (accepted or rejected by the engine)
        private final AtomicLong busyRetries = new AtomicLong();
        private final AtomicLong outstanding = new AtomicLong();
        private final LongAdder mismatches = new LongAdder();
        private final Map<String, LongAdder> rejects = new ConcurrentHashMap<>();

        Driver(Options o, Shard shard, SimpleMeterRegistry meters, ProcessCpu cpu) {
            this.o = o;
            this.shard = shard;
            this.meters = meters;
            this.cpu = cpu;
            long id = -1;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("shard-" + shard.shardId() + "-sequencer")) {
                    id = t.threadId();
                }
            }
            this.sequencerThread = id;
        }

        private void reset() {
            latency.reset();
            busyRetries.set(0);
            mismatches.reset();
            rejects.clear();
        }

        /** Called when a future completes: on the sequencer thread after the commit (or at once when refused). */
        private void done(CommandOutcome out, Throwable error, long sentAt, boolean measured, long expectedOrdId) {
            long now = System.nanoTime();
            if (out != null && out.seq() > 0) {
                completed.incrementAndGet();
            }
            outstanding.decrementAndGet();
            if (measured) {
                latency.recordValue(Math.max(0, now - sentAt));
            }
            if (error != null) {
                count(measured, "exception " + error.getClass().getSimpleName());
            } else if (!out.ok()) {
                count(measured, out.sCode());
            } else if (expectedOrdId != 0 && out.ordId() != expectedOrdId) {
                mismatches.increment();
            }
        }

        private void count(boolean measured, String code) {
            if (measured) {
                rejects.computeIfAbsent(code, k -> new LongAdder()).increment();
            }
        }

        /** Fixed offered rate; command k planned at start + k / rate. */
        PhaseResult openLoop(String name, DurableOrderFlow.Chunk chunk, double rate, double warmupS, double durationS) {
            reset();
            ShardCommand[] cmds = chunk.commands;
            long start = System.nanoTime() + 2_000_000;
            long measureFrom = start + (long) (warmupS * 1e9);
            long measureTo = measureFrom + (long) (durationS * 1e9);
            double interval = 1e9 / rate;
            Snapshot a = null;
            long measured = 0;
            int maxQueue = 0;
            int k = 0;
            for (; k < cmds.length; k++) {
                long planned = start + (long) (k * interval);
                if (planned >= measureTo) {
                    break;
                }
                long now = System.nanoTime();
                if (now < planned) {
                    LockSupport.parkNanos(planned - now);
                }
                boolean inWindow = planned >= measureFrom;
                if (inWindow && a == null) {
                    a = snapshot();
                }
                if (inWindow) {
                    measured++;
                }
                if ((k & 255) == 0) {
                    maxQueue = Math.max(maxQueue, shard.queueLength());
                }
                send(cmds[k], chunk.expectedOrdId[k], planned, inWindow);
            }
            long now = System.nanoTime();
            if (now < measureTo) {
                LockSupport.parkNanos(measureTo - now);
            }
            Snapshot b = snapshot();
            if (a == null) {
                a = b;
            }
            double drainMs = awaitDrain();
            return result(name, rate, a, b, measured, maxQueue, chunk, drainMs, 0);
        }

        /** At most {@code --in-flight} outstanding futures; latency from the actual send. */
        PhaseResult closedLoop(String name, DurableOrderFlow.Chunk chunk, double warmupS, double durationS)
                throws InterruptedException {
            reset();
            Semaphore permits = new Semaphore(o.inFlight);
            ShardCommand[] cmds = chunk.commands;
            long start = System.nanoTime();
            long measureFrom = start + (long) (warmupS * 1e9);
            long measureTo = durationS == Double.MAX_VALUE ? Long.MAX_VALUE : measureFrom + (long) (durationS * 1e9);
            Snapshot a = null;
            long measured = 0;
            int maxQueue = 0;
            int k = 0;
            for (; k < cmds.length; k++) {
                permits.acquire();
                long now = System.nanoTime();
                if (now >= measureTo) {
                    permits.release();
                    break;
                }
                boolean inWindow = now >= measureFrom;
                if (inWindow && a == null) {
                    a = snapshot();
                }
                if (inWindow) {
                    measured++;
                }
                if ((k & 255) == 0) {
                    maxQueue = Math.max(maxQueue, shard.queueLength());
                }
                final long expected = chunk.expectedOrdId[k];
                final boolean m = inWindow;
                outstanding.incrementAndGet();
                submitDurably(cmds[k]).whenComplete((out, err) -> {
                    done(out, err, now, m, expected);
                    permits.release();
                });
            }
            long notSent = 0;
            if (measureTo != Long.MAX_VALUE && k == cmds.length) {
                long now = System.nanoTime();
                notSent = (long) ((measureTo - now) / 1e9 * o.satMaxRate);
            }
            Snapshot b = snapshot();
            if (a == null) {
                a = b;
            }
            double drainMs = awaitDrain();
            return result(name, 0, a, b, measured, maxQueue, chunk, drainMs, Math.max(0, notSent));
        }

        private void send(ShardCommand cmd, long expectedOrdId, long plannedAt, boolean measured) {
            outstanding.incrementAndGet();
            submitDurably(cmd).whenComplete((out, err) -> done(out, err, plannedAt, measured, expectedOrdId));
        }

        /**
         * Submits; while the shard answers at once that its queue is full, waits 100 µs and sends again,
         * as a client retrying "system busy" would. The generator then falls behind its schedule, and
         * the commands behind are charged the delay (latency counts from the planned time). Dropping them
         * instead would also make the stream diverge from the oracle's.
         */
        private CompletableFuture<CommandOutcome> submitDurably(ShardCommand cmd) {
            while (true) {
                CompletableFuture<CommandOutcome> f = shard.submit(cmd);
                CommandOutcome now = f.getNow(null);
                if (now != null && now.seq() == 0 && Shard.CODE_BUSY.equals(now.sCode())) {
                    busyRetries.incrementAndGet();
                    LockSupport.parkNanos(100_000);
                    continue;
                }
                return f;
            }
        }

        private double awaitDrain() {
            long t0 = System.nanoTime();
            while (outstanding.get() > 0) {
                LockSupport.parkNanos(200_000);
                if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(10)) {
                    throw new IllegalStateException("futures still outstanding after 10 minutes: " + outstanding.get());
                }
            }
            return (System.nanoTime() - t0) / 1e6;
        }

        record Snapshot(long nanos, long completed, long batches, double batchCommands, long commits, double commitNanos,
                        ProcessCpu.Sample cpu) {
        }

        private Snapshot snapshot() {
            DistributionSummary bs = meters.find("bourse_batch_commands").summary();
            Timer ct = meters.find("bourse_batch_commit_seconds").timer();
            return new Snapshot(System.nanoTime(), completed.get(), bs == null ? 0 : bs.count(),
                    bs == null ? 0 : bs.totalAmount(), ct == null ? 0 : ct.count(),
                    ct == null ? 0 : ct.totalTime(TimeUnit.NANOSECONDS), cpu.sample(sequencerThread, Thread.currentThread().threadId()));
        }

        private PhaseResult result(String name, double offered, Snapshot a, Snapshot b, long measured, int maxQueue,
                                   DurableOrderFlow.Chunk chunk, double drainMs, long notSent) {
            double secs = Math.max(1e-9, (b.nanos() - a.nanos()) / 1e9);
            long batches = b.batches() - a.batches();
            double meanBatch = batches == 0 ? 0 : (b.batchCommands() - a.batchCommands()) / batches;
            long commits = b.commits() - a.commits();
            double meanBatchMs = commits == 0 ? 0 : (b.commitNanos() - a.commitNanos()) / commits / 1e6;
            Timer ct = meters.find("bourse_batch_commit_seconds").timer();
            double maxMs = ct == null ? 0 : ct.max(TimeUnit.MILLISECONDS);
            Map<String, Long> rj = new TreeMap<>();
            rejects.forEach((code, n) -> rj.put(code, n.sum()));
            return new PhaseResult(name, offered, (b.completed() - a.completed()) / secs, measured, latency.getIntervalHistogram(),
                    meanBatch, meanBatchMs, maxMs, batches, maxQueue, rj, mismatches.sum(), notSent,
                    ProcessCpu.between(a.cpu(), b.cpu()), chunk.describe(), drainMs, busyRetries.get());
        }
    }

    // ------------------------------------------------------------------ database set-up

    private static void createDatabase(Options o, String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(o.jdbc + "/postgres", o.dbUser, o.dbPassword);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
    }

    private static void dropDatabase(Options o, String name) {
        try (Connection c = DriverManager.getConnection(o.jdbc + "/postgres", o.dbUser, o.dbPassword);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            System.out.println("dropped database " + name);
        } catch (SQLException e) {
            LOG.warning("could not drop database " + name + ": " + e.getMessage());
        }
    }

    /** The server settings that decide commit cost, as the benchmark's own connections see them. */
    private static String serverSettings(Options o, String db) throws SQLException {
        StringBuilder sb = new StringBuilder("PostgreSQL");
        try (Connection c = DriverManager.getConnection(o.jdbc + "/" + db, o.dbUser, o.dbPassword);
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                sb.append(' ').append(rs.getString(1));
            }
            for (String setting : new String[] {"synchronous_commit", "fsync", "wal_sync_method", "full_page_writes",
                    "shared_buffers", "commit_delay"}) {
                try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
                    rs.next();
                    sb.append(", ").append(setting).append('=').append(rs.getString(1));
                }
            }
        }
        return sb.toString();
    }
}
