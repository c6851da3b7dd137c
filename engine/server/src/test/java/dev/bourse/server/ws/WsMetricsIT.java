package dev.bourse.server.ws;

import dev.bourse.server.events.BatchEvents;
import dev.bourse.server.events.InProcessEventBus;
import dev.bourse.server.ledger.AccountBalances;
import dev.bourse.server.marketdata.MarketData;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static dev.bourse.server.ws.WsGatewayIT.ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's runbook §2 market-data metrics: snapshot resends after a sequence gap (gap fills),
 * disconnects by endpoint and reason, and push latency as a histogram with the 50 ms SLO boundary.
 * Same set-up as {@link WsGatewayIT}: a real Helidon server and projection, the in-process bus.
 */
class WsMetricsIT {
    final WsGatewayIT.EngineBook engine = new WsGatewayIT.EngineBook();
    final InProcessEventBus bus = new InProcessEventBus();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<WsGatewayIT.Client> clients = new ArrayList<>();
    MarketData md;
    WsGateway gateway;
    WebServer server;

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < 5; i++) {
            engine.command(0, Map.of(0L, new long[] {0, 10_000 - i, 10_000L * (i + 1), 1}, 1L, new long[] {1, 10_001 + i, 20_000, 2}));
        }
        md = new MarketData(() -> Map.of(ID, WsGatewayIT.BTC_USDT), id -> CompletableFuture.completedFuture(engine.snapshot()), meters);
        AccountBalances balances = user -> new ArrayList<>();
        gateway = new WsGateway(md, bus, new WsGatewayIT.FakeVerifier(), new WsGatewayIT.FakeOrders(), balances, meters,
                WsSettings.defaults());
        md.start(bus, List.of());
        server = WebServer.builder().host("127.0.0.1").port(0).addRouting(gateway.routing()).build().start();
        await("the projection's first snapshot", () -> md.book(ID, 1).map(b -> b.ready()).orElse(false));
    }

    @AfterEach
    void stop() {
        for (WsGatewayIT.Client c : clients) {
            c.ws.abort();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (server != null) {
            server.stop();
        }
        if (md != null) {
            md.close();
        }
    }

    WsGatewayIT.Client connect(String path) {
        WsGatewayIT.Client c = new WsGatewayIT.Client();
        c.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), c).join();
        clients.add(c);
        return c;
    }

    private double count(String name, String... tags) {
        var search = meters.find(name);
        for (int i = 0; i < tags.length; i += 2) {
            search = search.tag(tags[i], tags[i + 1]);
        }
        return search.counter().count();
    }

    @Test
    void aSequenceGapResendsSnapshotsToEverySubscriber() throws Exception {
        WsGatewayIT.Client books = connect("/ws/v5/public");
        books.send("{\"id\":\"a\",\"op\":\"subscribe\",\"args\":[{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},"
                + "{\"channel\":\"books5\",\"instId\":\"BTC-USDT\"}]}");
        WsGatewayIT.Client bbo = connect("/ws/v5/business");
        bbo.send("{\"id\":\"b\",\"op\":\"subscribe\",\"args\":[{\"channel\":\"bbo-tbt\",\"instId\":\"BTC-USDT\"}]}");
        books.next(n -> n.has("data") && "books".equals(n.path("arg").path("channel").asText()));
        bbo.next(n -> n.has("data") && "bbo-tbt".equals(n.path("arg").path("channel").asText()));
        assertEquals(0.0, count("bourse_ws_snapshot_resends_total"), "first snapshots on subscribe are no resend");

        // an update in sequence: pushed as an update, no resend
        bus.publish(new BatchEvents(0, 1, 1, engine.command(1, Map.of(0L, new long[] {0, 9_000, 5_000, 1}))));
        books.next(n -> "update".equals(n.path("action").asText()));
        assertEquals(0.0, count("bourse_ws_snapshot_resends_total"));

        // a gap: command 2 is never published, command 3 is -> the projection resyncs from a snapshot
        engine.command(2, Map.of(0L, new long[] {0, 9_001, 5_000, 1}));
        bus.publish(new BatchEvents(0, 3, 3, engine.command(3, Map.of(0L, new long[] {0, 9_002, 5_000, 1}))));
        books.next(n -> "snapshot".equals(n.path("action").asText()));
        await("books, books5 and bbo-tbt resent", () -> count("bourse_ws_snapshot_resends_total") == 3.0);
        assertEquals(1.0, meters.get("bourse_marketdata_resyncs_total").counter().count());
        // pushes are timed into the histogram (recorded after the frame is written, so possibly a moment later)
        await("pushes timed", () -> meters.get("bourse_ws_push_latency").timer().count() >= 3);
    }

    @Test
    void disconnectsAreCountedByEndpointAndReason() throws Exception {
        for (Endpoint e : Endpoint.values()) {
            for (Disconnect d : Disconnect.values()) {
                assertEquals(0.0, count("bourse_ws_disconnects_total", "endpoint", e.name().toLowerCase(), "reason", d.tag),
                        "registered at 0: " + e + " " + d);
            }
        }
        WsGatewayIT.Client leaving = connect("/ws/v5/private");
        leaving.send("ping");
        assertEquals("pong", leaving.nextRaw());
        leaving.ws.sendClose(1000, "bye").join();
        await("the client's close", () -> count("bourse_ws_disconnects_total", "endpoint", "private", "reason", "client") == 1.0);

        WsGatewayIT.Client staying = connect("/ws/v5/public");
        staying.send("ping");
        assertEquals("pong", staying.nextRaw());
        gateway.close(); // a graceful stop closes every connection with 1001
        assertEquals(1001, staying.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)[0]);
        await("the shutdown close", () -> count("bourse_ws_disconnects_total", "endpoint", "public", "reason", "shutdown") == 1.0);
        assertEquals(0.0, count("bourse_ws_disconnects_total", "endpoint", "public", "reason", "client"),
                "a server-initiated close keeps its reason when the client answers it");
        assertEquals(0, gateway.connectionCount());
        gateway = null; // closed already
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
