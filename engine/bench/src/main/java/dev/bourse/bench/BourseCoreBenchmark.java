package dev.bourse.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Throughput of the Bourse core replaying the generated exchange-core-style stream (see
 * {@link StreamGenerator}): one invocation executes the next {@value #BATCH} commands; when the stream
 * is used up the engine is rebuilt and the books reloaded (outside the measurement) and replay starts
 * again from the first measured command. The score is commands per second.
 *
 * <pre>
 * java -jar engine/bench/target/benchmarks.jar BourseCoreBenchmark
 * java -jar engine/bench/target/benchmarks.jar BourseCoreBenchmark -p symbols=100 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class BourseCoreBenchmark {
    static final int BATCH = 10_000;

    @Param({"1", "100"})
    public int symbols;

    @Param("10000")
    public int users;

    @Param("2000000")
    public int commands;

    @Param("1")
    public long seed;

    private CommandStream stream;
    private BourseRunner runner;
    private int next;

    @Setup(Level.Trial)
    public void generate() {
        stream = StreamGenerator.generate(new MarketSpec(symbols, users), commands, seed, 1000);
        if (stream.measuredCount() < BATCH) {
            throw new IllegalArgumentException("commands must be >= " + BATCH);
        }
        runner = new BourseRunner(stream);
        runner.reset();
        next = stream.measureFrom;
    }

    @Setup(Level.Invocation)
    public void rewindWhenUsedUp() {
        if (next + BATCH > stream.length) {
            runner.reset();
            next = stream.measureFrom;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long replay() {
        int from = next;
        next = from + BATCH;
        long rejects = runner.replay(from, from + BATCH);
        if (rejects != 0) {
            throw new IllegalStateException(rejects + " commands rejected");
        }
        return rejects;
    }
}
