package dev.bourse.client.rest.gate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A caller's "stop": cancels a call whether it waits in the gate, sleeps before a retry, or is on the wire. Listeners
 * run once, on the cancelling thread; one registered after cancellation runs at once.
 */
public final class Cancellation {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean canceled;

    public void cancel() {
        if (canceled) {
            return;
        }
        canceled = true;
        synchronized (this) {
            notifyAll();
        }
        for (Runnable r : listeners) {
            r.run();
        }
    }

    public boolean isCanceled() {
        return canceled;
    }

    /** Runs {@code r} on cancellation; closing the returned handle unregisters it. */
    public Registration onCancel(Runnable r) {
        listeners.add(r);
        if (canceled) {
            r.run();
        }
        return () -> listeners.remove(r);
    }

    /** Sleeps up to {@code nanos}; returns early (false) when cancelled. */
    public boolean sleep(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (this) {
            while (!canceled) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                long ms = left / 1_000_000;
                wait(ms, (int) (left % 1_000_000));
            }
        }
        return false;
    }

    /** Unregisters a listener. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
