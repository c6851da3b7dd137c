package dev.bourse.client.ws;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Hands messages from the socket's reader thread to handlers: directly (inline) or through a bounded queue drained
 * by one worker thread, so handlers see messages in arrival order either way. A full queue blocks, drops or asks
 * the caller to disconnect, per {@link QueuePolicy}.
 */
final class HandlerQueue<T> implements AutoCloseable {
    /** Runs the handlers for one message; an exception is counted and reported, the next message still runs. */
    interface Sink<T> {
        void deliver(T item) throws Exception;
    }

    enum Offered { DELIVERED, QUEUED, DROPPED, DISCONNECT }

    private final String kind;
    private final Delivery delivery;
    private final Sink<T> sink;
    private final Consumer<String> onError;
    private final ArrayBlockingQueue<T> queue;
    private final Thread worker;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean closed;

    HandlerQueue(String kind, String threadName, Delivery delivery, Sink<T> sink, Consumer<String> onError) {
        this.kind = kind;
        this.delivery = delivery;
        this.sink = sink;
        this.onError = onError;
        if (delivery.isInline()) {
            this.queue = null;
            this.worker = null;
        } else {
            this.queue = new ArrayBlockingQueue<>(delivery.capacity());
            this.worker = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::drain);
            this.worker.start();
        }
    }

    /**
     * Delivers or queues {@code item}. Under BLOCK, waits for room while {@code keepWaiting} holds (the item is
     * dropped and counted once it stops holding, e.g. because its connection was lost).
     */
    Offered offer(T item, BooleanSupplier keepWaiting) {
        if (closed) {
            return Offered.DROPPED;
        }
        if (queue == null) {
            run(item);
            return Offered.DELIVERED;
        }
        if (queue.offer(item)) {
            return Offered.QUEUED;
        }
        switch (delivery.policy()) {
            case BLOCK -> {
                try {
                    while (!closed && keepWaiting.getAsBoolean()) {
                        if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                            return Offered.QUEUED;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                dropped.incrementAndGet();
                return Offered.DROPPED;
            }
            case DROP -> {
                dropped.incrementAndGet();
                return Offered.DROPPED;
            }
            default -> {
                dropped.incrementAndGet();
                return Offered.DISCONNECT;
            }
        }
    }

    private void drain() {
        while (!closed) {
            T item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            run(item);
        }
    }

    private void run(T item) {
        try {
            sink.deliver(item);
        } catch (Exception | LinkageError e) {
            errors.incrementAndGet();
            onError.accept(kind + " handler failed: " + e);
        }
    }

    int size() {
        return queue == null ? 0 : queue.size();
    }

    int capacity() {
        return delivery.capacity();
    }

    long dropped() {
        return dropped.get();
    }

    long errors() {
        return errors.get();
    }

    String kind() {
        return kind;
    }

    @Override
    public void close() {
        closed = true;
        if (worker != null) {
            worker.interrupt();
        }
    }
}
