package dev.bourse.bench;

import exchange.core2.core.common.CoreWaitStrategy;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Side-by-side harness: generates one seeded command stream and replays it through the Bourse core and
 * through exchange-core 0.5.3 in the same JVM, measuring throughput (median of several runs, after
 * warm-up on a separate stream) and coordinated-omission-free latency at a fixed offered rate.
 *
 * <pre>
 * engine/bench/compare.sh --symbols 1 --users 10000 --commands 3000000 --rate 1000000 --seed 1 --runs 5
 * # which runs:
 * java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -XX:+UseG1GC --enable-native-access=ALL-UNNAMED \
 *      --sun-misc-unsafe-memory-access=allow -cp engine/bench/target/benchmarks.jar \
 *      dev.bourse.bench.CompareHarness --symbols 1 ...
 * </pre>
 *
 * See docs/performance.md for the flags and what is and is not compared.
 */
public final class CompareHarness {
    static final long HIGHEST_NANOS = 10_000_000_000L;

    private CompareHarness() {
    }

    static final class Options {
        int symbols = 1;
        int users = 10_000;
        int commands = 3_000_000;
        long rate = 1_000_000;
        long seed = 1;
        int runs = 5;
        int warmupCommands = -1;
        int warmupRuns = 3;
        int bookOrders = 1000;
        int groupLimit = 4096;
        int groupDurationNs = 4_000_000;
        int quietWait = 0;
        int latencyRuns = 3;
        boolean producerPark = false;
        List<CoreWaitStrategy> waits = List.of(CoreWaitStrategy.YIELDING);
        boolean bourse = true;
        boolean exchangeCore = true;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    usage();
                    System.exit(0);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--symbols" -> o.symbols = Integer.parseInt(v);
                    case "--users" -> o.users = Integer.parseInt(v);
                    case "--commands" -> o.commands = Integer.parseInt(v);
                    case "--rate" -> o.rate = Long.parseLong(v);
                    case "--seed" -> o.seed = Long.parseLong(v);
                    case "--runs" -> o.runs = Integer.parseInt(v);
                    case "--warmup-commands" -> o.warmupCommands = Integer.parseInt(v);
                    case "--warmup-runs" -> o.warmupRuns = Integer.parseInt(v);
                    case "--book-orders" -> o.bookOrders = Integer.parseInt(v);
                    case "--group-limit" -> o.groupLimit = Integer.parseInt(v);
                    case "--group-duration-ns" -> o.groupDurationNs = Integer.parseInt(v);
                    case "--quiet-wait" -> o.quietWait = Integer.parseInt(v);
                    case "--latency-runs" -> o.latencyRuns = Integer.parseInt(v);
                    case "--ec-producer-wait" -> {
                        if (!v.equals("yield") && !v.equals("park")) {
                            throw new IllegalArgumentException("--ec-producer-wait yield|park");
                        }
                        o.producerPark = v.equals("park");
                    }
                    case "--wait" -> {
                        o.waits = Arrays.stream(v.split(","))
                                .map(x -> CoreWaitStrategy.valueOf(x.trim().toUpperCase(Locale.ROOT))).toList();
                        if (o.waits.contains(CoreWaitStrategy.SECOND_STEP_NO_WAIT)) {
                            // it has no disruptor wait strategy: ExchangeCore's constructor throws
                            throw new IllegalArgumentException("SECOND_STEP_NO_WAIT is not a pipeline wait strategy");
                        }
                    }
                    case "--engines" -> {
                        o.bourse = v.equals("both") || v.equals("bourse");
                        o.exchangeCore = v.equals("both") || v.equals("exchange-core");
                        if (!o.bourse && !o.exchangeCore) {
                            throw new IllegalArgumentException("--engines both|bourse|exchange-core");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.warmupCommands < 0) {
                o.warmupCommands = Math.min(o.commands, 1_000_000);
            }
            if (o.latencyRuns < 1) {
                throw new IllegalArgumentException("--latency-runs must be >= 1");
            }
            if (o.runs < 1) {
                throw new IllegalArgumentException("--runs must be >= 1");
            }
            return o;
        }

