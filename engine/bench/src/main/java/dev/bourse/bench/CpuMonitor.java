package dev.bourse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How busy the machine was with other processes during a measurement (Linux: /proc/stat against
 * /proc/self/stat). On a shared 2-core machine another build running during a run invalidates it; the
 * harness prints this next to every figure so that such runs are visible.
 */
final class CpuMonitor {
    private long total;
    private long busy;
    private long self;
    private final boolean available;

    CpuMonitor() {
        available = Files.isReadable(Path.of("/proc/stat")) && Files.isReadable(Path.of("/proc/self/stat"));
        start();
    }

    void start() {
        if (!available) {
            return;
        }
        long[] s = system();
        total = s[0];
        busy = s[1];
        self = self();
    }

    /** Share of all CPU time (all cores) used by other processes since {@link #start()}, in percent. */
    double foreignPercent() {
        if (!available) {
            return Double.NaN;
        }
        long[] s = system();
        long dt = s[0] - total;
        long db = s[1] - busy;
        long ds = self() - self;
        return dt <= 0 ? 0 : Math.max(0, 100.0 * (db - ds) / dt);
    }

    /**
     * Waits (up to {@code maxSeconds}) until other processes have used less than 5 % of the machine for
     * three consecutive seconds; returns whether it got there.
     */
    static boolean awaitQuiet(int maxSeconds) {
        if (maxSeconds <= 0) {
            return true;
        }
        CpuMonitor m = new CpuMonitor();
        if (!m.available) {
            return true;
        }
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        int quiet = 0;
        boolean said = false;
        while (System.nanoTime() < deadline) {
            m.start();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            double f = m.foreignPercent();
            quiet = f < 5 ? quiet + 1 : 0;
            if (quiet >= 3) {
                return true;
            }
            if (!said && quiet == 0) {
                System.out.printf(Locale.ROOT, "   (waiting for the machine to be idle: other processes at %.0f%%)%n", f);
                said = true;
            }
        }
        System.out.println("   (machine still busy; measuring anyway)");
        return false;
    }

    String describe() {
        double f = foreignPercent();
        return Double.isNaN(f) ? "" : String.format(Locale.ROOT, "[other processes: %.1f%% of the machine]", f);
    }

    private static long[] system() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0); // "cpu  user nice system idle iowait irq softirq steal ..."
            String[] f = cpu.trim().split("\\s+");
            long sum = 0;
            long idle = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                long v = Long.parseLong(f[i]);
                sum += v;
                if (i == 4 || i == 5) {
                    idle += v;
                }
            }
            return new long[] {sum, sum - idle};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static long self() {
        try {
            String st = Files.readString(Path.of("/proc/self/stat"));
            String[] f = st.substring(st.lastIndexOf(')') + 2).trim().split("\\s+");
            // after the command: state(0) ... utime is field 14 of the full line, i.e. index 11 here
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
