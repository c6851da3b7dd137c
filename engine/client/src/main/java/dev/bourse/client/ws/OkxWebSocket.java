package dev.bourse.client.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.client.auth.Credentials;
import dev.bourse.client.auth.OkxSigner;
import dev.bourse.client.ws.op.AmendOrder;
import dev.bourse.client.ws.op.CancelOrder;
import dev.bourse.client.ws.op.OpReply;
import dev.bourse.client.ws.op.PlaceOrder;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An OKX V5 WebSocket client (public, private or business endpoint) that stays connected: text {@code ping} every
 * {@link WsConfig#pingInterval()}, a missing {@code pong} or the {@code 64008} notice reopens the connection,
 * reconnects back off with jitter, and every reconnection logs in again (private) and resubscribes what was
 * subscribed. Subscriptions are acknowledged ({@link #subscribeAndWait}); order ops are matched to their answers
 * by request id. Pushes reach typed ({@link #on}) and raw ({@link #onRaw}) handlers inline or through bounded
 * queues ({@link WsConfig#typedDelivery()}, {@link WsConfig#rawDelivery()}). {@link #stats()} shows all of it.
 *
 * <pre>{@code
 * try (OkxWebSocket ws = new OkxWebSocket(WsConfig.builder("ws://127.0.0.1:8080/ws/v5/public").build())) {
 *     ws.on(WsChannel.TICKERS, push -> System.out.println(push.data()));
 *     ws.connect(Duration.ofSeconds(5));
 *     ws.subscribeAndWait(Duration.ofSeconds(5), ChannelArg.of("tickers", "BTC-USDT"));
 * }
 * }</pre>
 */
public final class OkxWebSocket implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OkxWebSocket.class.getName());
    private static final int MAX_ARGS_PER_REQUEST = 100;

    private final WsConfig config;
    private final ObjectMapper mapper;
    private final OkHttpClient http;
    private final boolean ownHttp;
    private final Request request;
    private final OkxSigner signer;
    private final ScheduledExecutorService timer;
    private final HandlerQueue<PushFrame> typedQueue;
    private final HandlerQueue<RawMessage> rawQueue;
    private final Map<String, List<Typed<?>>> typed = new ConcurrentHashMap<>();
    private final List<RawHandler> raw = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    // guarded by lock
    private Session session;
    private boolean started;
    private boolean closed;
    private int attempt;
    private CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Set<ChannelArg> desired = new LinkedHashSet<>();
    private final Map<ChannelArg, CompletableFuture<SubscribeAck>> pendingSub = new HashMap<>();
    private final Map<ChannelArg, CompletableFuture<SubscribeAck>> pendingUnsub = new HashMap<>();
    private final Map<String, SubRequest> subRequests = new HashMap<>();

    private final Map<String, PendingOp> ops = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong recvSeq = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong subscribeOk = new AtomicLong();
    private final AtomicLong subscribeError = new AtomicLong();
    private volatile Instant lastRecv;
    private volatile Instant lastPing;
    private volatile Instant lastPong;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    /** A subscribe or unsubscribe request in flight on one connection: its arguments not yet acknowledged. */
    private record SubRequest(boolean subscribe, List<ChannelArg> args) {
    }

    private record PendingOp(Session session, String op, CompletableFuture<OpReply> future, ScheduledFuture<?> timeout) {
    }

    private record PushFrame(JsonNode json, ChannelArg arg, long recvSeq) {
    }

    private record Typed<T>(WsChannel<T> channel, PushHandler<T> handler) {
    }

    public OkxWebSocket(WsConfig config) {
        this.config = config;
        this.mapper = config.mapper();
        this.ownHttp = config.httpClient() == null;
        // text ping/pong is the OKX protocol's keep-alive; okhttp's own ping frames stay off
        this.http = ownHttp
                ? new OkHttpClient.Builder().readTimeout(Duration.ZERO).connectTimeout(Duration.ofSeconds(10)).build()
                : config.httpClient();
        this.request = new Request.Builder().url(config.url()).build();
        Credentials c = config.credentials();
        this.signer = c == null ? null : new OkxSigner(c.secretKey());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon(true)
                .name(config.name() + "-timer").unstarted(r));
        this.typedQueue = new HandlerQueue<>("typed", config.name() + "-typed", config.typedDelivery(),
                this::deliverTyped, this::error);
        this.rawQueue = new HandlerQueue<>("raw", config.name() + "-raw", config.rawDelivery(), this::deliverRaw,
                this::error);
    }

    public WsConfig config() {
        return config;
    }

    // ------------------------------------------------------------------------------------ handlers

    /** Calls {@code handler} with every push of {@code channel} read into its record type. Close the result to stop. */
    public <T> AutoCloseable on(WsChannel<T> channel, PushHandler<T> handler) {
        Typed<T> t = new Typed<>(channel, handler);
        typed.computeIfAbsent(channel.name(), k -> new CopyOnWriteArrayList<>()).add(t);
        return () -> typed.getOrDefault(channel.name(), List.of()).remove(t);
    }

    /** Calls {@code handler} with every JSON frame received. Close the result to stop. */
    public AutoCloseable onRaw(RawHandler handler) {
        raw.add(handler);
        return () -> raw.remove(handler);
    }

    public void addConnectionListener(ConnectionListener l) {
        listeners.add(l);
    }

    public void removeConnectionListener(ConnectionListener l) {
        listeners.remove(l);
    }

    // ------------------------------------------------------------------------------------ lifecycle

    /** Opens the connection (returns at once; the client keeps it open until {@link #close()}). */
    public OkxWebSocket start() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            if (started) {
                return this;
            }
            started = true;
            connectLocked();
        }
        long ping = config.pingInterval().toMillis();
        timer.scheduleAtFixedRate(this::ping, ping, ping, TimeUnit.MILLISECONDS);
        return this;
    }

    /** {@link #start()} and wait until connected (and logged in on a private client). */
    public OkxWebSocket connect(Duration timeout) {
        start();
        awaitReady(timeout);
        return this;
    }

    /** Waits until the client is connected (and logged in); throws {@link WsException} with the last error otherwise. */
    public void awaitReady(Duration timeout) {
        CompletableFuture<Void> f;
        synchronized (lock) {
            f = ready;
        }
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new WsException("not connected to " + config.url() + " within " + timeout.toMillis()
                    + " ms; last error: " + lastError);
        } catch (ExecutionException e) {
            throw new WsException("not connected to " + config.url() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WsException("interrupted while connecting to " + config.url());
        }
    }

    /** Connected, and logged in on a private client. */
    public boolean isReady() {
        synchronized (lock) {
            return session != null && session.ready;
        }
    }

    /**
     * Closes the connection and stops reconnecting. Unanswered order ops fail with
     * {@link OpOutcomeUnknownException}, unacknowledged subscriptions with {@link WsException}.
     */
    @Override
    public void close() {
        Session s;
        List<CompletableFuture<SubscribeAck>> subs;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = session;
            session = null;
            subs = new ArrayList<>(pendingSub.values());
            subs.addAll(pendingUnsub.values());
            pendingSub.clear();
            pendingUnsub.clear();
            subRequests.clear();
            ready.completeExceptionally(new WsException("client closed"));
        }
        if (s != null) {
            s.lost = true;
            s.ws.close(1000, "client closing");
        }
        failOps(null, OpOutcomeUnknownException.Reason.CLOSED, "client closed");
        subs.forEach(f -> f.completeExceptionally(new WsException("client closed before the acknowledgement")));
        timer.shutdownNow();
        typedQueue.close();
        rawQueue.close();
        if (ownHttp) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    // guarded by lock
    private void connectLocked() {
        Session s = new Session();
        session = s;
        s.ws = http.newWebSocket(request, s);
    }

    private void scheduleReconnectLocked() {
        long min = config.reconnectMin().toMillis();
        long max = config.reconnectMax().toMillis();
        long d = min << Math.min(attempt, 20);
        d = Math.min(max, d);
        attempt++;
        long delay = d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
        reconnects.incrementAndGet();
        try {
            timer.schedule(() -> {
                synchronized (lock) {
                    if (!closed && session == null) {
                        connectLocked();
                    }
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** The connection {@code s} is gone (or must go): fail what waited on it and reconnect. */
    private void lost(Session s, String reason) {
        boolean reconnecting;
        synchronized (lock) {
            if (s.lost) {
                return;
            }
            s.lost = true;
            if (session != s) {
                return;
            }
            session = null;
            if (ready.isDone()) {
                ready = new CompletableFuture<>();
            }
            subRequests.clear();
            // an unsubscription is complete once the connection is gone: the next one will not have it
            long seq = recvSeq.get();
            pendingUnsub.forEach((arg, f) -> f.complete(new SubscribeAck(arg, null, seq)));
            pendingUnsub.clear();
            reconnecting = started && !closed && config.reconnect();
            if (reconnecting) {
                scheduleReconnectLocked();
            } else {
                List<CompletableFuture<SubscribeAck>> subs = new ArrayList<>(pendingSub.values());
                pendingSub.clear();
                subs.forEach(f -> f.completeExceptionally(new WsException("connection lost (" + reason
                        + ") before the acknowledgement; reconnect is off")));
            }
        }
        error(reason);
        LOG.info(() -> config.name() + " connection lost: " + reason + (reconnecting ? "; reconnecting" : ""));
        s.ws.cancel();
        failOps(s, OpOutcomeUnknownException.Reason.DISCONNECTED, reason);
        for (ConnectionListener l : listeners) {
            try {
                l.onDisconnected(reason, reconnecting);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "connection listener failed", e);
            }
        }
    }

    private void becomeReady(Session s) {
        synchronized (lock) {
            if (session != s || s.lost) {
                return;
            }
            s.ready = true;
            attempt = 0;
            List<ChannelArg> all = new ArrayList<>(desired);
            for (int i = 0; i < all.size(); i += MAX_ARGS_PER_REQUEST) {
                sendSubLocked(s, true, all.subList(i, Math.min(all.size(), i + MAX_ARGS_PER_REQUEST)));
            }
            ready.complete(null);
        }
        for (ConnectionListener l : listeners) {
            try {
                l.onReady(config.url());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "connection listener failed", e);
            }
        }
    }

    // ------------------------------------------------------------------------------------ keep-alive

    private void ping() {
        Session s;
        synchronized (lock) {
            s = session;
        }
        if (s == null || !s.open || s.lost) {
            return;
        }
        if (s.pingSentNanos != 0) {
            return; // the previous ping's pong check is still pending
        }
        long seq = ++s.pings;
        s.pingSentNanos = System.nanoTime();
        lastPing = Instant.now();
        if (!s.ws.send("ping")) {
            lost(s, "ping not sent: socket closing");
            return;
        }
        timer.schedule(() -> {
            if (s.pings == seq && s.pingSentNanos != 0 && !s.lost) {
                lost(s, "no pong within " + config.pongTimeout().toMillis() + " ms");
            }
        }, config.pongTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------------------------ subscriptions

    /**
     * Subscribes (and keeps subscribed across reconnects). The future completes with one acknowledgement per
     * argument, or fails with {@link SubscribeException} when the server refuses one. Sent at once when connected,
     * else with the resubscription after the next connection.
     */
    public CompletableFuture<List<SubscribeAck>> subscribe(ChannelArg... args) {
        return subscribe(Arrays.asList(args));
    }

    public CompletableFuture<List<SubscribeAck>> subscribe(List<ChannelArg> args) {
        requireArgs(args);
        List<CompletableFuture<SubscribeAck>> futures = new ArrayList<>(args.size());
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new WsNotSentException("client closed"));
            }
            for (ChannelArg a : args) {
                desired.add(a);
                futures.add(pendingSub.computeIfAbsent(a, k -> new CompletableFuture<>()));
            }
            Session s = session;
            if (s != null && s.ready) {
                for (int i = 0; i < args.size(); i += MAX_ARGS_PER_REQUEST) {
                    sendSubLocked(s, true, args.subList(i, Math.min(args.size(), i + MAX_ARGS_PER_REQUEST)));
                }
            }
        }
        return all(futures);
    }

    /**
     * Subscribes and waits for every acknowledgement. Throws {@link SubscribeException} on an error event (with its
     * code) or when {@code timeout} passes (code null; the subscription stays requested).
     */
    public List<SubscribeAck> subscribeAndWait(Duration timeout, ChannelArg... args) {
        return await(subscribe(args), timeout, Arrays.asList(args), "subscribe");
    }

    public List<SubscribeAck> subscribeAndWait(Duration timeout, List<ChannelArg> args) {
        return await(subscribe(args), timeout, args, "subscribe");
    }

    /** Unsubscribes; completes on the acknowledgements (at once when not connected: nothing to undo). */
    public CompletableFuture<List<SubscribeAck>> unsubscribe(ChannelArg... args) {
        return unsubscribe(Arrays.asList(args));
    }

    public CompletableFuture<List<SubscribeAck>> unsubscribe(List<ChannelArg> args) {
        requireArgs(args);
        List<CompletableFuture<SubscribeAck>> futures = new ArrayList<>(args.size());
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new WsNotSentException("client closed"));
            }
            Session s = session;
            long seq = recvSeq.get();
            for (ChannelArg a : args) {
                desired.remove(a);
                CompletableFuture<SubscribeAck> pending = pendingSub.remove(a);
                if (pending != null) {
                    pending.completeExceptionally(new SubscribeException(null, "unsubscribed before the acknowledgement",
                            List.of(a)));
                }
                futures.add(s != null && s.ready
                        ? pendingUnsub.computeIfAbsent(a, k -> new CompletableFuture<>())
                        : CompletableFuture.completedFuture(new SubscribeAck(a, null, seq)));
            }
            if (s != null && s.ready) {
                for (int i = 0; i < args.size(); i += MAX_ARGS_PER_REQUEST) {
                    sendSubLocked(s, false, args.subList(i, Math.min(args.size(), i + MAX_ARGS_PER_REQUEST)));
                }
            }
        }
        return all(futures);
    }

    public List<SubscribeAck> unsubscribeAndWait(Duration timeout, ChannelArg... args) {
        return await(unsubscribe(args), timeout, Arrays.asList(args), "unsubscribe");
    }

    /** What the client keeps subscribed (and resubscribes after a reconnect). */
    public Set<ChannelArg> subscriptions() {
        synchronized (lock) {
            return Set.copyOf(desired);
        }
    }

    private static void requireArgs(List<ChannelArg> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("no channel arguments");
        }
    }

    private static CompletableFuture<List<SubscribeAck>> all(List<CompletableFuture<SubscribeAck>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
    }

    private List<SubscribeAck> await(CompletableFuture<List<SubscribeAck>> f, Duration timeout, List<ChannelArg> args,
                                     String what) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String why = "no " + what + " acknowledgement within " + timeout.toMillis() + " ms"
                    + (isReady() ? "" : " (not connected; last error: " + lastError + ")");
            error(why + " " + args);
            throw new SubscribeException(null, why, args);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WsException w) {
                throw w;
            }
            throw new WsException(what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WsException("interrupted while waiting for the " + what + " acknowledgement");
        }
    }

    // guarded by lock
    private void sendSubLocked(Session s, boolean subscribe, List<ChannelArg> args) {
        String id = nextId(subscribe ? "s" : "u");
        ObjectNode req = mapper.createObjectNode();
        req.put("id", id);
        req.put("op", subscribe ? "subscribe" : "unsubscribe");
        ArrayNode a = req.putArray("args");
        args.forEach(arg -> a.add(arg.toJson()));
        subRequests.put(id, new SubRequest(subscribe, new ArrayList<>(args)));
        if (!s.ws.send(req.toString())) {
            // the socket is closing: the next connection resubscribes
            timer.execute(() -> lost(s, "subscribe not sent: socket closing"));
        }
    }

    private String nextId(String prefix) {
        return prefix + ids.incrementAndGet();
    }

    // ------------------------------------------------------------------------------------ order ops

    /** {@code order}: one order. */
    public CompletableFuture<OpReply> placeOrder(PlaceOrder order) {
        return op("order", List.of(order));
    }

    /** {@code batch-orders}: up to 20 orders. */
    public CompletableFuture<OpReply> placeOrders(List<PlaceOrder> orders) {
        return op("batch-orders", orders);
    }

    public CompletableFuture<OpReply> cancelOrder(CancelOrder cancel) {
        return op("cancel-order", List.of(cancel));
    }

    public CompletableFuture<OpReply> cancelOrders(List<CancelOrder> cancels) {
        return op("batch-cancel-orders", cancels);
    }

    public CompletableFuture<OpReply> amendOrder(AmendOrder amend) {
        return op("amend-order", List.of(amend));
    }

    public CompletableFuture<OpReply> amendOrders(List<AmendOrder> amends) {
        return op("batch-amend-orders", amends);
    }

    /**
     * Sends op {@code op} with {@code args} (records or JSON objects) under a fresh request id. The future completes
     * with the reply carrying that id; fails with {@link WsNotSentException} when not connected or logged in
     * (nothing sent), {@link OpOutcomeUnknownException} when the connection is lost or
     * {@link WsConfig#requestTimeout()} passes after sending, {@link WsErrorException} on an error event.
     */
    public CompletableFuture<OpReply> op(String op, List<?> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException(op + " needs at least one argument");
        }
        Session s;
        synchronized (lock) {
            s = session;
        }
        if (s == null || !s.ready) {
            return CompletableFuture.failedFuture(new WsNotSentException(op + " not sent: "
                    + (closed ? "client closed" : s == null ? "not connected" : "not logged in yet")));
        }
        String id = nextId("o");
        ObjectNode req = mapper.createObjectNode();
        req.put("id", id);
        req.put("op", op);
        req.set("args", mapper.valueToTree(args));
        CompletableFuture<OpReply> f = new CompletableFuture<>();
        ScheduledFuture<?> timeout;
        try {
            timeout = timer.schedule(() -> {
                PendingOp p = ops.remove(id);
                if (p != null) {
                    p.future.completeExceptionally(new OpOutcomeUnknownException(id, op,
                            OpOutcomeUnknownException.Reason.TIMEOUT, "no answer within "
                            + config.requestTimeout().toMillis() + " ms"));
                }
            }, config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new WsNotSentException(op + " not sent: client closed"));
        }
        ops.put(id, new PendingOp(s, op, f, timeout));
        if (!s.ws.send(req.toString())) {
            ops.remove(id);
            timeout.cancel(false);
            f.completeExceptionally(new WsNotSentException(op + " not sent: socket closing"));
        } else if (s.lost) {
            // lost between the check and the send: the loss may have missed this op
            PendingOp p = ops.remove(id);
            if (p != null) {
                timeout.cancel(false);
                f.completeExceptionally(new OpOutcomeUnknownException(id, op,
                        OpOutcomeUnknownException.Reason.DISCONNECTED, "connection lost while sending"));
            }
        }
        return f;
    }

    private void failOps(Session s, OpOutcomeUnknownException.Reason reason, String detail) {
        Iterator<Map.Entry<String, PendingOp>> it = ops.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, PendingOp> e = it.next();
            PendingOp p = e.getValue();
            if (s == null || p.session == s) {
                it.remove();
                p.timeout.cancel(false);
                p.future.completeExceptionally(new OpOutcomeUnknownException(e.getKey(), p.op, reason, detail));
            }
        }
    }

    // ------------------------------------------------------------------------------------ receiving

    private void onText(Session s, String text) {
        if (s.lost) {
            return;
        }
        long seq = recvSeq.incrementAndGet();
        lastRecv = Instant.now();
        if (text.equals("pong")) {
            s.pingSentNanos = 0;
            lastPong = lastRecv;
            return;
        }
        JsonNode json;
        try {
            json = mapper.readTree(text);
        } catch (Exception e) {
            error("unreadable frame: " + clip(text));
            return;
        }
        if (!json.isObject()) {
            error("unexpected frame: " + clip(text));
            return;
        }
        if (!raw.isEmpty() && offer(s, rawQueue, new RawMessage(text, json, seq))) {
            return;
        }
        String event = json.path("event").asText(null);
        if (event != null) {
            onEvent(s, event, json, seq);
        } else if (json.hasNonNull("id") && json.hasNonNull("op")) {
            onOpReply(json);
        } else if (json.has("arg") && json.has("data")) {
            ChannelArg arg;
            try {
                arg = ChannelArg.fromJson(json.get("arg"));
            } catch (IllegalArgumentException e) {
                error("push without a channel: " + clip(text));
                return;
            }
            if (typed.containsKey(arg.channel()) && !typed.get(arg.channel()).isEmpty()) {
                offer(s, typedQueue, new PushFrame(json, arg, seq));
            }
        }
    }

    /** Returns true when the connection is being dropped because a DISCONNECT-policy queue was full. */
    private <T> boolean offer(Session s, HandlerQueue<T> q, T item) {
        HandlerQueue.Offered r = q.offer(item, () -> !s.lost);
        if (r == HandlerQueue.Offered.DISCONNECT) {
            lost(s, q.kind() + " handler queue full (" + q.capacity() + "): disconnecting");
            return true;
        }
        return false;
    }

    private void onEvent(Session s, String event, JsonNode json, long seq) {
        String id = json.hasNonNull("id") ? json.get("id").asText() : null;
        switch (event) {
            case "login" -> {
                if ("0".equals(json.path("code").asText("0"))) {
                    s.connId = json.path("connId").asText(null);
                    if (s.loginTimeout != null) {
                        s.loginTimeout.cancel(false);
                    }
                    becomeReady(s);
                } else {
                    loginFailed(s, json);
                }
            }
            case "subscribe", "unsubscribe" -> onAck(s, event.equals("subscribe"), id, json, seq);
            case "error" -> onError(s, id, json);
            case "notice" -> {
                String code = json.path("code").asText("");
                if (code.equals("64008")) {
                    lost(s, "server notice 64008: " + json.path("msg").asText(""));
                } else {
                    error("server notice " + code + ": " + json.path("msg").asText(""));
                }
            }
            default -> {
                // channel-conn-count and other informational events: raw handlers see them
            }
        }
    }

    private void loginFailed(Session s, JsonNode json) {
        String why = "login failed: " + json.path("code").asText("") + " " + json.path("msg").asText("");
        LOG.warning(() -> config.name() + " " + why);
        lost(s, why);
    }

    private void onAck(Session s, boolean subscribe, String id, JsonNode json, long seq) {
        JsonNode argNode = json.get("arg");
        ChannelArg echoed;
        try {
            echoed = argNode == null ? null : ChannelArg.fromJson(argNode);
        } catch (IllegalArgumentException e) {
            echoed = null;
        }
        String connId = json.path("connId").asText(null);
        CompletableFuture<SubscribeAck> done = null;
        ChannelArg requested;
        synchronized (lock) {
            if (subscribe) {
                subscribeOk.incrementAndGet();
            }
            SubRequest req = id == null ? null : subRequests.get(id);
            List<ChannelArg> candidates = req != null ? req.args
                    : new ArrayList<>(subscribe ? pendingSub.keySet() : pendingUnsub.keySet());
            requested = match(echoed, candidates);
            if (req != null) {
                req.args.remove(requested);
                if (req.args.isEmpty()) {
                    subRequests.remove(id);
                }
            }
            if (requested != null) {
                done = (subscribe ? pendingSub : pendingUnsub).remove(requested);
            }
        }
        if (done != null) {
            done.complete(new SubscribeAck(requested, connId, seq));
        }
    }

    /** The requested arg an acknowledgement answers: the same one, else one it covers or that covers it. */
    private static ChannelArg match(ChannelArg echoed, List<ChannelArg> candidates) {
        if (echoed == null) {
            return candidates.size() == 1 ? candidates.getFirst() : null;
        }
        if (candidates.contains(echoed)) {
            return echoed;
        }
        for (ChannelArg c : candidates) {
            if (echoed.isCoveredBy(c) || c.isCoveredBy(echoed)) {
                return c;
            }
        }
        return null;
    }

    private void onError(Session s, String id, JsonNode json) {
        String code = json.path("code").asText("");
        String msg = json.path("msg").asText("");
        if (id != null && id.equals(s.loginId) || id == null && !s.ready && config.isPrivate()) {
            loginFailed(s, json);
            return;
        }
        if (id != null) {
            PendingOp p = ops.remove(id);
            if (p != null) {
                p.timeout.cancel(false);
                p.future.completeExceptionally(new WsErrorException(code, msg));
                error(p.op + " " + id + " refused: " + code + " " + msg);
                return;
            }
        }
        List<CompletableFuture<SubscribeAck>> failed = new ArrayList<>();
        List<ChannelArg> args = List.of();
        synchronized (lock) {
            SubRequest req = id == null ? null : subRequests.get(id);
            if (req != null) {
                subscribeError.incrementAndGet();
                args = refused(req.args, msg);
                req.args.removeAll(args);
                if (req.args.isEmpty()) {
                    subRequests.remove(id);
                }
                for (ChannelArg a : args) {
                    CompletableFuture<SubscribeAck> f = (req.subscribe ? pendingSub : pendingUnsub).remove(a);
                    if (req.subscribe) {
                        desired.remove(a); // refused: not resubscribed either
                    }
                    if (f != null) {
                        failed.add(f);
                    }
                }
            }
        }
        error("error event " + code + " " + msg + (id == null ? "" : " (id " + id + ")"));
        SubscribeException ex = new SubscribeException(code, msg, args);
        failed.forEach(f -> f.completeExceptionally(ex));
    }

    /**
     * Which of a request's unanswered args an error event refuses. The event names no arg, but OKX and Bourse put
     * {@code channel:<name>,instId:<id>} in the message; with one arg left it is that one; otherwise all are failed.
     */
    private static List<ChannelArg> refused(List<ChannelArg> remaining, String msg) {
        if (remaining.size() <= 1) {
            return List.copyOf(remaining);
        }
        List<ChannelArg> named = new ArrayList<>();
        for (ChannelArg a : remaining) {
            if (mentions(msg, "channel", a.channel()) && (a.instId() == null || mentions(msg, "instId", a.instId()))) {
                named.add(a);
            }
        }
        return named.isEmpty() ? List.copyOf(remaining) : named;
    }

    private static boolean mentions(String msg, String key, String value) {
        return java.util.regex.Pattern.compile(key + ":" + java.util.regex.Pattern.quote(value) + "(?![A-Za-z0-9_-])")
                .matcher(msg).find();
    }

    private void onOpReply(JsonNode json) {
        String id = json.get("id").asText();
        PendingOp p = ops.remove(id);
        if (p == null) {
            error("answer to an unknown or expired request id " + id);
            return;
        }
        p.timeout.cancel(false);
        try {
            p.future.complete(mapper.treeToValue(json, OpReply.class));
        } catch (Exception e) {
            p.future.completeExceptionally(new WsException("unreadable answer to " + p.op + " " + id + ": " + e, e));
        }
    }

    private void deliverTyped(PushFrame f) throws Exception {
        List<Typed<?>> hs = typed.get(f.arg.channel());
        if (hs == null) {
            return;
        }
        Map<Class<?>, WsPush<?>> read = new LinkedHashMap<>(2);
        Exception failure = null;
        for (Typed<?> t : hs) {
            try {
                callTyped(t, f, read);
            } catch (Exception e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @SuppressWarnings("unchecked")
    private <T> void callTyped(Typed<T> t, PushFrame f, Map<Class<?>, WsPush<?>> read) throws Exception {
        WsPush<T> push = (WsPush<T>) read.get(t.channel.type());
        if (push == null) {
            JsonNode data = f.json.get("data");
            List<T> items = new ArrayList<>(data.size());
            for (JsonNode d : data) {
                items.add(mapper.treeToValue(d, t.channel.type()));
            }
            push = new WsPush<>(f.arg, f.json.path("action").asText(null), f.json.path("eventType").asText(null),
                    items, f.recvSeq);
            read.put(t.channel.type(), push);
        }
        t.handler.onPush(push);
    }

    private void deliverRaw(RawMessage m) throws Exception {
        Exception failure = null;
        for (RawHandler h : raw) {
            try {
                h.onMessage(m);
            } catch (Exception e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ------------------------------------------------------------------------------------ state

    private void error(String message) {
        lastError = message;
        lastErrorAt = Instant.now();
    }

    /** The receive counter of the latest frame (see {@link WsPush#recvSeq()}). */
    public long lastRecvSeq() {
        return recvSeq.get();
    }

    public WsStats stats() {
        boolean connected;
        int subs;
        synchronized (lock) {
            connected = session != null && session.ready;
            subs = desired.size();
        }
        return new WsStats(connected, lastRecv, lastPing, lastPong, reconnects.get(), lastError, lastErrorAt,
                subscribeOk.get(), subscribeError.get(), typedQueue.size(), typedQueue.capacity(), rawQueue.size(),
                rawQueue.capacity(), typedQueue.dropped(), rawQueue.dropped(), typedQueue.errors() + rawQueue.errors(),
                ops.size(), subs);
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    @Override
    public String toString() {
        return "OkxWebSocket[" + config.name() + " " + config.url() + "]";
    }

    /** One connection attempt: okhttp calls its listener methods on the connection's reader thread. */
    private final class Session extends WebSocketListener {
        volatile WebSocket ws;
        volatile boolean open;
        volatile boolean ready;
        volatile boolean lost;
        volatile String connId;
        volatile String loginId;
        volatile ScheduledFuture<?> loginTimeout;
        volatile long pings;
        volatile long pingSentNanos;

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            if (lost) {
                webSocket.cancel();
                return;
            }
            open = true;
            if (signer == null) {
                becomeReady(this);
                return;
            }
            Credentials c = config.credentials();
            long ts = config.clock().now().getEpochSecond();
            String id = nextId("l");
            loginId = id;
            ObjectNode req = mapper.createObjectNode();
            req.put("id", id);
            req.put("op", "login");
            ObjectNode a = req.putArray("args").addObject();
            a.put("apiKey", c.apiKey());
            a.put("passphrase", c.passphrase());
            a.put("timestamp", Long.toString(ts));
            a.put("sign", signer.wsLogin(ts));
            try {
                loginTimeout = timer.schedule(() -> {
                    if (!ready) {
                        lost(this, "no login answer within " + config.requestTimeout().toMillis() + " ms");
                    }
                }, config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // closed
            }
            if (!webSocket.send(req.toString())) {
                lost(this, "login not sent: socket closing");
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            onText(this, text);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
            lost(this, "closed by the server: " + code + (reason.isEmpty() ? "" : " " + reason));
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            lost(this, "closed: " + code + (reason.isEmpty() ? "" : " " + reason));
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            lost(this, "connection failed: " + t + (response == null ? "" : " (HTTP " + response.code() + ")"));
        }
    }
}