        static void usage() {
            System.out.println("""
                    CompareHarness: the same seeded command stream through the Bourse core and exchange-core 0.5.3
                      --symbols N          symbols (1 or 100 in docs/performance.md)        [1]
                      --users N            users                                             [10000]
                      --commands N         measured commands                                 [3000000]
                      --rate N             offered rate for the latency runs, commands/s;
                                           0 skips the latency runs                          [1000000]
                      --seed N             stream seed (the warm-up stream uses another)     [1]
                      --runs N             measured throughput runs per engine (median)      [5]
                      --warmup-commands N  size of the separate warm-up stream               [min(commands, 1M)]
                      --warmup-runs N      warm-up replays per engine                        [3]
                      --book-orders N      average resting orders per symbol                 [1000]
                      --wait W[,W]         exchange-core wait strategies: BUSY_SPIN, YIELDING,
                                           BLOCKING                                          [YIELDING]
                      --group-limit N      exchange-core msgsInGroupLimit                    [4096]
                      --group-duration-ns N  exchange-core maxGroupDurationNs                [4000000]
                      --engines E          both | bourse | exchange-core                     [both]
                      --latency-runs N     latency runs per engine; the one with the median
                                           p99 is reported                                   [3]
                      --ec-producer-wait W exchange-core producer between planned sends:
                                           yield | park                                      [yield]
                      --quiet-wait S       before each measured run wait up to S seconds for the
                                           machine to be idle (other processes < 5 %)        [0]""");
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        System.out.printf(Locale.ROOT, "JVM %s %s, %d CPUs, max heap %,d MB%nJVM flags: %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.println("load average: " + loadAverage());
        System.out.printf(Locale.ROOT, "symbols=%d users=%d commands=%,d rate=%,d/s seed=%d runs=%d warmup=%,d x%d book-orders=%d%n",
                o.symbols, o.users, o.commands, o.rate, o.seed, o.runs, o.warmupCommands, o.warmupRuns, o.bookOrders);

        MarketSpec spec = new MarketSpec(o.symbols, o.users);
        long t0 = System.nanoTime();
        CommandStream stream = StreamGenerator.generate(spec, o.commands, o.seed, o.bookOrders);
        CommandStream warm = StreamGenerator.generate(spec, o.warmupCommands, o.seed + 1_000_003, o.bookOrders);
        System.out.printf(Locale.ROOT, "generated in %.1f s: preload %,d GTC places; measured %s; %,d substituted%n",
                (System.nanoTime() - t0) / 1e9, stream.measureFrom, stream.measuredStats(), stream.substituted);

        Summary bourse = null;
        List<Summary> ecs = new ArrayList<>();
        if (o.bourse) {
            bourse = runBourse(o, stream, warm);
        }
        if (o.exchangeCore) {
            for (CoreWaitStrategy w : o.waits) {
                ecs.add(runExchangeCore(o, stream, warm, w));
            }
        }
        report(o, stream, bourse, ecs);
    }

    /** What one engine measured. */
    record Summary(String name, double[] throughputs, Histogram latency, long rejects, long tradingCommands,
                   long fills, long fillMismatches, Histogram service, Histogram floor) {
        double median() {
            double[] t = throughputs.clone();
            Arrays.sort(t);
            int n = t.length;
            return n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
        }
    }

    static Summary runBourse(Options o, CommandStream stream, CommandStream warm) {
        System.out.println("-- Bourse core: warm-up");
        BourseRunner wr = new BourseRunner(warm);
        for (int w = 0; w < o.warmupRuns; w++) {
            wr.reset();
            BourseRunner.Result r = wr.runThroughput();
            System.out.printf(Locale.ROOT, "   warm-up %d: %,.0f commands/s%n", w + 1, r.commandsPerSecond());
        }
        BourseRunner br = new BourseRunner(stream);
        double[] tp = new double[o.runs];
        long rejects = 0;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int r = 0; r < o.runs; r++) {
            br.reset();
            System.gc();
            CpuMonitor.awaitQuiet(o.quietWait);
            CpuMonitor cpu = new CpuMonitor();
            long alloc = threads.getCurrentThreadAllocatedBytes();
            BourseRunner.Result res = br.runThroughput();
            alloc = threads.getCurrentThreadAllocatedBytes() - alloc;
            tp[r] = res.commandsPerSecond();
            rejects += res.rejects();
            System.out.printf(Locale.ROOT, "   run %d: %,.0f commands/s (%,d rejected, %,d bytes allocated) %s%n",
                    r + 1, tp[r], res.rejects(), alloc, cpu.describe());
        }
        br.reset();
        Histogram service = new Histogram(HIGHEST_NANOS, 3);
        br.runServiceTime(service);
        System.out.printf(Locale.ROOT, "   service time per command (back to back): p50 %s p99 %s p99.9 %s max %s us%n",
                us(service.getValueAtPercentile(50)), us(service.getValueAtPercentile(99)),
                us(service.getValueAtPercentile(99.9)), us(service.getMaxValue()));
        Histogram h = null;
        Histogram floor = null;
        if (o.rate > 0) {
            wr.reset();
            wr.runLatency(o.rate, new Histogram(HIGHEST_NANOS, 3));
            floor = new Histogram(HIGHEST_NANOS, 3);
            CpuMonitor.awaitQuiet(o.quietWait);
            CpuMonitor cpu = new CpuMonitor();
            BourseRunner.runNoOpLatency(stream.measuredCount(), o.rate, floor);
            System.out.printf(Locale.ROOT, "   no-op schedule at %,d/s (platform floor): p50 %s p99 %s p99.9 %s max %s us %s%n", o.rate,
                    us(floor.getValueAtPercentile(50)), us(floor.getValueAtPercentile(99)),
                    us(floor.getValueAtPercentile(99.9)), us(floor.getMaxValue()), cpu.describe());
            List<Histogram> runs = new ArrayList<>();
            for (int r = 0; r < o.latencyRuns; r++) {
                br.reset();
                System.gc();
                Histogram lh = new Histogram(HIGHEST_NANOS, 3);
                CpuMonitor.awaitQuiet(o.quietWait);
                cpu.start();
                BourseRunner.Result res = br.runLatency(o.rate, lh);
                rejects += res.rejects();
                runs.add(lh);
                System.out.printf(Locale.ROOT, "   latency run %d at %,d/s: p50 %s p99 %s p99.9 %s max %s us (achieved %,.0f/s) %s%n",
                        r + 1, o.rate, us(lh.getValueAtPercentile(50)), us(lh.getValueAtPercentile(99)),
                        us(lh.getValueAtPercentile(99.9)), us(lh.getMaxValue()), res.commandsPerSecond(), cpu.describe());
            }
            h = medianByP99(runs);
        }
        CommandStream.Stats st = stream.measuredStats();
        return new Summary("Bourse core", tp, h, rejects, st.trading, st.fills, 0, service, floor);
    }

