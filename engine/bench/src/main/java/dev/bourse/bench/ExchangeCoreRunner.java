package dev.bourse.bench;

import com.lmax.disruptor.RingBuffer;
import exchange.core2.core.ExchangeApi;
import exchange.core2.core.ExchangeCore;
import exchange.core2.core.common.CoreSymbolSpecification;
import exchange.core2.core.common.CoreWaitStrategy;
import exchange.core2.core.common.MatcherEventType;
import exchange.core2.core.common.MatcherTradeEvent;
import exchange.core2.core.common.OrderAction;
import exchange.core2.core.common.OrderType;
import exchange.core2.core.common.SymbolType;
import exchange.core2.core.common.api.ApiAddUser;
import exchange.core2.core.common.api.ApiAdjustUserBalance;
import exchange.core2.core.common.api.ApiReset;
import exchange.core2.core.common.cmd.CommandResultCode;
import exchange.core2.core.common.cmd.OrderCommand;
import exchange.core2.core.common.cmd.OrderCommandType;
import exchange.core2.core.common.config.ExchangeConfiguration;
import exchange.core2.core.common.config.PerformanceConfiguration;
import exchange.core2.core.orderbook.OrderBookDirectImpl;
import exchange.core2.core.processors.MatchingEngineRouter;
import exchange.core2.core.processors.RiskEngine;
import org.HdrHistogram.Histogram;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives a {@link CommandStream} through exchange-core 0.5.3 in the same JVM: one matching engine, one
 * risk engine, {@link OrderBookDirectImpl} books, no journaling. Its pipeline has five consumer threads
 * (grouping, risk hold, matching, risk release, results) behind an LMAX ring buffer of 64 Ki entries;
 * the calling thread is the producer.
 *
 * <p>Commands are written straight into exchange-core's ring buffer from the stream's primitive arrays
 * (the same fields its own {@code ExchangeApi} translators set), so the producer allocates nothing; the
 * latency of a command is measured in the results consumer as completion time minus its planned send
 * time, carried in the command's {@code timestamp} (which exchange-core only stores).
 *
 * <p>Grouping: the risk-release step runs on the risk thread once per group of commands, and while it
 * runs that thread busy-waits for the matching engine to reach the end of the group. With one core per
 * thread that is cheap; on two cores it takes the core the matching engine needs, so small groups
 * (exchange-core's latency profile: 256 commands / 10 us) stall the pipeline for tens to hundreds of
 * milliseconds. The harness therefore uses the values of exchange-core's own throughput profile, 4096
 * commands / 4 ms, by default.
 */
public final class ExchangeCoreRunner implements AutoCloseable {
    private static final OrderAction[] ACTIONS = {OrderAction.BID, OrderAction.ASK};
    private static final OrderType[] TYPES = {OrderType.GTC, OrderType.IOC};
    private static final int BATCH = 256;

    private final CoreWaitStrategy waitStrategy;
    private boolean producerPark;
    private final ExchangeCore core;
    private final ExchangeApi api;
    private final RingBuffer<OrderCommand> rb;
    private final MatchingEngineRouter router;
    private final RiskEngine riskEngine;
    private final java.lang.reflect.Method routerAddSymbol;
    // the loaded stream, and the same in exchange-core's units: prices in ticks, sizes in lots
    private CommandStream s;
    private long[] ecPrice;
    private long[] ecSize;
    private long[] ecReserve;

    // results-consumer state: set by the producer before it publishes a block, read and written by the
    // results thread while the block runs, read by the producer after `finished`
    private long baseSeq;
    private long expected;
    private int blockFrom;
    private Histogram histogram;
    private long highest;
    private long done;
    private long nonSuccess;
    private long tradingCommands;
    private long fillEvents;
    private long fillMismatches;
    private long lastCompletion;
    private boolean checkFills;
    private final long[] codeCounts = new long[CommandResultCode.values().length];
    private volatile boolean finished;

    public ExchangeCoreRunner(CoreWaitStrategy waitStrategy, int msgsInGroupLimit) {
        this(waitStrategy, msgsInGroupLimit, 10_000);
    }

    /**
     * @param msgsInGroupLimit   exchange-core's {@code msgsInGroupLimit}: commands per group (the risk
     *                           release step runs once per group)
     * @param maxGroupDurationNs exchange-core's {@code maxGroupDurationNs}: a group is also closed after
     *                           this long
     */
    @SuppressWarnings("unchecked")
    public ExchangeCoreRunner(CoreWaitStrategy waitStrategy, int msgsInGroupLimit, int maxGroupDurationNs) {
        this.waitStrategy = waitStrategy;
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "exchange-core-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        PerformanceConfiguration perf = PerformanceConfiguration.builder()
                .ringBufferSize(64 * 1024)
                .matchingEnginesNum(1)
                .riskEnginesNum(1)
                .msgsInGroupLimit(msgsInGroupLimit)
                .maxGroupDurationNs(maxGroupDurationNs)
                .threadFactory(factory)
                .waitStrategy(waitStrategy)
                .orderBookFactory(OrderBookDirectImpl::new)
                .binaryCommandsLz4CompressorFactory(PerformanceConfiguration.DEFAULT.getBinaryCommandsLz4CompressorFactory())
                .build();
        ExchangeConfiguration cfg = ExchangeConfiguration.defaultBuilder().performanceCfg(perf).build();
        this.core = new ExchangeCore(this::onResult, cfg);
        core.startup();
        this.api = core.getApi();
        this.rb = (RingBuffer<OrderCommand>) field(api, "ringBuffer");
        List<Object> found = find(core, MatchingEngineRouter.class, RiskEngine.class);
        this.router = (MatchingEngineRouter) found.get(0);
        this.riskEngine = (RiskEngine) found.get(1);
        try {
            this.routerAddSymbol = MatchingEngineRouter.class.getDeclaredMethod("addSymbol", CoreSymbolSpecification.class);
            routerAddSymbol.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("exchange-core 0.5.3 expected", e);
        }
    }

    private static Object field(Object o, String name) {
        try {
            Field f = o.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("exchange-core 0.5.3 expected: no " + o.getClass().getName() + "." + name, e);
        }
    }

    /**
     * Finds one instance of each of {@code types} in the object graph under {@code root} (exchange-core
     * keeps its engines only inside the disruptor's event handlers). Only fields of non-JDK classes are
     * read; JDK collections and maps are walked through their public API.
     */
    static List<Object> find(Object root, Class<?>... types) {
        Object[] hits = new Object[types.length];
        java.util.Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Object> queue = new java.util.ArrayDeque<>();
        queue.add(root);
        int remaining = types.length;
        while (!queue.isEmpty() && remaining > 0 && seen.size() < 200_000) {
            Object o = queue.poll();
            if (o == null || !seen.add(o)) {
                continue;
            }
            for (int t = 0; t < types.length; t++) {
                if (hits[t] == null && types[t].isInstance(o)) {
                    hits[t] = o;
                    remaining--;
                }
            }
            Class<?> c = o.getClass();
            if (c.isArray()) {
                if (!c.getComponentType().isPrimitive()) {
                    int n = Math.min(java.lang.reflect.Array.getLength(o), 1024);
                    for (int i = 0; i < n; i++) {
                        Object e = java.lang.reflect.Array.get(o, i);
                        if (e != null) {
                            queue.add(e);
                        }
                    }
                }
                continue;
            }
            if (o instanceof java.util.Map<?, ?> m && c.getName().startsWith("java.")) {
                m.forEach((k, v) -> {
                    if (k != null) {
                        queue.add(k);
                    }
                    if (v != null) {
                        queue.add(v);
                    }
                });
                continue;
            }
            if (o instanceof java.util.Collection<?> col && c.getName().startsWith("java.")) {
                queue.addAll(col.stream().filter(java.util.Objects::nonNull).toList());
                continue;
            }
            if (c.getName().startsWith("java.") || c.getName().startsWith("jdk.") || c.getName().startsWith("sun.")
                    || o instanceof Thread || o instanceof Class<?>) {
                continue;
            }
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                if (k.getName().startsWith("java.")) {
                    break;
                }
                for (Field f : k.getDeclaredFields()) {
                    if (f.getType().isPrimitive() || java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        Object v = f.get(o);
                        if (v != null) {
                            queue.add(v);
                        }
                    } catch (RuntimeException | IllegalAccessException e) {
                        // not readable: skip
                    }
                }
            }
        }
        for (int t = 0; t < types.length; t++) {
            if (hits[t] == null) {
                throw new IllegalStateException("exchange-core 0.5.3 expected: no " + types[t].getName() + " found");
            }
        }
        return java.util.Arrays.asList(hits);
    }

    /**
     * How the producer waits for the next planned send time in {@link #runLatency}: {@code false}
     * (default) {@code Thread.yield()}, {@code true} {@code LockSupport.parkNanos} until it is due.
     */
    public ExchangeCoreRunner producerPark(boolean park) {
        this.producerPark = park;
        return this;
    }

    public CoreWaitStrategy waitStrategy() {
        return waitStrategy;
    }

    /**
     * Clears exchange-core (its RESET command), adds the stream's symbols and funded users, and loads the
     * stream's preload (the initial books). Fails if any of it is not accepted.
     *
     * <p>exchange-core adds symbols only through its binary-data commands, which serialize through
     * Chronicle Bytes 2.19; that library's {@code OS} class cannot initialise on JDK 25 (it looks up
     * {@code sun.nio.ch.FileChannelImpl.unmap0}, which no longer exists). So the symbol specifications are
     * handed to the risk engine's {@code SymbolSpecificationProvider.addSymbol} and the matching engine
     * router's {@code addSymbol}, exactly what their binary-command handlers do, while the pipeline is
     * idle. Users and balances go through the ordinary ADD_USER and BALANCE_ADJUSTMENT commands.
     */
    public void load(CommandStream stream) {
        if (stream != s) {
            convert(stream);
        }
        expect(api.submitCommandAsync(ApiReset.builder().build()), "reset");
        MarketSpec spec = s.spec;
        for (int sym = 0; sym < spec.symbols(); sym++) {
            CoreSymbolSpecification css = CoreSymbolSpecification.builder()
                    .symbolId(sym)
                    .type(SymbolType.CURRENCY_EXCHANGE_PAIR)
                    .baseCurrency(sym)
                    .quoteCurrency(spec.quoteAsset())
                    .baseScaleK(MarketSpec.LOT_UNITS)
                    .quoteScaleK(MarketSpec.QUOTE_PER_TICK_LOT)
                    .takerFee(spec.ecTakerFeePerLot(sym))
                    .makerFee(spec.ecMakerFeePerLot(sym))
                    .build();
            if (!riskEngine.getSymbolSpecificationProvider().addSymbol(css)) {
                throw new IllegalStateException("exchange-core risk engine refused symbol " + sym);
            }
            try {
                routerAddSymbol.invoke(router, css);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("exchange-core matching engine refused symbol " + sym, e);
            }
        }
        int perUser = 1 + spec.assetCount();
        long tx = 0;
        for (int from = 1; from <= spec.users(); from += 1000) {
            int to = Math.min(spec.users(), from + 999);
            beginBlock(0, (to - from + 1) * perUser, null, false);
            for (int u = from; u <= to; u++) {
                api.submitCommand(ApiAddUser.builder().uid(u).build());
                for (int a = 0; a < spec.assetCount(); a++) {
                    api.submitCommand(ApiAdjustUserBalance.builder().uid(u).currency(a).transactionId(++tx)
                            .amount(a == spec.quoteAsset() ? MarketSpec.DEPOSIT_QUOTE : MarketSpec.DEPOSIT_BASE).build());
                }
            }
            Result r = awaitBlock(System.nanoTime());
            if (r.nonSuccess() != 0) {
                throw new IllegalStateException("exchange-core refused users/balances: " + r.codes());
            }
        }
        Result preload = runBlock(0, s.measureFrom, 0, null);
        if (preload.nonSuccess() != 0 || preload.fillMismatches() != 0) {
            throw new IllegalStateException("exchange-core preload failed: " + preload);
        }
    }

    private void convert(CommandStream stream) {
        int n = stream.length;
        long[] price = new long[n];
        long[] size = new long[n];
        long[] reserve = new long[n];
        for (int i = 0; i < n; i++) {
            switch (stream.type[i]) {
                case CommandStream.PLACE -> {
                    price[i] = stream.price[i] / MarketSpec.TICK_UNITS;
                    size[i] = stream.size[i] / MarketSpec.LOT_UNITS;
                    if (stream.side[i] == CommandStream.BUY) {
                        // GTC bids reserve the symbol's highest price so that moves up are never refused
                        reserve[i] = stream.orderType[i] == CommandStream.GTC
                                ? stream.spec.maxTicks(stream.symbol[i]) : price[i];
                    }
                }
                case CommandStream.MOVE -> price[i] = stream.newPrice[i] / MarketSpec.TICK_UNITS;
                default -> {
                }
            }
        }
        s = stream;
        ecPrice = price;
        ecSize = size;
        ecReserve = reserve;
    }

    private static void expect(java.util.concurrent.CompletableFuture<CommandResultCode> f, String what) {
        CommandResultCode code;
        try {
            code = f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("exchange-core " + what + " failed", e);
        }
        if (code != CommandResultCode.SUCCESS) {
            throw new IllegalStateException("exchange-core " + what + ": " + code);
        }
    }

    /** Publishes the measured commands of the {@linkplain #load loaded} stream as fast as the ring buffer takes them; throughput up to the last result. */
    public Result runThroughput() {
        return runBlock(s.measureFrom, s.length, 0, null);
    }

    /**
     * Offers the measured commands at {@code ratePerSecond} (command k planned at start + k/rate, published
     * as soon as it is due) and records completion − planned time of every command into {@code histogram}.
     */
    public Result runLatency(long ratePerSecond, Histogram histogram) {
        return runBlock(s.measureFrom, s.length, ratePerSecond, histogram);
    }

    /** Prepares the results consumer for the next {@code n} published commands. */
    private void beginBlock(int from, int n, Histogram h, boolean orderCommands) {
        done = 0;
        nonSuccess = 0;
        tradingCommands = 0;
        fillEvents = 0;
        fillMismatches = 0;
        lastCompletion = 0;
        java.util.Arrays.fill(codeCounts, 0);
        histogram = h;
        highest = h == null ? 0 : h.getHighestTrackableValue();
        blockFrom = from;
        checkFills = orderCommands;
        finished = n == 0;
        // the results thread reads these after it sees the block's first publication (happens-before)
        baseSeq = rb.getCursor() + 1;
        expected = n;
    }

    private Result awaitBlock(long start) {
        while (!finished) {
            LockSupport.parkNanos(50_000);
        }
        long end = done == 0 ? start : lastCompletion;
        long n = expected;
        expected = 0; // later control commands are not ours
        Map<String, Long> codes = new TreeMap<>();
        for (CommandResultCode c : CommandResultCode.values()) {
            if (codeCounts[c.ordinal()] != 0) {
                codes.put(c.name(), codeCounts[c.ordinal()]);
            }
        }
        return new Result(n, end - start, nonSuccess, codes, tradingCommands, fillEvents, fillMismatches);
    }

    private Result runBlock(int from, int to, long rate, Histogram h) {
        final int n = to - from;
        beginBlock(from, n, h, true);
        final long start = System.nanoTime() + (rate > 0 ? 1_000_000 : 0);
        int k = 0;
        if (rate <= 0) {
            while (k < n) {
                int batch = Math.min(BATCH, n - k);
                long hi = rb.next(batch);
                long lo = hi - batch + 1;
                for (long seq = lo; seq <= hi; seq++, k++) {
                    fill(rb.get(seq), from + k, k);
                }
                rb.publish(lo, hi);
            }
        } else {
            while (k < n) {
                long now = System.nanoTime();
                long due = now < start ? 0 : Math.min(n, (now - start) * rate / 1_000_000_000L + 1);
                if (due <= k) {
                    // nothing due: leave the cores to the pipeline's threads
                    if (producerPark) {
                        long next = start + (k * 1_000_000_000L) / rate;
                        LockSupport.parkNanos(next - now);
                    } else {
                        Thread.yield();
                    }
                    continue;
                }
                int batch = (int) Math.min(BATCH, due - k);
                long hi = rb.next(batch);
                long lo = hi - batch + 1;
                for (long seq = lo; seq <= hi; seq++, k++) {
                    fill(rb.get(seq), from + k, start + (k * 1_000_000_000L) / rate);
                }
                rb.publish(lo, hi);
            }
        }
        return awaitBlock(start);
    }

    private void fill(OrderCommand cmd, int i, long timestamp) {
        final long h = s.packed[i * CommandStream.WORDS];
        switch (CommandStream.type(h)) {
            case CommandStream.PLACE -> {
                cmd.command = OrderCommandType.PLACE_ORDER;
                cmd.price = ecPrice[i];
                cmd.reserveBidPrice = ecReserve[i];
                cmd.size = ecSize[i];
                cmd.action = ACTIONS[CommandStream.side(h)];
                cmd.orderType = TYPES[CommandStream.orderType(h)];
                cmd.userCookie = 0;
            }
            case CommandStream.CANCEL -> cmd.command = OrderCommandType.CANCEL_ORDER;
            default -> {
                cmd.command = OrderCommandType.MOVE_ORDER;
                cmd.price = ecPrice[i];
            }
        }
        cmd.orderId = s.packed[i * CommandStream.WORDS + 1];
        cmd.symbol = CommandStream.symbol(h);
        cmd.uid = CommandStream.user(h);
        cmd.timestamp = timestamp;
        cmd.resultCode = CommandResultCode.NEW;
    }

    /** Results consumer: runs on exchange-core's results thread for every command, in sequence order. */
    private void onResult(OrderCommand cmd, long seq) {
        long k = seq - baseSeq;
        if (k < 0 || k >= expected) {
            return;
        }
        if (cmd.resultCode != CommandResultCode.SUCCESS) {
            nonSuccess++;
            codeCounts[cmd.resultCode.ordinal()]++;
        }
        int f = 0;
        for (MatcherTradeEvent ev = cmd.matcherEvent; ev != null; ev = ev.nextEvent) {
            if (ev.eventType == MatcherEventType.TRADE) {
                f++;
            }
        }
        if (f > 0) {
            tradingCommands++;
            fillEvents += f;
        }
        if (checkFills && f != s.fills[blockFrom + (int) k]) {
            fillMismatches++;
        }
        Histogram h = histogram;
        if (h != null) {
            h.recordValue(Math.min(System.nanoTime() - cmd.timestamp, highest));
        }
        if (++done == expected) {
            lastCompletion = System.nanoTime();
            finished = true;
        }
    }

    @Override
    public void close() {
        try {
            core.shutdown(10, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            System.err.println("exchange-core did not stop cleanly: " + e);
        }
    }

    /**
     * One block: commands, wall time from the start of publication to the last result, commands not
     * answered SUCCESS (by result code), commands that traded, trade events, and commands whose number of
     * trades differs from what the Bourse core produced for the same command.
     */
    public record Result(long commands, long nanos, long nonSuccess, Map<String, Long> codes, long tradingCommands,
                         long fills, long fillMismatches) {
        public double commandsPerSecond() {
            return commands * 1e9 / nanos;
        }
    }
}
