package dev.bourse.bench;

import dev.bourse.matching.Command;
import dev.bourse.matching.EngineListener;
import dev.bourse.matching.MatchingEngine;
import dev.bourse.matching.RejectReason;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import org.HdrHistogram.Histogram;

/**
 * Replays a {@link CommandStream} through the Bourse core on the calling thread: one engine, the
 * in-memory balance port, no listener ({@link EngineListener#NONE}), one reused {@link Command}.
 */
public final class BourseRunner {
    private static final Side[] SIDES = {Side.BUY, Side.SELL};
    private static final OrderType[] TYPES = {OrderType.LIMIT, OrderType.IOC};

    private final CommandStream s;
    private final EngineListener listener;
    private final Command c = new Command();
    private MatchingEngine engine;

    public BourseRunner(CommandStream stream) {
        this(stream, EngineListener.NONE);
    }

    public BourseRunner(CommandStream stream, EngineListener listener) {
        this.s = stream;
        this.listener = listener;
    }

    /** A fresh engine loaded with the stream's preload (the initial books); nothing of it is measured. */
    public void reset() {
        engine = s.spec.newBourseEngine(listener);
        for (int i = 0; i < s.measureFrom; i++) {
            RejectReason r = execute(i);
            if (r != null) {
                throw new IllegalStateException("preload command " + i + " rejected: " + r + " " + c);
            }
        }
    }

    public MatchingEngine engine() {
        return engine;
    }

    /** Executes command {@code i} of the stream; null if accepted. */
    public RejectReason execute(int i) {
        final long[] p = s.packed;
        final int b = i * CommandStream.WORDS;
        final long h = p[b];
        final int user = CommandStream.user(h);
        final int symbol = CommandStream.symbol(h);
        Command cmd = switch (CommandStream.type(h)) {
            case CommandStream.PLACE -> c.place(user, symbol, SIDES[CommandStream.side(h)],
                    TYPES[CommandStream.orderType(h)], p[b + 2], p[b + 3], null, StpMode.CANCEL_MAKER, i);
            case CommandStream.CANCEL -> c.cancel(user, symbol, p[b + 1], null, i);
            default -> c.amend(user, symbol, p[b + 1], null, p[b + 3], p[b + 2], i);
        };
        return engine.execute(cmd);
    }

    /** Executes {@code [from, to)} as fast as possible; returns the number of rejected commands. */
    public long replay(int from, int to) {
        long rejects = 0;
        for (int i = from; i < to; i++) {
            if (execute(i) != null) {
                rejects++;
            }
        }
        return rejects;
    }

    /** Replays the measured commands of a freshly {@link #reset()} engine; returns the result. */
    public Result runThroughput() {
        long t0 = System.nanoTime();
        long rejects = replay(s.measureFrom, s.length);
        long t1 = System.nanoTime();
        return new Result(s.measuredCount(), t1 - t0, rejects);
    }

    /**
     * Offers the measured commands of a freshly {@link #reset()} engine at {@code ratePerSecond}:
     * command k is planned at {@code start + k / rate}; the thread busy-waits until then, executes it and
     * records completion time minus planned time (so a stall delays and is charged to every command
     * planned behind it: no coordinated omission).
     */
    public Result runLatency(long ratePerSecond, Histogram histogram) {
        final int from = s.measureFrom;
        final int n = s.measuredCount();
        final long highest = histogram.getHighestTrackableValue();
        long rejects = 0;
        final long start = System.nanoTime() + 1_000_000;
        for (int k = 0; k < n; k++) {
            final long planned = start + (k * 1_000_000_000L) / ratePerSecond;
            while (System.nanoTime() < planned) {
                Thread.onSpinWait();
            }
            if (execute(from + k) != null) {
                rejects++;
            }
            histogram.recordValue(Math.min(System.nanoTime() - planned, highest));
        }
        long end = System.nanoTime();
        return new Result(n, end - start, rejects);
    }

    /**
     * Executes the measured commands of a freshly {@link #reset()} engine back to back and records the
     * time of each {@code execute} alone (two {@code System.nanoTime()} calls, ~20-30 ns, included).
     */
    public Result runServiceTime(Histogram histogram) {
        final int from = s.measureFrom;
        final int n = s.measuredCount();
        final long highest = histogram.getHighestTrackableValue();
        long rejects = 0;
        final long start = System.nanoTime();
        for (int k = 0; k < n; k++) {
            long t = System.nanoTime();
            if (execute(from + k) != null) {
                rejects++;
            }
            histogram.recordValue(Math.min(System.nanoTime() - t, highest));
        }
        return new Result(n, System.nanoTime() - start, rejects);
    }

    /**
     * The latency schedule of {@link #runLatency} with no work at all: what this thread, the OS and the
     * hypervisor add on their own (timer interrupts, preemption, vCPU steal). A floor for any engine.
     */
    public static Result runNoOpLatency(int n, long ratePerSecond, Histogram histogram) {
        final long highest = histogram.getHighestTrackableValue();
        final long start = System.nanoTime() + 1_000_000;
        for (int k = 0; k < n; k++) {
            final long planned = start + (k * 1_000_000_000L) / ratePerSecond;
            while (System.nanoTime() < planned) {
                Thread.onSpinWait();
            }
            histogram.recordValue(Math.min(System.nanoTime() - planned, highest));
        }
        return new Result(n, System.nanoTime() - start, 0);
    }

    /** Commands run, wall time and rejections of one run. */
    public record Result(long commands, long nanos, long rejects) {
        public double commandsPerSecond() {
            return commands * 1e9 / nanos;
        }
    }
}
