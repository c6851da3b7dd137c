package dev.bourse.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a load run observed, recorded from many trader threads at once. Latencies go into HdrHistogram
 * {@link Recorder}s (microseconds, 3 significant digits); {@link #tick} closes one interval (a second of the run)
 * and folds it into the totals, so the report has both the whole-run percentiles and a per-second timeline.
 * Nothing recorded after the last tick is in the totals.
 */
public final class LoadRecorder {
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    /** The WebSocket pushes whose latency is measured. */
    public enum Push {
        /** The private {@code orders} channel: own order sent → first push about it (local clock only). */
        ORDERS,
        /** The public {@code trades} channel: the trade's {@code ts} → receipt (server clock estimate). */
        TRADES
    }

    private final Recorder ack = new Recorder(HIGHEST_MICROS, 3);
    private final Recorder lag = new Recorder(HIGHEST_MICROS, 3);
    private final Recorder ordersPush = new Recorder(HIGHEST_MICROS, 3);
    private final Recorder tradesPush = new Recorder(HIGHEST_MICROS, 3);
    private final Histogram ackTotal = new Histogram(HIGHEST_MICROS, 3);
    private final Histogram lagTotal = new Histogram(HIGHEST_MICROS, 3);
    private final Histogram ordersPushTotal = new Histogram(HIGHEST_MICROS, 3);
    private final Histogram tradesPushTotal = new Histogram(HIGHEST_MICROS, 3);
    private Histogram ackInterval;
    private Histogram lagInterval;
    private Histogram ordersInterval;
    private Histogram tradesInterval;

    private final LongAdder sent = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder fills = new LongAdder();
    private final LongAdder ordersPushes = new LongAdder();
    private final LongAdder tradesPushes = new LongAdder();
    private final Map<String, OpCounts> ops = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejectReasons = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final List<Interval> timeline = new ArrayList<>();
    private long lastSent;
    private long lastAccepted;
    private long lastRejected;
    private long lastFailed;

    /** One closed interval of the timeline. Latencies in microseconds. */
    public record Interval(long second, long sent, long accepted, long rejected, long failed, long ackP50,
                           long ackP99, long ackMax, long ordersPushP50, long ordersPushP99, long tradesPushP50,
                           long tradesPushP99) {
    }

    /** What became of one kind of operation ({@code place.limit}, {@code cancel}, {@code amend} …). */
    public record OpTotals(long sent, long accepted, long rejected, long failed) {
    }

    private static final class OpCounts {
        final LongAdder sent = new LongAdder();
        final LongAdder accepted = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder failed = new LongAdder();
    }

    private OpCounts op(String name) {
        return ops.computeIfAbsent(name, k -> new OpCounts());
    }

    /** An operation of kind {@code op} went out. */
    public void sent(String op) {
        sent.increment();
        op(op).sent.increment();
    }

    /** It went out {@code micros} after its intended time (the generator's own lag, or a full in-flight window). */
    public void lagged(long micros) {
        lag.recordValue(clamp(micros));
    }

    /** The exchange accepted it (code 0 / sCode 0); {@code micros} from its intended send time to the answer. */
    public void accepted(String op, long micros) {
        accepted.increment();
        op(op).accepted.increment();
        ack.recordValue(clamp(micros));
    }

    /** The exchange answered with a refusal: counted by {@code code msg} (the latency still counts as an ack). */
    public void rejected(String op, String code, String msg, long micros) {
        rejected.increment();
        op(op).rejected.increment();
        rejectReasons.computeIfAbsent(code + " " + (msg == null ? "" : msg), k -> new LongAdder()).increment();
        ack.recordValue(clamp(micros));
    }

    /** No answer: not sent, timed out, connection lost; counted by {@code kind}. */
    public void failed(String op, String kind) {
        failed.increment();
        op(op).failed.increment();
        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public void filled(long count) {
        fills.add(count);
    }

    /** A WebSocket push arrived {@code micros} after the event it reports. */
    public void pushed(Push kind, long micros) {
        if (kind == Push.ORDERS) {
            ordersPushes.increment();
            ordersPush.recordValue(clamp(micros));
        } else {
            tradesPushes.increment();
            tradesPush.recordValue(clamp(micros));
        }
    }

    /** Closes the interval that ends now, as second {@code second} of the run. */
    public synchronized Interval tick(long second) {
        ackInterval = ack.getIntervalHistogram(ackInterval);
        lagInterval = lag.getIntervalHistogram(lagInterval);
        ordersInterval = ordersPush.getIntervalHistogram(ordersInterval);
        tradesInterval = tradesPush.getIntervalHistogram(tradesInterval);
        ackTotal.add(ackInterval);
        lagTotal.add(lagInterval);
        ordersPushTotal.add(ordersInterval);
        tradesPushTotal.add(tradesInterval);
        long s = sent.sum();
        long a = accepted.sum();
        long r = rejected.sum();
        long f = failed.sum();
        Interval i = new Interval(second, s - lastSent, a - lastAccepted, r - lastRejected, f - lastFailed,
                ackInterval.getValueAtPercentile(50), ackInterval.getValueAtPercentile(99), ackInterval.getMaxValue(),
                ordersInterval.getValueAtPercentile(50), ordersInterval.getValueAtPercentile(99),
                tradesInterval.getValueAtPercentile(50), tradesInterval.getValueAtPercentile(99));
        lastSent = s;
        lastAccepted = a;
        lastRejected = r;
        lastFailed = f;
        timeline.add(i);
        return i;
    }

    public synchronized Histogram ackHistogram() {
        return ackTotal.copy();
    }

    public synchronized Histogram lagHistogram() {
        return lagTotal.copy();
    }

    public synchronized Histogram pushHistogram(Push kind) {
        return (kind == Push.ORDERS ? ordersPushTotal : tradesPushTotal).copy();
    }

    public synchronized List<Interval> timeline() {
        return List.copyOf(timeline);
    }

    public long sentCount() {
        return sent.sum();
    }

    public long acceptedCount() {
        return accepted.sum();
    }

    public long rejectedCount() {
        return rejected.sum();
    }

    public long failedCount() {
        return failed.sum();
    }

    public long fillCount() {
        return fills.sum();
    }

    public long pushCount(Push kind) {
        return (kind == Push.ORDERS ? ordersPushes : tradesPushes).sum();
    }

    public Map<String, OpTotals> operations() {
        Map<String, OpTotals> out = new TreeMap<>();
        ops.forEach((k, c) -> out.put(k, new OpTotals(c.sent.sum(), c.accepted.sum(), c.rejected.sum(),
                c.failed.sum())));
        return out;
    }

    public Map<String, Long> rejectReasons() {
        return sorted(rejectReasons);
    }

    public Map<String, Long> failures() {
        return sorted(failures);
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static long clamp(long micros) {
        return Math.max(0, Math.min(micros, HIGHEST_MICROS));
    }
}
