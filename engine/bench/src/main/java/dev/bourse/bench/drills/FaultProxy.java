package dev.bourse.bench.drills;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * A TCP proxy between a WebSocket client and the exchange that can break things on purpose, for the drills:
 * {@link #cut} drops every connection and refuses new ones for a while (network loss), and
 * {@link #dropServerFrame} swallows one server-to-client WebSocket text frame that matches (a sequence gap).
 * Server-to-client bytes are parsed as an HTTP response head followed by WebSocket frames (unmasked, RFC 6455), so a
 * frame is dropped whole and the stream stays well-formed. Client-to-server bytes pass unchanged except for one
 * header of the upgrade request: {@code Sec-WebSocket-Extensions} is removed, so that no compression
 * (permessage-deflate, which okhttp offers on every connection) is negotiated and payloads stay readable here,
 * whichever server is behind the proxy. Only whole, uncompressed text frames are matched against a drop rule.
 */
public final class FaultProxy implements Closeable {
    private static final Logger LOG = Logger.getLogger(FaultProxy.class.getName());

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Predicate<String>> dropRule = new AtomicReference<>();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile long refuseUntilNanos;
    private volatile boolean closed;

    public FaultProxy(String targetHost, int targetPort) throws IOException {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("fault-proxy-accept").start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far (a reconnect shows up here). */
    public int connections() {
        return accepted.get();
    }

    public int droppedFrames() {
        return dropped.get();
    }

    /** Network loss: closes every proxied connection and refuses new ones for {@code millis}. */
    public void cut(long millis) {
        refuseUntilNanos = System.nanoTime() + millis * 1_000_000L;
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    /** Swallows the next server-to-client text frame whose payload matches {@code rule}. */
    public void dropServerFrame(Predicate<String> rule) {
        dropRule.set(rule);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warning("fault proxy accept failed: " + e.getMessage());
                }
                return;
            }
            if (System.nanoTime() < refuseUntilNanos) {
                closeQuietly(client);
                continue;
            }
            accepted.incrementAndGet();
            try {
                Socket upstream = new Socket();
                upstream.connect(target, 2_000);
                upstream.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> clientToServer(client, upstream));
                Thread.ofVirtual().start(() -> serverToClient(upstream, client));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void clientToServer(Socket from, Socket to) {
        byte[] buf = new byte[16_384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            out.write(withoutExtensions(readHead(in)));
            out.flush();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // one side went away: the finally closes both
        } finally {
            closeBoth(from, to);
        }
    }

    private void serverToClient(Socket upstream, Socket client) {
        try (InputStream in = upstream.getInputStream(); OutputStream out = client.getOutputStream()) {
            copyHead(in, out);
            while (true) {
                Frame f = Frame.read(in);
                if (f == null) {
                    return;
                }
                Predicate<String> rule = dropRule.get();
                if (rule != null && f.opcode() == 1 && f.whole() && rule.test(new String(f.payload(), StandardCharsets.UTF_8))
                        && dropRule.compareAndSet(rule, null)) {
                    dropped.incrementAndGet();
                    continue;
                }
                out.write(f.raw());
                out.flush();
            }
        } catch (IOException ignored) {
            // closed by cut() or by either side
        } finally {
            closeBoth(upstream, client);
        }
    }

    /** The HTTP request head through its blank line, as bytes. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed during the handshake");
            }
            if (head.size() > 64 * 1024) {
                throw new IOException("request head too large");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    /** The request head without its {@code Sec-WebSocket-Extensions} lines (ISO-8859-1 keeps bytes as they are). */
    static byte[] withoutExtensions(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\r\n", -1)) {
            if (!line.regionMatches(true, 0, "Sec-WebSocket-Extensions:", 0, 25)) {
                out.append(line).append("\r\n");
            }
        }
        out.setLength(out.length() - 2); // split's last (empty) piece got a separator it did not have
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Copies the HTTP response head (through the blank line) unchanged. */
    private static void copyHead(InputStream in, OutputStream out) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("upstream closed during the handshake");
            }
            out.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        out.flush();
    }

    /** One WebSocket frame as received, kept whole so it can be forwarded byte for byte. */
    record Frame(int flags, int opcode, byte[] payload, byte[] raw) {
        /** FIN set and RSV1 (compressed) clear: the payload is a complete, readable message. */
        boolean whole() {
            return (flags & 0x80) != 0 && (flags & 0x40) == 0;
        }

        static Frame read(InputStream in) throws IOException {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = readByte(in);
            raw.write(b0);
            raw.write(b1);
            long len = b1 & 0x7f;
            if (len == 126) {
                byte[] ext = in.readNBytes(2);
                raw.write(ext);
                len = ((ext[0] & 0xff) << 8) | (ext[1] & 0xff);
            } else if (len == 127) {
                byte[] ext = in.readNBytes(8);
                raw.write(ext);
                len = 0;
                for (byte e : ext) {
                    len = (len << 8) | (e & 0xff);
                }
            }
            byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
            if (mask != null) {
                raw.write(mask);
            }
            if (len > 64L * 1024 * 1024) {
                throw new IOException("frame too large: " + len);
            }
            byte[] body = in.readNBytes((int) len);
            if (body.length != len) {
                throw new IOException("truncated frame");
            }
            raw.write(body);
            byte[] payload = body;
            if (mask != null) {
                payload = body.clone();
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            return new Frame(b0 & 0xf0, b0 & 0x0f, payload, raw.toByteArray());
        }

        private static int readByte(InputStream in) throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new IOException("truncated frame header");
            }
            return b;
        }
    }

    private void closeBoth(Socket a, Socket b) {
        closeQuietly(a);
        closeQuietly(b);
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            closeQuietly(s);
        }
    }
}
