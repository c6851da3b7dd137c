package dev.bourse.server.support;

import dev.bourse.testkit.EngineProcess;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A trader's OKX V5 WebSocket connection in tests, on the JDK client: every whole text message is kept
 * (in arrival order, with its arrival time) in an inbox that {@link #await} consumes and in a history
 * {@link #all()} that it does not, so a test can both wait for an answer and check everything pushed.
 * Login signs like an OKX client, written from OKX's documentation independently of the engine.
 */
public final class OkxWsClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A received text frame: raw text, its JSON (null for {@code pong}) and {@link System#nanoTime()} on arrival. */
    public record Message(String text, JsonNode json, long receivedNanos) {
    }

    private final LinkedBlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private final List<Message> all = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final String name;
    private final WebSocket ws;

    private OkxWsClient(String name, URI uri) {
        this.name = name;
        this.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new Listener()).join();
    }

    /** Connects to {@code path} ({@code /ws/v5/public} or {@code /ws/v5/private}) of an engine. */
    public static OkxWsClient connect(EngineProcess engine, String path) {
        URI base = engine.baseUri();
        return new OkxWsClient(engine.name() + path, URI.create("ws://" + base.getHost() + ":" + base.getPort() + path));
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.nanoTime();
                String text = partial.toString();
                partial.setLength(0);
                JsonNode json = null;
                if (text.startsWith("{")) {
                    try {
                        json = EngineProcess.MAPPER.readTree(text);
                    } catch (IOException e) {
                        json = null; // kept as text: the test asserts on it
                    }
                }
                Message m = new Message(text, json, now);
                all.add(m);
                inbox.add(m);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    /** OKX WS login: sign = Base64(HMAC-SHA256(secret, unixSeconds + "GET" + "/users/self/verify")). */
    public static String loginRequest(String id, OkxRestClient.Credentials creds, String signOverride) {
        String ts = Long.toString(System.currentTimeMillis() / 1000);
        String sign = signOverride != null ? signOverride : OkxRestClient.sign(creds.secret(), ts + "GET/users/self/verify");
        return EngineProcess.MAPPER.createObjectNode()
                .put("id", id)
                .put("op", "login")
                .set("args", EngineProcess.MAPPER.createArrayNode().add(EngineProcess.MAPPER.createObjectNode()
                        .put("apiKey", creds.apiKey())
                        .put("passphrase", creds.passphrase())
                        .put("timestamp", ts)
                        .put("sign", sign)))
                .toString();
    }

    /** Logs in and waits for the answer; fails unless it is {@code event: login, code: 0}. */
    public void login(OkxRestClient.Credentials creds) throws InterruptedException {
        send(loginRequest("login1", creds, null));
        JsonNode r = await(n -> "login1".equals(n.path("id").asText()), Duration.ofSeconds(10)).json();
        if (!"login".equals(r.path("event").asText()) || !"0".equals(r.path("code").asText())) {
            throw new AssertionError(name + ": login failed: " + r);
        }
    }

    /** Subscribes and waits for the acknowledgement; fails on an error answer. */
    public void subscribe(String argJson) throws InterruptedException {
        String id = "s" + Long.toHexString(System.nanoTime());
        send("{\"id\":\"" + id + "\",\"op\":\"subscribe\",\"args\":[" + argJson + "]}");
        JsonNode r = await(n -> id.equals(n.path("id").asText()), Duration.ofSeconds(10)).json();
        if (!"subscribe".equals(r.path("event").asText())) {
            throw new AssertionError(name + ": subscribe " + argJson + " refused: " + r);
        }
    }

    /** The next JSON message matching {@code p}; messages before it are consumed from the inbox (they stay in {@link #all()}). */
    public Message await(Predicate<JsonNode> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError(name + ": no matching message within " + timeout.toMillis() + " ms; last received: "
                        + tail(5));
            }
            if (m.json() != null && p.test(m.json())) {
                return m;
            }
        }
    }

    /** The next raw text frame equal to {@code text}. */
    public Message awaitText(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Message m = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError(name + ": no '" + text + "' within " + timeout.toMillis() + " ms");
            }
            if (m.text().equals(text)) {
                return m;
            }
        }
    }

    /** Sends an order operation and waits for the answer carrying the same {@code id}. */
    public JsonNode op(String id, String op, String argsJson) throws InterruptedException {
        send("{\"id\":\"" + id + "\",\"op\":\"" + op + "\",\"args\":[" + argsJson + "]}");
        return await(n -> id.equals(n.path("id").asText()) && n.has("op"), Duration.ofSeconds(15)).json();
    }

    /** Everything received so far, in order. */
    public List<Message> all() {
        return new ArrayList<>(all);
    }

    /** The JSON messages received so far whose {@code arg.channel} is {@code channel}. */
    public List<JsonNode> pushes(String channel) {
        List<JsonNode> out = new ArrayList<>();
        for (Message m : all) {
            if (m.json() != null && m.json().has("data") && channel.equals(m.json().path("arg").path("channel").asText())) {
                out.add(m.json());
            }
        }
        return out;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    private String tail(int n) {
        List<Message> a = all;
        List<String> out = new ArrayList<>();
        for (int i = Math.max(0, a.size() - n); i < a.size(); i++) {
            String t = a.get(i).text();
            out.add(t.length() > 300 ? t.substring(0, 300) + "..." : t);
        }
        return out.toString();
    }

    @Override
    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already closed or not answering: drop it
        }
        ws.abort();
    }
}
