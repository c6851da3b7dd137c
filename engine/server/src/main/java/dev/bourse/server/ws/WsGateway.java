package dev.bourse.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.ledger.AccountBalances;
import dev.bourse.server.auth.ApiKeyVerifier;
import dev.bourse.server.auth.ApiPrincipal;
import dev.bourse.server.auth.AuthException;
import dev.bourse.server.auth.Permission;
import dev.bourse.server.events.EventBus;
import dev.bourse.server.http.Json;
import dev.bourse.server.marketdata.Bar;
import dev.bourse.server.marketdata.MarketData;
import dev.bourse.server.trading.OrderEntry;
import io.helidon.webserver.websocket.WsRouting;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The OKX V5 WebSocket API on {@code /ws/v5/public}, {@code /ws/v5/private} and {@code /ws/v5/business}:
 * {@code ping}/{@code pong}, subscribe/unsubscribe to market-data channels (from {@link MarketData}) and,
 * after {@code login}, to {@code orders}/{@code account}; order operations through {@link OrderEntry}.
 *
 * <p>Every connection writes through its own bounded queue ({@link Outbound}); a connection whose queue
 * fills up is closed (4005) and counted, so a slow client never holds up the projection or anyone else.
 */
public final class WsGateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WsGateway.class.getName());
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Set<String> ORDER_OPS = Set.of("order", "batch-orders", "cancel-order", "batch-cancel-orders",
            "amend-order", "batch-amend-orders");

    final WsSettings settings;
    private final MarketData marketData;
    private final ApiKeyVerifier verifier;
    private final OrderEntry orders;
    private final PublicFeed publicFeed;
    private final PrivateFeed privateFeed;
    private final AutoCloseable busSubscription;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;
    private final Counter sent;
    private final Counter slowDisconnects;
    private final Counter subscribeErrors;
    private final Counter idleDisconnects;
    private final Timer pushLatency;
    private final Map<Endpoint, Map<Disconnect, Counter>> disconnects = new EnumMap<>(Endpoint.class);

    public WsGateway(MarketData marketData, EventBus bus, ApiKeyVerifier verifier, OrderEntry orders,
                     AccountBalances balances, MeterRegistry meters, WsSettings settings) {
        this.settings = settings;
        this.marketData = marketData;
        this.verifier = verifier;
        this.orders = orders;
        this.privateFeed = new PrivateFeed(marketData, balances);
        Gauge.builder("bourse_ws_connections", connections, Set::size).description("open WebSocket connections")
                .register(meters);
        this.sent = Counter.builder("bourse_ws_messages_sent_total").description("WebSocket text frames written")
                .register(meters);
        this.slowDisconnects = Counter.builder("bourse_ws_slow_consumer_disconnects_total")
                .description("connections closed because their outbound queue was full").register(meters);
        this.subscribeErrors = Counter.builder("bourse_ws_subscribe_errors_total")
                .description("subscribe/unsubscribe arguments answered with an error").register(meters);
        this.idleDisconnects = Counter.builder("bourse_ws_idle_disconnects_total")
                .description("connections closed after sending nothing for the idle timeout").register(meters);
        // a histogram, not client-side quantiles, so p99 aggregates across pods in PromQL; the 50 ms bucket is the SLO
        this.pushLatency = Timer.builder("bourse_ws_push_latency")
                .description("from the projection receiving a committed batch to the push frame handed to the socket")
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50))
                .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(meters);
        // every (endpoint, reason) series exists from the start, so a rate over it is 0 rather than absent
        for (Endpoint e : Endpoint.values()) {
            Map<Disconnect, Counter> byReason = new EnumMap<>(Disconnect.class);
            for (Disconnect d : Disconnect.values()) {
                byReason.put(d, Counter.builder("bourse_ws_disconnects_total")
                        .description("WebSocket connections ended, by endpoint and by who or what ended them")
                        .tag("endpoint", e.name().toLowerCase(Locale.ROOT)).tag("reason", d.tag).register(meters));
            }
            disconnects.put(e, byReason);
        }
        this.publicFeed = new PublicFeed(meters);
        marketData.addListener(publicFeed);
        this.busSubscription = bus.subscribe(privateFeed);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ws-idle-sweeper");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.min(1000, settings.idleTimeout().toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweepIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /** The WebSocket routing to add to the WebServer: {@code WebServer.builder().addRouting(gateway.routing())}. */
    public WsRouting.Builder routing() {
        WsRouting.Builder b = WsRouting.builder();
        for (Endpoint e : Endpoint.values()) {
            b.endpoint(e.path, () -> new Connection(this, e));
        }
        return b;
    }

    public int connectionCount() {
        return connections.size();
    }

    /** OKX's 64008 notice to every connection: call before a graceful stop. */
    public void announceShutdown() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("event", "notice");
        n.put("code", "64008");
        n.put("msg", "The connection will soon be closed for a service upgrade. Please reconnect.");
        for (Connection c : connections) {
            ObjectNode m = n.deepCopy();
            m.put("connId", c.connId);
            c.reply(PublicFeed.write(m));
        }
    }

    /** Closes every connection (1001 going away) and stops listening. */
    @Override
    public void close() {
        marketData.removeListener(publicFeed);
        try {
            busSubscription.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "unsubscribe failed", e);
        }
        for (Connection c : connections) {
            closeConnection(c, Disconnect.SHUTDOWN, 1001, "Server shutting down", false);
        }
        sweeper.shutdown(); // the idle sweep stops; the pending cuts of connections that do not close still run
        privateFeed.close();
    }

    // ------------------------------------------------------------------------------------ connections

    Outbound.Sink sink(Connection c) {
        return new Outbound.Sink() {
            @Override
            public void sent(Outbound.Text frame) {
                sent.increment();
                if (frame.receivedNanos() != 0) {
                    pushLatency.record(System.nanoTime() - frame.receivedNanos(), TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public void closeSent() {
                // the client should answer the close; one that does not is cut after the grace period
                cutLater(c, settings.closeGrace().toMillis());
            }

            @Override
            public void failed(Throwable t) {
                LOG.fine(() -> "ws " + c.connId + " write failed: " + t.getMessage());
                c.cut();
                closed(c, Disconnect.ERROR);
            }
        };
    }

    void opened(Connection c) {
        connections.add(c);
    }

    /**
     * The connection is gone. {@code cause} counts only when the server did not close it first: a
     * server-initiated close keeps the reason it was closed for.
     */
    void closed(Connection c, Disconnect cause) {
        if (connections.remove(c)) {
            Disconnect d = c.closeReason;
            disconnects.get(c.endpoint).get(d != null ? d : cause).increment();
            c.closing = true;
            publicFeed.removeAll(c);
            privateFeed.removeAll(c);
            Outbound o = c.out;
            if (o != null) {
                o.abort();
            }
        }
    }

    /** Closes with a close frame ({@code discard}: instead of what is still queued); cut if it does not go out. */
    void closeConnection(Connection c, Disconnect why, int code, String reason, boolean discard) {
        if (c.closing) {
            return;
        }
        c.closeReason = why;
        c.closing = true;
        publicFeed.removeAll(c); // nothing more to queue for it
        Outbound o = c.out;
        if (o != null) {
            o.close(code, reason, discard);
        }
        cutLater(c, settings.closeGrace().toMillis() * 2);
    }

    private void cutLater(Connection c, long millis) {
        Runnable cut = () -> {
            if (connections.contains(c)) {
                c.cut();
                closed(c, Disconnect.ERROR);
            }
        };
        try {
            sweeper.schedule(cut, millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            cut.run(); // stopped: no grace
        }
    }

    void slowConsumer(Connection c) {
        if (c.closing) {
            return;
        }
        slowDisconnects.increment();
        LOG.warning("ws " + c.connId + " (" + c.remoteIp + ") closed: outbound queue full (slow consumer)");
        closeConnection(c, Disconnect.SLOW_CONSUMER, 4005, "Buffer is full, cannot write data", true);
    }

    private void sweepIdle() {
        long limit = settings.idleTimeout().toNanos();
        long now = System.nanoTime();
        for (Connection c : connections) {
            if (!c.closing && now - c.lastInboundNanos > limit) {
                idleDisconnects.increment();
                closeConnection(c, Disconnect.IDLE, 4004, "No data received in " + settings.idleTimeout().toSeconds() + "s", false);
            }
        }
    }

    // ------------------------------------------------------------------------------------ requests

    void onText(Connection c, String text) {
        if (text.equals("ping")) {
            c.reply("pong");
            return;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            root = null;
        }
        if (!(root instanceof ObjectNode req)) {
            error(c, null, "60012", "Invalid request: " + clip(text));
            return;
        }
        JsonNode idNode = req.get("id");
        String id = idNode == null || idNode.isNull() ? null : idNode.asText();
        if (id != null && !ID.matcher(id).matches()) {
            error(c, null, "60012", "Invalid request: " + clip(text));
            return;
        }
        String op = req.path("op").asText("");
        switch (op) {
            case "subscribe", "unsubscribe" -> subscriptions(c, id, op, req, text);
            case "login" -> login(c, id, req, text);
            default -> {
                if (ORDER_OPS.contains(op)) {
                    orderOp(c, id, op, req);
                } else {
                    error(c, id, "60019", "Invalid op: " + clip(op));
                }
            }
        }
    }

    private static String clip(String s) {
        return s.length() > 256 ? s.substring(0, 256) + "..." : s;
    }

    private void error(Connection c, String id, String code, String msg) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        if (id != null) {
            n.put("id", id);
        }
        n.put("event", "error");
        n.put("code", code);
        n.put("msg", msg);
        n.put("connId", c.connId);
        c.reply(PublicFeed.write(n));
        LOG.fine(() -> "ws " + c.connId + " error " + code + ": " + msg);
    }

    private void ack(Connection c, String id, String event, ObjectNode arg) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        if (id != null) {
            n.put("id", id);
        }
        n.put("event", event);
        n.set("arg", arg);
        n.put("connId", c.connId);
        c.reply(PublicFeed.write(n));
    }

    private void login(Connection c, String id, ObjectNode req, String text) {
        if (!c.endpoint.servesPrivate()) {
            error(c, id, "60028", "The current operation is not supported by this URL. Please use the correct WebSocket URL for the operation.");
            return;
        }
        JsonNode args = req.get("args");
        if (args == null || !args.isArray() || args.size() != 1 || !args.get(0).isObject()) {
            error(c, id, "60012", "Invalid request: " + clip(text));
            return;
        }
        ObjectNode a = (ObjectNode) args.get(0);
        String apiKey = Json.text(a, "apiKey");
        String passphrase = Json.text(a, "passphrase");
        String timestamp = Json.text(a, "timestamp");
        String sign = Json.text(a, "sign");
        for (String[] p : new String[][] {{"apiKey", apiKey}, {"passphrase", passphrase}, {"timestamp", timestamp},
                {"sign", sign}}) {
            if (p[1] == null) {
                error(c, id, "60027", "Parameter " + p[0] + " can not be empty.");
                return;
            }
        }
        ApiPrincipal current = c.principal;
        if (current != null && !current.apiKey().equals(apiKey)) {
            error(c, id, "60031", "The WebSocket endpoint does not allow multiple or repeated logins.");
            return;
        }
        ApiPrincipal who;
        try {
            who = verifier.verifyWsLogin(apiKey, passphrase, timestamp, sign, c.remoteIp);
        } catch (AuthException e) {
            LOG.info("ws " + c.connId + " (" + c.remoteIp + ") login refused: " + e.code() + " " + e.getMessage());
            error(c, id, e.code(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ws login failed", e);
            error(c, id, "63999", "Login failed due to internal error. Please try again later.");
            return;
        }
        c.principal = who;
        privateFeed.loggedIn(c, who.userId());
        ObjectNode n = Json.MAPPER.createObjectNode();
        if (id != null) {
            n.put("id", id);
        }
        n.put("event", "login");
        n.put("code", "0");
        n.put("msg", "");
        n.put("connId", c.connId);
        c.reply(PublicFeed.write(n));
    }

    private void subscriptions(Connection c, String id, String op, ObjectNode req, String text) {
        JsonNode args = req.get("args");
        if (args == null || !args.isArray() || args.isEmpty()) {
            subscribeErrors.increment();
            error(c, id, "60012", "Invalid request: " + clip(text));
            return;
        }
        boolean subscribe = op.equals("subscribe");
        for (JsonNode a : args) {
            if (!(a instanceof ObjectNode arg) || Json.text(arg, "channel") == null) {
                subscribeErrors.increment();
                error(c, id, "60012", "Invalid request: " + clip(text));
                continue;
            }
            String channel = Json.text(arg, "channel");
            if (PublicFeed.isPublic(channel)) {
                publicArg(c, id, subscribe, channel, arg, text);
            } else if (channel.equals("orders") || channel.equals("account")) {
                privateArg(c, id, subscribe, channel, arg, text);
            } else {
                subscribeErrors.increment();
                error(c, id, "60018", "Wrong URL or channel:" + channel + (arg.has("instId") ? ",instId:" + Json.text(arg, "instId") : "")
                        + " doesn't exist. Please use the correct URL, channel and parameters referring to API document.");
            }
        }
    }

    private void publicArg(Connection c, String id, boolean subscribe, String channel, ObjectNode arg, String text) {
        String instId = Json.text(arg, "instId");
        if (instId == null) {
            subscribeErrors.increment();
            error(c, id, "60012", "Invalid request: " + clip(text));
            return;
        }
        if (!c.endpoint.servesPublic() || marketData.instrument(instId).isEmpty()) {
            subscribeErrors.increment();
            error(c, id, "60018", "Wrong URL or channel:" + channel + ",instId:" + instId
                    + " doesn't exist. Please use the correct URL, channel and parameters referring to API document.");
            return;
        }
        ObjectNode echo = Json.MAPPER.createObjectNode();
        echo.put("channel", channel);
        echo.put("instId", instId);
        TopicKey key = new TopicKey(channel, instId);
        if (!subscribe) {
            publicFeed.remove(key, c);
            ack(c, id, "unsubscribe", echo);
            return;
        }
        switch (channel) {
            // the first push is taken while the instrument is held: the updates after it follow it exactly
            case PublicFeed.BOOKS, PublicFeed.BOOKS5, PublicFeed.BBO -> marketData.withBook(instId, MarketData.BOOKS_DEPTH, depth -> {
                ack(c, id, "subscribe", echo);
                publicFeed.add(key, c);
                if (depth.ready()) {
                    c.reply(switch (channel) {
                        case PublicFeed.BOOKS -> PublicFeed.booksSnapshot(depth);
                        case PublicFeed.BOOKS5 -> PublicFeed.books5(PublicFeed.top(depth, 5));
                        default -> PublicFeed.bbo(PublicFeed.top(depth, 1));
                    });
                }
            });
            case PublicFeed.TICKERS -> marketData.withInstrument(instId, () -> {
                ack(c, id, "subscribe", echo);
                publicFeed.add(key, c);
                marketData.ticker(instId).ifPresent(t -> c.reply(PublicFeed.ticker(t)));
            });
            case PublicFeed.TRADES -> {
                ack(c, id, "subscribe", echo);
                publicFeed.add(key, c);
            }
            default -> {
                Bar bar = Bar.of(channel.substring(PublicFeed.CANDLE.length()));
                marketData.withInstrument(instId, () -> {
                    ack(c, id, "subscribe", echo);
                    publicFeed.add(key, c);
                    marketData.latestCandle(instId, bar).ifPresent(k -> c.reply(PublicFeed.candle(channel, instId, k)));
                });
            }
        }
    }

    private void privateArg(Connection c, String id, boolean subscribe, String channel, ObjectNode arg, String text) {
        if (!c.endpoint.servesPrivate()) {
            subscribeErrors.increment();
            error(c, id, "60018", "Wrong URL or channel:" + channel
                    + " doesn't exist. Please use the correct URL, channel and parameters referring to API document.");
            return;
        }
        if (c.principal == null) {
            subscribeErrors.increment();
            error(c, id, "60011", "Please log in");
            return;
        }
        ObjectNode echo = Json.MAPPER.createObjectNode();
        echo.put("channel", channel);
        Connection.PrivateSub sub;
        if (channel.equals("orders")) {
            String instType = Json.text(arg, "instType");
            String instId = Json.text(arg, "instId");
            if (instType == null) {
                subscribeErrors.increment();
                error(c, id, "60013", "Invalid args");
                return;
            }
            if (!instType.equals("SPOT") && !instType.equals("ANY")
                    || instId != null && marketData.instrument(instId).isEmpty()) {
                subscribeErrors.increment();
                error(c, id, "60018", "Wrong URL or channel:orders,instType:" + instType
                        + (instId == null ? "" : ",instId:" + instId)
                        + " doesn't exist. Please use the correct URL, channel and parameters referring to API document.");
                return;
            }
            echo.put("instType", instType);
            if (instId != null) {
                echo.put("instId", instId);
            }
            sub = new Connection.PrivateSub("orders", instType, instId, null);
        } else {
            String ccy = Json.text(arg, "ccy");
            if (ccy != null) {
                echo.put("ccy", ccy);
            }
            sub = new Connection.PrivateSub("account", null, null, ccy);
        }
        if (!subscribe) {
            c.privateSubs.remove(sub);
            ack(c, id, "unsubscribe", echo);
            return;
        }
        ack(c, id, "subscribe", echo);
        if (!c.privateSubs.contains(sub)) {
            c.privateSubs.add(sub);
        }
        if (sub.channel().equals("account")) {
            privateFeed.accountSnapshot(c, sub);
        }
    }

    // ------------------------------------------------------------------------------------ order ops

    private void orderOp(Connection c, String id, String op, ObjectNode req) {
        long inTime = micros();
        if (id == null) {
            error(c, null, "60012", "Invalid request: id is required for " + op);
            return;
        }
        if (!c.endpoint.servesTrading()) {
            opReply(c, id, op, "60028", "The current operation is not supported by this URL. Please use the correct WebSocket URL for the operation.",
                    List.of(), inTime);
            return;
        }
        ApiPrincipal who = c.principal;
        if (who == null) {
            opReply(c, id, op, "60011", "Please log in", List.of(), inTime);
            return;
        }
        if (!who.can(Permission.TRADE)) {
            opReply(c, id, op, "50120", "This API key doesn't have permission to use this function", List.of(), inTime);
            return;
        }
        JsonNode args = req.get("args");
        boolean batch = op.startsWith("batch-");
        if (args == null || !args.isArray() || args.isEmpty() || (!batch && args.size() != 1)
                || args.size() > WsSettings.MAX_BATCH_ITEMS) {
            opReply(c, id, op, "60013", "Invalid args", List.of(), inTime);
            return;
        }
        for (JsonNode a : args) {
            if (!a.isObject()) {
                opReply(c, id, op, "60013", "Invalid args", List.of(), inTime);
                return;
            }
        }
        List<CompletableFuture<ObjectNode>> results = new ArrayList<>(args.size());
        for (JsonNode a : args) {
            CompletableFuture<ObjectNode> f;
            try {
                f = switch (op) {
                    case "order", "batch-orders" -> orders.place(who, a);
                    case "cancel-order", "batch-cancel-orders" -> orders.cancel(who, a);
                    default -> orders.amend(who, a);
                };
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            results.add(f.exceptionally(e -> {
                LOG.log(Level.WARNING, "ws " + op + " failed", e);
                ObjectNode item = Json.MAPPER.createObjectNode();
                item.put("ordId", a.path("ordId").asText(""));
                item.put("clOrdId", a.path("clOrdId").asText(""));
                item.put("tag", a.path("tag").asText(""));
                item.put("ts", Long.toString(System.currentTimeMillis()));
                item.put("sCode", "50001");
                item.put("sMsg", "Service temporarily unavailable. Please try again later.");
                return item;
            }));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            List<ObjectNode> items = new ArrayList<>(results.size());
            int ok = 0;
            for (CompletableFuture<ObjectNode> f : results) {
                ObjectNode item = f.join();
                if ("0".equals(item.path("sCode").asText())) {
                    ok++;
                }
                items.add(item);
            }
            String code = ok == items.size() ? "0" : ok == 0 ? "1" : "2";
            opReply(c, id, op, code, "", items, inTime);
        });
    }

    private void opReply(Connection c, String id, String op, String code, String msg, List<ObjectNode> data, long inTime) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", id);
        n.put("op", op);
        n.put("code", code);
        n.put("msg", msg);
        ArrayNode d = n.putArray("data");
        data.forEach(d::add);
        n.put("inTime", Long.toString(inTime));
        n.put("outTime", Long.toString(micros()));
        c.reply(PublicFeed.write(n));
        if (!code.equals("0")) {
            LOG.fine(() -> "ws " + c.connId + " " + op + " " + id + " answered " + code + " " + msg);
        }
    }

    private static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
