package dev.bourse.operator.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against a stub that answers like the engine's internal API. */
class EngineClientTest {
    private HttpServer server;
    private final Map<String, String[]> answers = new ConcurrentHashMap<>();
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private EngineClient client;
    private EnginePod pod;
    private SimpleMeterRegistry meters;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String key = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
            seen.put(key, ex.getRequestHeaders().getFirst("X-Internal-Token") + "|" + ex.getRequestHeaders().getFirst("X-Actor")
                    + "|" + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String[] a = answers.getOrDefault(key, new String[]{"404", "Not Found"});
            byte[] body = a[1].getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(Integer.parseInt(a[0]), body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        meters = new SimpleMeterRegistry();
        client = new EngineClient(EngineClient.defaultHttp(), "token-0123456789abcdef", meters);
        pod = new EnginePod(1, "bourse-engine-1", true, true,
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void statusIsParsedAndRequestsCarryTokenAndActor() {
        answers.put("GET /internal/v1/status", new String[]{"200", """
                {"code":"0","msg":"","data":[{"shardId":1,"epoch":3,"recovered":true,"ready":true,"fenced":false,
                 "queueLength":2,"batchesInFlight":1,"lastCommittedSeq":1842,"switchVersion":7,"appliedSwitchVersion":6,
                 "appliedAfterSeq":1840,"drainRequested":true,"drained":false,
                 "activeSwitches":[{"name":"release-drain","mode":"cancel_only","version":7,"generation":2}],
                 "symbols":["ETH-USDT"],"symbolStates":{"ETH-USDT":"suspend"}}]}"""});
        EngineStatus s = client.status(pod);
        assertEquals(1, s.shardId());
        assertEquals(6, s.appliedSwitchVersion());
        assertFalse(s.idle());
        assertTrue(s.serving());
        assertTrue(s.hasLoaded("ETH-USDT"));
        assertEquals("suspend", s.symbolStates().get("ETH-USDT"));
        assertEquals(List.of(new EngineStatus.ActiveSwitch("release-drain", "cancel_only", 7, 2)), s.activeSwitches());
        assertEquals("token-0123456789abcdef|operator|", seen.get("GET /internal/v1/status"));
        assertEquals(1.0, meters.get("bourse.operator.engine.requests").tags("call", "status", "outcome", "ok").counter()
                .count());
    }

    @Test
    void refusalsCarryTheEnginesCodeAndMessage() {
        answers.put("PUT /internal/v1/switches/x", new String[]{"400",
                "{\"code\":\"51000\",\"msg\":\"Parameter generation error: switch x is at generation 3\",\"data\":[]}"});
        var body = JsonNodeFactory.instance.objectNode().put("reason", "r");
        EngineRefusedException e = assertThrows(EngineRefusedException.class, () -> client.putSwitch(pod, "x", body));
        assertEquals(400, e.httpStatus());
        assertEquals("51000", e.code());
        assertTrue(e.engineMessage().contains("generation 3"));
        assertEquals("token-0123456789abcdef|operator|{\"reason\":\"r\"}", seen.get("PUT /internal/v1/switches/x"));

        // a per-item failure in a 200 answer (symbol state): the item's sCode and sMsg
        answers.put("POST /internal/v1/symbols/state", new String[]{"200",
                "{\"code\":\"1\",\"msg\":\"Operation failed.\",\"data\":[{\"sCode\":\"51001\",\"sMsg\":\"Instrument ID doesn't exist.\"}]}"});
        e = assertThrows(EngineRefusedException.class, () -> client.setSymbolState(pod, "X-Y", "suspend", "r"));
        assertEquals("51001", e.code());
        assertTrue(e.engineMessage().startsWith("Instrument ID doesn't exist."), e.engineMessage());
    }

    @Test
    void absentThingsAreEmptyAndAnOldEnginesMissingPathIsARefusal() {
        answers.put("GET /internal/v1/switches/gone", new String[]{"404",
                "{\"code\":\"51000\",\"msg\":\"Parameter name error: no switch gone\",\"data\":[]}"});
        assertTrue(client.getSwitch(pod, "gone").isEmpty());
        assertTrue(client.getInstrument(pod, "SOL-USDT").isEmpty(), "plain-text 404: an engine without the path");
        EngineRefusedException e = assertThrows(EngineRefusedException.class,
                () -> client.putInstrument(pod, "SOL-USDT", JsonNodeFactory.instance.objectNode()));
        assertEquals(404, e.httpStatus());
    }

    @Test
    void anUnreachablePodOrAServerErrorWithoutJsonIsUnavailable() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        EnginePod gone = new EnginePod(0, "bourse-engine-0", true, false, URI.create("http://127.0.0.1:" + closed));
        EngineException e = assertThrows(EngineException.class, () -> client.status(gone));
        assertFalse(e instanceof EngineRefusedException);
        assertTrue(e.getMessage().contains("bourse-engine-0"), e.getMessage());

        answers.put("GET /internal/v1/status", new String[]{"503", "<html>busy</html>"});
        EngineException busy = assertThrows(EngineException.class, () -> client.status(pod));
        assertFalse(busy instanceof EngineRefusedException);
        assertEquals(2.0, meters.get("bourse.operator.engine.requests").tags("call", "status", "outcome", "unavailable")
                .counter().count());
        // a 5xx in the engine's envelope (e.g. the owner moved meanwhile) is asked again, not a refusal
        answers.put("PUT /internal/v1/instruments/SOL-USDT", new String[]{"503",
                "{\"code\":\"50001\",\"msg\":\"SOL-USDT moved to shard 1 meanwhile; send the change again\",\"data\":[]}"});
        EngineException moved = assertThrows(EngineException.class,
                () -> client.putInstrument(pod, "SOL-USDT", JsonNodeFactory.instance.objectNode()));
        assertFalse(moved instanceof EngineRefusedException);
        assertTrue(moved.getMessage().contains("moved to shard 1"), moved.getMessage());
    }

    @Test
    void breakerTripsAreSummedFromTheMetricsPage() {
        answers.put("GET /metrics", new String[]{"200", """
                # HELP bourse_breaker_trips_total Circuit-breaker halts
                bourse_breaker_trips_total{shard="1",symbol="ETH-USDT"} 2.0
                bourse_breaker_trips_total{shard="1",symbol="BTC-USDT"} 5.0
                """});
        assertEquals(2, client.breakerTrips(pod, "ETH-USDT"));
        assertEquals(0, client.breakerTrips(pod, "SOL-USDT"));
    }
}