    static Summary runExchangeCore(Options o, CommandStream stream, CommandStream warm, CoreWaitStrategy wait) {
        System.out.println("-- exchange-core 0.5.3 (" + wait + ", msgsInGroupLimit " + o.groupLimit + ", maxGroupDurationNs "
                + o.groupDurationNs + ", producer " + (o.producerPark ? "parks" : "yields") + "): warm-up");
        try (ExchangeCoreRunner ec = new ExchangeCoreRunner(wait, o.groupLimit, o.groupDurationNs).producerPark(o.producerPark)) {
            for (int w = 0; w < o.warmupRuns; w++) {
                ec.load(warm);
                ExchangeCoreRunner.Result r = ec.runThroughput();
                System.out.printf(Locale.ROOT, "   warm-up %d: %,.0f commands/s%n", w + 1, r.commandsPerSecond());
            }
            double[] tp = new double[o.runs];
            long rejects = 0;
            long trading = 0;
            long fills = 0;
            long mismatches = 0;
            for (int r = 0; r < o.runs; r++) {
                ec.load(stream);
                System.gc();
                CpuMonitor.awaitQuiet(o.quietWait);
                CpuMonitor cpu = new CpuMonitor();
                ExchangeCoreRunner.Result res = ec.runThroughput();
                tp[r] = res.commandsPerSecond();
                rejects += res.nonSuccess();
                trading = res.tradingCommands();
                fills = res.fills();
                mismatches += res.fillMismatches();
                System.out.printf(Locale.ROOT, "   run %d: %,.0f commands/s (%,d not SUCCESS %s, %,d fill mismatches) %s%n",
                        r + 1, tp[r], res.nonSuccess(), res.codes(), res.fillMismatches(), cpu.describe());
            }
            Histogram h = null;
            if (o.rate > 0) {
                ec.load(warm);
                ec.runLatency(o.rate, new Histogram(HIGHEST_NANOS, 3));
                List<Histogram> runs = new ArrayList<>();
                for (int r = 0; r < o.latencyRuns; r++) {
                    ec.load(stream);
                    System.gc();
                    Histogram lh = new Histogram(HIGHEST_NANOS, 3);
                    CpuMonitor.awaitQuiet(o.quietWait);
                    CpuMonitor cpu = new CpuMonitor();
                    ExchangeCoreRunner.Result res = ec.runLatency(o.rate, lh);
                    rejects += res.nonSuccess();
                    mismatches += res.fillMismatches();
                    runs.add(lh);
                    System.out.printf(Locale.ROOT, "   latency run %d at %,d/s: p50 %s p99 %s p99.9 %s max %s us (achieved %,.0f/s) %s%n",
                            r + 1, o.rate, us(lh.getValueAtPercentile(50)), us(lh.getValueAtPercentile(99)),
                            us(lh.getValueAtPercentile(99.9)), us(lh.getMaxValue()), res.commandsPerSecond(), cpu.describe());
                }
                h = medianByP99(runs);
            }
            return new Summary("exchange-core " + wait, tp, h, rejects, trading, fills, mismatches, null, null);
        }
    }

