package dev.bourse.bench.drills;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FaultProxyTest {

    /** A fake exchange: answers any request with a 101 head, then the given text frames. */
    private static ServerSocket upstream(List<String> frames) throws IOException {
        ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (true) {
                try (Socket s = ss.accept()) {
                    s.getInputStream().read(new byte[1024]);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (String f : frames) {
                        out.write(frame(f));
                    }
                    out.flush();
                    Thread.sleep(200);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        return ss;
    }

    static byte[] frame(String text) {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x81);
        if (p.length < 126) {
            b.write(p.length);
        } else {
            b.write(126);
            b.write(p.length >> 8);
            b.write(p.length & 0xff);
        }
        b.writeBytes(p);
        return b.toByteArray();
    }

    private static List<String> readFrames(Socket s, int n) throws IOException {
        InputStream in = s.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FaultProxy.Frame f = FaultProxy.Frame.read(in);
            if (f == null) {
                break;
            }
            out.add(new String(f.payload(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void dropsExactlyOneMatchingFrameAndForwardsTheRestWhole() throws Exception {
        String big = "x".repeat(300); // 16-bit length form
        try (ServerSocket up = upstream(List.of("{\"seqId\":1}", "{\"seqId\":2}", big, "{\"seqId\":3}"));
             FaultProxy proxy = new FaultProxy("127.0.0.1", up.getLocalPort())) {
            proxy.dropServerFrame(t -> t.contains("\"seqId\""));
            try (Socket c = new Socket("127.0.0.1", proxy.port())) {
                c.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                List<String> got = readFrames(c, 3);
                assertEquals(List.of("{\"seqId\":2}", big, "{\"seqId\":3}"), got);
            }
            assertEquals(1, proxy.droppedFrames());
        }
    }

    @Test
    void cutClosesConnectionsAndRefusesNewOnesForAWhile() throws Exception {
        try (ServerSocket up = upstream(List.of("a"));
             FaultProxy proxy = new FaultProxy("127.0.0.1", up.getLocalPort())) {
            Socket c = new Socket("127.0.0.1", proxy.port());
            c.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(List.of("a"), readFrames(c, 1));
            proxy.cut(60_000);
            assertEquals(-1, c.getInputStream().read(), "the open connection is closed");
            try (Socket again = new Socket("127.0.0.1", proxy.port())) {
                again.setSoTimeout(2_000);
                assertThrows(IOException.class, () -> {
                    if (again.getInputStream().read() < 0) {
                        throw new IOException("refused");
                    }
                });
            }
            assertEquals(1, proxy.connections());
        }
    }

    @Test
    void theUpgradeRequestLosesItsExtensionOfferAndNothingElse() throws Exception {
        String head = "GET /ws/v5/public HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                + "sec-websocket-extensions: permessage-deflate; client_max_window_bits\r\nSec-WebSocket-Version: 13\r\n\r\n";
        byte[] out = FaultProxy.withoutExtensions(head.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("GET /ws/v5/public HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n",
                new String(out, StandardCharsets.ISO_8859_1));

        // and through a running proxy: the server sees the head without it, then the client's bytes unchanged
        try (ServerSocket up = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             FaultProxy proxy = new FaultProxy("127.0.0.1", up.getLocalPort());
             Socket c = new Socket("127.0.0.1", proxy.port())) {
            c.getOutputStream().write((head + "tail").getBytes(StandardCharsets.ISO_8859_1));
            try (Socket server = up.accept()) {
                server.setSoTimeout(5_000);
                byte[] expected = (new String(out, StandardCharsets.ISO_8859_1) + "tail").getBytes(StandardCharsets.ISO_8859_1);
                assertEquals(new String(expected, StandardCharsets.ISO_8859_1),
                        new String(server.getInputStream().readNBytes(expected.length), StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void compressedOrFragmentedFramesAreNeverMatched() throws Exception {
        byte[] plain = frame("{\"seqId\":1}");
        byte[] compressed = plain.clone();
        compressed[0] = (byte) 0xC1; // FIN + RSV1 (permessage-deflate) + text
        byte[] fragment = plain.clone();
        fragment[0] = (byte) 0x01; // text without FIN: the first part of a longer message
        assertEquals(true, FaultProxy.Frame.read(new java.io.ByteArrayInputStream(plain)).whole());
        assertEquals(false, FaultProxy.Frame.read(new java.io.ByteArrayInputStream(compressed)).whole());
        assertEquals(false, FaultProxy.Frame.read(new java.io.ByteArrayInputStream(fragment)).whole());
    }
}
