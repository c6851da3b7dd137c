package dev.bourse.client.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * An OKX-speaking WebSocket server on MockWebServer for client tests: answers {@code ping}, {@code login},
 * {@code subscribe} and {@code unsubscribe} as OKX does (each switchable), hands order ops to a test function, and
 * records every connection and every text it received so a test can wait for them.
 */
public final class FakeOkxServer implements AutoCloseable {
    public static final ObjectMapper M = new ObjectMapper();

    public final MockWebServer server = new MockWebServer();
    public final BlockingQueue<Conn> opened = new LinkedBlockingQueue<>();
    public final List<Conn> conns = new CopyOnWriteArrayList<>();
    private final AtomicInteger connIds = new AtomicInteger();

    public volatile boolean answerPings = true;
    public volatile boolean ackSubscriptions = true;
    /** Refuse login with this code (null: accept). */
    public volatile String loginError;
    /** Subscriptions to these instruments are refused with 60018. */
    public volatile Set<String> refusedInstIds = Set.of();
    /** Called after a subscription was acknowledged (to push a snapshot, say). */
    public volatile BiConsumer<Conn, JsonNode> afterSubscribe = (c, arg) -> { };
    /** Called before an unsubscription is acknowledged. */
    public volatile BiConsumer<Conn, JsonNode> beforeUnsubscribe = (c, arg) -> { };
    /** Answers an order op (null: no answer). */
    public volatile BiFunction<Conn, JsonNode, String> ops = (c, req) -> null;

    public FakeOkxServer() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                Conn c = new Conn("c" + connIds.incrementAndGet(), request.getUrl().encodedPath());
                return new MockResponse.Builder().webSocketUpgrade(c).build();
            }
        });
        server.start();
    }

    public String url(String path) {
        return "ws://" + server.getHostName() + ":" + server.getPort() + path;
    }

    /** The next connection opened, waiting up to {@code timeout}. */
    public Conn nextConnection(Duration timeout) throws InterruptedException {
        Conn c = opened.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            fail("no connection within " + timeout);
        }
        return c;
    }

    @Override
    public void close() {
        for (Conn c : conns) {
            WebSocket ws = c.ws;
            if (ws != null) {
                ws.close(1001, "server stopping");
            }
        }
        server.close();
    }

    /** One client connection as the server sees it. */
    public final class Conn extends WebSocketListener {
        public final String connId;
        public final String path;
        public final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        public final List<String> all = new CopyOnWriteArrayList<>();
        public volatile WebSocket ws;
        public volatile boolean closedByClient;

        Conn(String connId, String path) {
            this.connId = connId;
            this.path = path;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            ws = webSocket;
            conns.add(this);
            opened.add(this);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            all.add(text);
            received.add(text);
            if (text.equals("ping")) {
                if (answerPings) {
                    webSocket.send("pong");
                }
                return;
            }
            JsonNode req;
            try {
                req = M.readTree(text);
            } catch (IOException e) {
                return;
            }
            String id = req.path("id").asText(null);
            switch (req.path("op").asText("")) {
                case "login" -> {
                    String err = loginError;
                    send(err == null ? event(id, "login").put("code", "0").put("msg", "")
                            : event(id, "error").put("code", err).put("msg", "Invalid sign"));
                }
                case "subscribe" -> {
                    if (!ackSubscriptions) {
                        return;
                    }
                    for (JsonNode arg : req.path("args")) {
                        String instId = arg.path("instId").asText("");
                        if (refusedInstIds.contains(instId)) {
                            send(event(id, "error").put("code", "60018").put("msg", "Wrong URL or channel:"
                                    + arg.path("channel").asText() + ",instId:" + instId + " doesn't exist."));
                        } else {
                            ObjectNode ack = event(id, "subscribe");
                            ack.set("arg", arg);
                            send(ack);
                            afterSubscribe.accept(this, arg);
                        }
                    }
                }
                case "unsubscribe" -> {
                    for (JsonNode arg : req.path("args")) {
                        beforeUnsubscribe.accept(this, arg);
                        ObjectNode ack = event(id, "unsubscribe");
                        ack.set("arg", arg);
                        send(ack);
                    }
                }
                default -> {
                    String answer = ops.apply(this, req);
                    if (answer != null) {
                        webSocket.send(answer);
                    }
                }
            }
        }

        private ObjectNode event(String id, String event) {
            ObjectNode n = M.createObjectNode();
            if (id != null) {
                n.put("id", id);
            }
            n.put("event", event);
            n.put("connId", connId);
            return n;
        }

        public void send(JsonNode n) {
            ws.send(n.toString());
        }

        public void send(String text) {
            ws.send(text);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            closedByClient = true;
            webSocket.close(1000, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            closedByClient = true;
        }

        /** Waits for the next received text matching {@code p} (skipping others), failing after {@code timeout}. */
        public String await(Predicate<String> p, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                String s = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
                if (s == null) {
                    fail(connId + ": nothing matching within " + timeout + "; received " + all);
                }
                if (p.test(s)) {
                    return s;
                }
            }
        }

        public JsonNode awaitOp(String op, Duration timeout) throws Exception {
            return M.readTree(await(s -> s.contains("\"op\":\"" + op + "\""), timeout));
        }
    }
}