    static void report(Options o, CommandStream stream, Summary bourse, List<Summary> ecs) {
        System.out.println();
        System.out.printf(Locale.ROOT, "== symbols=%d users=%d measured commands=%,d seed=%d ==%n",
                o.symbols, o.users, stream.measuredCount(), o.seed);
        System.out.println("stream: " + stream.measuredStats());
        List<Summary> all = new ArrayList<>();
        if (bourse != null) {
            all.add(bourse);
        }
        all.addAll(ecs);
        System.out.printf(Locale.ROOT, "throughput (commands/s, median of %d runs):%n", o.runs);
        for (Summary s : all) {
            double[] t = s.throughputs().clone();
            Arrays.sort(t);
            System.out.printf(Locale.ROOT, "  %-26s %,14.0f   [min %,.0f  max %,.0f]   rejects %,d  trading %,d  fills %,d  fill mismatches %,d%n",
                    s.name(), s.median(), t[0], t[t.length - 1], s.rejects(), s.tradingCommands(), s.fills(), s.fillMismatches());
        }
        Summary bestEc = null;
        for (Summary e : ecs) {
            if (bestEc == null || e.median() > bestEc.median()) {
                bestEc = e;
            }
        }
        if (bourse != null && bestEc != null) {
            double ratio = bourse.median() / bestEc.median();
            System.out.printf(Locale.ROOT, "  ratio Bourse / %s: %.2fx  (target >= 1.5x: %s)%n",
                    bestEc.name(), ratio, ratio >= 1.5 ? "met" : "NOT met");
        }
        if (bourse != null) {
            System.out.println("Bourse service time per command, back to back (us):");
            System.out.printf(Locale.ROOT, "  %-26s %10s %10s %10s %12s%n", "", "p50", "p99", "p99.9", "max");
            row("Bourse core", bourse.service());
        }
        if (o.rate > 0) {
            System.out.printf(Locale.ROOT, "latency at %,d commands/s offered (us, completion - planned send time; the run with the median p99 of %d):%n",
                    o.rate, o.latencyRuns);
            System.out.printf(Locale.ROOT, "  %-26s %10s %10s %10s %12s%n", "", "p50", "p99", "p99.9", "max");
            if (bourse != null) {
                row("no-op (platform floor)", bourse.floor());
            }
            for (Summary s : all) {
                row(s.name(), s.latency());
            }
            if (bourse != null) {
                Histogram b = bourse.latency();
                for (Summary e : ecs) {
                    Histogram h = e.latency();
                    System.out.printf(Locale.ROOT, "  %-26s %9.1fx %9.1fx %9.1fx %11.1fx%n", "ratio " + e.name() + "/Bourse",
                            ratio(h.getValueAtPercentile(50), b.getValueAtPercentile(50)),
                            ratio(h.getValueAtPercentile(99), b.getValueAtPercentile(99)),
                            ratio(h.getValueAtPercentile(99.9), b.getValueAtPercentile(99.9)),
                            ratio(h.getMaxValue(), b.getMaxValue()));
                }
                double p99 = b.getValueAtPercentile(99) / 1000.0;
                System.out.printf(Locale.ROOT, "  Bourse p99 %.2f us (target <= 5 us at 1M/s: %s)%n", p99,
                        o.rate >= 1_000_000 ? (p99 <= 5 ? "met" : "NOT met") : "rate below 1M/s, not applicable");
            }
        }
    }

    /** The run whose p99 is the median of the runs' p99s. */
    static Histogram medianByP99(List<Histogram> runs) {
        List<Histogram> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingLong(x -> x.getValueAtPercentile(99)));
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static void row(String name, Histogram h) {
        System.out.printf(Locale.ROOT, "  %-26s %10s %10s %10s %12s%n", name,
                us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(99)),
                us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()));
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    static String us(long nanos) {
        double u = nanos / 1000.0;
        return u < 10 ? String.format(Locale.ROOT, "%.2f", u)
                : u < 1000 ? String.format(Locale.ROOT, "%.1f", u) : String.format(Locale.ROOT, "%,.0f", u);
    }
}
