package dev.bourse.server.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;

import java.util.ArrayDeque;

/**
 * The frames waiting for one connection and the virtual thread that writes them. Nobody else writes to
 * the session, so a slow client blocks only its own writer; producers never wait: a full queue (frames
 * or characters) makes {@link #offer} return false and the caller closes the connection.
 */
final class Outbound {
    sealed interface Frame permits Text, Pong, Close {
    }

    /** @param receivedNanos when the projection received the data (0 for replies): push latency */
    record Text(String text, long receivedNanos) implements Frame {
    }

    record Pong(byte[] payload) implements Frame {
    }

    record Close(int code, String reason) implements Frame {
    }

    interface Sink {
        void sent(Text frame);

        void closeSent();

        void failed(Throwable t);
    }

    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    private final int maxFrames;
    private final long maxChars;
    private long chars;
    private Close close;
    private boolean finished;
    private Thread writer;

    Outbound(int maxFrames, long maxChars) {
        this.maxFrames = maxFrames;
        this.maxChars = maxChars;
    }

    void start(WsSession session, String name, Sink sink) {
        writer = Thread.ofVirtual().name(name).start(() -> run(session, sink));
    }

    /** Queues a frame; false when the queue is full (the connection is too slow). After close: dropped, true. */
    synchronized boolean offer(Frame f) {
        if (close != null || finished) {
            return true;
        }
        long len = f instanceof Text t ? t.text().length() : 0;
        if (queue.size() >= maxFrames || chars + len > maxChars) {
            return false;
        }
        queue.addLast(f);
        chars += len;
        notifyAll();
        return true;
    }

    /** Sends {@code code}/{@code reason} after what is queued, or instead of it when {@code discard}. */
    synchronized void close(int code, String reason, boolean discard) {
        if (close != null || finished) {
            return;
        }
        if (discard) {
            queue.clear();
            chars = 0;
        }
        close = new Close(code, reason);
        notifyAll();
    }

    /** Stops the writer without sending anything (the socket is gone). */
    void abort() {
        synchronized (this) {
            finished = true;
            queue.clear();
            notifyAll();
        }
        Thread t = writer;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt(); // a virtual thread blocked on a socket write: interrupting it closes the socket
        }
    }

    synchronized int size() {
        return queue.size();
    }

    private void run(WsSession session, Sink sink) {
        try {
            while (true) {
                Frame f;
                synchronized (this) {
                    while (queue.isEmpty() && close == null && !finished) {
                        wait();
                    }
                    if (finished) {
                        return;
                    }
                    f = queue.pollFirst();
                    if (f == null) {
                        f = close;
                    } else if (f instanceof Text t) {
                        chars -= t.text().length();
                    }
                }
                switch (f) {
                    case Text t -> {
                        session.send(t.text(), true);
                        sink.sent(t);
                    }
                    case Pong p -> session.pong(BufferData.create(p.payload()));
                    case Close c -> {
                        session.close(c.code(), c.reason());
                        synchronized (this) {
                            finished = true;
                        }
                        sink.closeSent();
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            synchronized (this) {
                finished = true;
                queue.clear();
            }
            sink.failed(e);
        }
    }
}
