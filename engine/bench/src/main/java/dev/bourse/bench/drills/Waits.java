package dev.bourse.bench.drills;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling with a deadline: short sleeps, never a fixed long one. */
final class Waits {
    private Waits() {
    }

    /** Polls {@code condition} every 20 ms until it holds (true) or {@code timeout} passes (false). */
    static boolean until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean ok;
            try {
                ok = condition.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (ok) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(20);
        }
    }
}
