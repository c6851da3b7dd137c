package dev.bourse.server.shard;

import dev.bourse.instrument.SymbolState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-symbol meters of one shard (runbook §2: queue length, matching time, rejects by reason, TPS,
 * hot-symbol share, halts, price-protection and self-trade-prevention hits). Counters are created once
 * per symbol and reason and then only incremented, so the sequencer does not allocate per command.
 */
final class SymbolMeters {
    private static final Duration[] LATENCY_SLOS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250)};

    private final MeterRegistry meters;
    private final String shard;
    private final String symbol;
    final AtomicInteger queued = new AtomicInteger();
    final Timer matching;
    final Timer latency;
    final Counter trades;
    final Counter stpHits;
    final Counter priceProtection;
    final Counter breakerTrips;
    volatile SymbolState state = SymbolState.TRADING;
    private final Map<String, Counter> commands = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejects = new ConcurrentHashMap<>();
    /** Every meter registered for the symbol, so they can go when the symbol leaves the shard. */
    private final java.util.List<io.micrometer.core.instrument.Meter> registered = new java.util.concurrent.CopyOnWriteArrayList<>();

    SymbolMeters(MeterRegistry meters, int shardId, String symbol) {
        this.meters = meters;
        this.shard = Integer.toString(shardId);
        this.symbol = symbol;
        registered.add(Gauge.builder("bourse_symbol_queue_length", queued, AtomicInteger::get).tags("shard", shard, "symbol", symbol)
                .description("Commands for the symbol waiting for the sequencer").register(meters));
        registered.add(Gauge.builder("bourse_symbol_halted", this, m -> m.state == SymbolState.TRADING ? 0 : 1)
                .tags("shard", shard, "symbol", symbol)
                .description("1 while the symbol is halted or cancel-only (operator, control plane or circuit breaker)")
                .register(meters));
        matching = Timer.builder("bourse_matching_seconds").tags("shard", shard, "symbol", symbol)
                .description("In-memory matching time of one command").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(500)).maximumExpectedValue(Duration.ofMillis(100)).register(meters);
        latency = Timer.builder("bourse_order_latency_seconds").tags("shard", shard, "symbol", symbol)
                .description("Enqueue to acknowledgement after commit, per symbol (SLO p99 < 10 ms)")
                .serviceLevelObjectives(LATENCY_SLOS).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(10)).register(meters);
        trades = Counter.builder("bourse_trades_total").tags("shard", shard, "symbol", symbol)
                .description("Fills (trades) matched").register(meters);
        stpHits = Counter.builder("bourse_stp_hits_total").tags("shard", shard, "symbol", symbol)
                .description("Orders canceled by self-trade prevention").register(meters);
        priceProtection = Counter.builder("bourse_price_protection_hits_total").tags("shard", shard, "symbol", symbol)
                .description("Orders refused or cut short by the price band").register(meters);
        breakerTrips = Counter.builder("bourse_breaker_trips_total").tags("shard", shard, "symbol", symbol)
                .description("Circuit-breaker halts").register(meters);
        registered.addAll(java.util.List.of(matching, latency, trades, stpHits, priceProtection, breakerTrips));
    }

    /**
     * Unregisters every meter of the symbol on this shard (it moved to another shard, whose meters take
     * over): a halted gauge left behind would keep reporting a halt that is no longer this shard's.
     */
    void remove() {
        registered.forEach(meters::remove);
        commands.values().forEach(meters::remove);
        rejects.values().forEach(meters::remove);
    }

    Counter command(String kind, boolean accepted) {
        String key = kind + (accepted ? ":a" : ":r");
        Counter c = commands.get(key);
        if (c == null) {
            c = commands.computeIfAbsent(key, k -> Counter.builder("bourse_symbol_commands_total")
                    .tags("shard", shard, "symbol", symbol, "command", kind, "result", accepted ? "accepted" : "rejected")
                    .description("Commands sequenced per symbol (TPS, hot-symbol share)").register(meters));
        }
        return c;
    }

    Counter reject(String reason) {
        Counter c = rejects.get(reason);
        if (c == null) {
            c = rejects.computeIfAbsent(reason, r -> Counter.builder("bourse_order_rejects_total")
                    .tags("shard", shard, "symbol", symbol, "reason", r)
                    .description("Refused commands by reason").register(meters));
        }
        return c;
    }

    static String kind(ShardCommand.Kind k) {
        return k.name().toLowerCase(Locale.ROOT).replace("set_symbol_state", "set_state");
    }
}
