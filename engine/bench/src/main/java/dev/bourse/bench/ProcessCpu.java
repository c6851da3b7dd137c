package dev.bourse.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the CPU of the machine went during a phase of {@link DurableSequencerBench} (Linux /proc):
 * this JVM (and in it the shard's sequencer thread and the generator thread), the PostgreSQL backends
 * serving the benchmark's database, the rest of PostgreSQL (WAL writer, checkpointer, background
 * writer, autovacuum, and the postmaster), and everything else on the machine. Figures are in percent
 * of one core; the machine has {@link #cores} of them.
 */
final class ProcessCpu {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux
    static final int cores = Runtime.getRuntime().availableProcessors();

    private final String dbName;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    ProcessCpu(String dbName) {
        this.dbName = dbName;
    }

    /** One reading of the counters. */
    record Sample(long nanos, long machineBusy, long self, long pgMine, long pgOther, long sequencerNs, long generatorNs) {
    }

    Sample sample(long sequencerThreadId, long generatorThreadId) {
        long machineBusy = 0;
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    machineBusy += Long.parseLong(f[i]);
                }
            }
        } catch (IOException | RuntimeException e) {
            machineBusy = -1;
        }
        long self = ticks(Path.of("/proc/self/stat"));
        long mine = 0;
        long other = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
            for (Path p : procs) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException | RuntimeException e) {
                    continue; // gone
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < 0 || !stat.substring(open + 1, close).startsWith("postgres")) {
                    continue;
                }
                String cmd;
                try {
                    cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                } catch (IOException | RuntimeException e) {
                    continue;
                }
                long t = ticks(stat);
                if (cmd.contains(" " + dbName + " ")) {
                    mine += t;
                } else if (!isOtherBackend(cmd)) {
                    other += t;
                }
            }
        } catch (IOException e) {
            mine = -1;
        }
        return new Sample(System.nanoTime(), machineBusy, self, mine, other, threadCpu(sequencerThreadId),
                threadCpu(generatorThreadId));
    }

    /** "postgres: user db host(port) state": a backend of another database (another session's work). */
    private static boolean isOtherBackend(String cmd) {
        if (!cmd.startsWith("postgres: ")) {
            return false; // the postmaster itself
        }
        String rest = cmd.substring("postgres: ".length());
        return rest.contains("(") && (rest.contains("127.0.0.1") || rest.contains("[local]") || rest.contains("::1"));
    }

    private long threadCpu(long id) {
        if (id <= 0) {
            return 0;
        }
        long t = threads.getThreadCpuTime(id);
        return Math.max(0, t);
    }

    private static boolean isPid(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static long ticks(Path stat) {
        try {
            return ticks(Files.readString(stat));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of a /proc/PID/stat line. */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Percent of one core used between two samples. */
    record Usage(double jvm, double sequencer, double generator, double pgBackends, double pgRest, double others,
                 double machine) {
        String describe() {
            return String.format(Locale.ROOT,
                    "CPU, %% of one core: JVM %.0f (sequencer thread %.0f, generator %.0f), PostgreSQL backends %.0f, "
                            + "rest of PostgreSQL %.0f, other processes %.0f; machine %.0f of %d",
                    jvm, sequencer, generator, pgBackends, pgRest, others, machine, cores * 100);
        }
    }

    static Usage between(Sample a, Sample b) {
        double secs = Math.max(1e-9, (b.nanos() - a.nanos()) / 1e9);
        double toPct = 100.0 / (secs * TICKS_PER_SECOND);
        double machine = (b.machineBusy() - a.machineBusy()) * toPct;
        double jvm = (b.self() - a.self()) * toPct;
        double mine = (b.pgMine() - a.pgMine()) * toPct;
        double rest = (b.pgOther() - a.pgOther()) * toPct;
        double seq = (b.sequencerNs() - a.sequencerNs()) / 1e7 / secs;
        double gen = (b.generatorNs() - a.generatorNs()) / 1e7 / secs;
        return new Usage(jvm, seq, gen, mine, rest, Math.max(0, machine - jvm - mine - rest), machine);
    }
}
