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
 */
public final class LoadRecorder {
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final Recorder ack = new Recorder(HIGHEST_MICROS, 3);
    private final Recorder push = new Recorder(HIGHEST_MICROS, 3);
    private final Histogram ackTotal = new Histogram(HIGHEST_MICROS, 3);
    private final Histogram pushTotal = new Histogram(HIGHEST_MICROS, 3);
    private Histogram ackInterval;
    private Histogram pushInterval;

    private final LongAdder sent = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder fills = new LongAdder();
    private final LongAdder pushes = new LongAdder();
    private final Map<String, LongAdder> rejectReasons = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final List<Interval> timeline = new ArrayList<>();
    private long lastSent;
    private long lastAccepted;
    private long lastRejected;
    private long lastFailed;

    /** One closed interval of the timeline. Latencies in microseconds. */
    public record Interval(long second, long sent, long accepted, long rejected, long failed, long ackP50,
                           long ackP99, long ackMax, long pushP50, long pushP99) {
    }

    public void sent() {
        sent.increment();
    }

    /** The exchange accepted the request (code 0 / sCode 0); {@code micros} from intended send time to the ack. */
    public void accepted(long micros) {
        accepted.increment();
        ack.recordValue(clamp(micros));
    }

    /** The exchange answered with a refusal: counted by {@code code msg} (the latency still counts as an ack). */
    public void rejected(String code, String msg, long micros) {
        rejected.increment();
        rejectReasons.computeIfAbsent(code + " " + (msg == null ? "" : msg), k -> new LongAdder()).increment();
        ack.recordValue(clamp(micros));
    }

    /** No answer: not sent, timed out, connection lost. */
    public void failed(String kind) {
        failed.increment();
        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public void filled(long count) {
        fills.add(count);
    }

    /** A WebSocket push arrived {@code micros} after the event it reports. */
    public void pushed(long micros) {
        pushes.increment();
        push.recordValue(clamp(micros));
    }

    /** Closes the interval that ends now, as second {@code second} of the run. */
    public synchronized Interval tick(long second) {
        ackInterval = ack.getIntervalHistogram(ackInterval);
        pushInterval = push.getIntervalHistogram(pushInterval);
        ackTotal.add(ackInterval);
        pushTotal.add(pushInterval);
        long s = sent.sum();
        long a = accepted.sum();
        long r = rejected.sum();
        long f = failed.sum();
        Interval i = new Interval(second, s - lastSent, a - lastAccepted, r - lastRejected, f - lastFailed,
                ackInterval.getValueAtPercentile(50), ackInterval.getValueAtPercentile(99), ackInterval.getMaxValue(),
                pushInterval.getValueAtPercentile(50), pushInterval.getValueAtPercentile(99));
        lastSent = s;
        lastAccepted = a;
        lastRejected = r;
        lastFailed = f;
        timeline.add(i);
        return i;
    }

    /** Forgets everything recorded so far (end of the warm-up). */
    public synchronized void reset() {
        ack.reset();
        push.reset();
        ackTotal.reset();
        pushTotal.reset();
        sent.reset();
        accepted.reset();
        rejected.reset();
        failed.reset();
        fills.reset();
        pushes.reset();
        rejectReasons.clear();
        failures.clear();
        timeline.clear();
        lastSent = lastAccepted = lastRejected = lastFailed = 0;
    }

    public synchronized Histogram ackHistogram() {
        return ackTotal.copy();
    }

    public synchronized Histogram pushHistogram() {
        return pushTotal.copy();
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

    public long pushCount() {
        return pushes.sum();
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
