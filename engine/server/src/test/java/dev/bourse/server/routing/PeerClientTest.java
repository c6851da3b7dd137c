package dev.bourse.server.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.http.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forwarding client against a tiny Helidon server standing in for another pod. */
class PeerClientTest {
    private static final String TOKEN = "peer-token-0123456789";
    private WebServer peer;
    private SimpleMeterRegistry meters;

    @BeforeEach
    void startPeer() {
        meters = new SimpleMeterRegistry();
        peer = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r
                .post("/internal/v1/orders", (req, res) -> {
                    String token = req.headers().first(HeaderNames.create("X-Internal-Token")).orElse("");
                    ObjectNode body = Json.body(req);
                    ObjectNode d = Json.MAPPER.createObjectNode();
                    d.put("token", token);
                    d.put("clOrdId", body == null ? "" : Json.text(body, "clOrdId"));
                    d.put("sCode", "0");
                    Json.ok(res, List.of(d));
                })
                .post("/internal/v1/orders/cancel", (req, res) ->
                        Json.send(res, Status.OK_200, "1", "All operations failed", List.of(sCode("51400"))))
                .post("/internal/v1/orders/amend", (req, res) -> {
                    Thread.sleep(2_000); // slower than the client waits
                    Json.ok(res, List.of());
                })
                .get("/internal/v1/depth", (req, res) -> {
                    if (req.query().first("instId").orElse("").equals("SLOW-USDT")) {
                        Thread.sleep(2_000);
                    }
                    ObjectNode d = Json.MAPPER.createObjectNode();
                    d.put("instId", req.query().first("instId").orElse(""));
                    d.put("sz", req.query().first("sz").orElse(""));
                    Json.ok(res, List.of(d));
                })
                .post("/internal/v1/orders/mass-cancel", (req, res) -> res.status(Status.BAD_GATEWAY_502).send("<html>bad gateway</html>")))
                .build().start();
    }

    private static ObjectNode sCode(String code) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("sCode", code);
        return d;
    }

    @AfterEach
    void stopPeer() {
        peer.stop();
    }

    private PeerClient client(Map<Integer, String> peers) {
        return client(peers, Duration.ofSeconds(5));
    }

    private PeerClient client(Map<Integer, String> peers, Duration requestTimeout) {
        return new PeerClient(new ShardDirectory(0, Map::of, peers, null), TOKEN, meters, Duration.ofSeconds(1),
                requestTimeout);
    }

    private double count(String shard, String outcome) {
        var c = meters.find("bourse_forwarded_requests_total").tag("shard", shard).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void forwardsWithTheTokenAndReturnsThePeersEnvelope() {
        PeerClient client = client(Map.of(1, "http://127.0.0.1:" + peer.port()));
        ObjectNode body = Json.MAPPER.createObjectNode().put("instId", "ETH-USDT").put("clOrdId", "c1");
        PeerResponse r = client.placeOrder(1, body);
        assertEquals(PeerResponse.Outcome.OK, r.outcome());
        assertEquals(200, r.status());
        assertEquals("0", r.code());
        assertEquals(TOKEN, r.data().get(0).get("token").asText());
        assertEquals("c1", r.data().get(0).get("clOrdId").asText());

        PeerResponse refused = client.cancelOrder(1, body);
        assertEquals(PeerResponse.Outcome.REJECTED, refused.outcome());
        assertEquals("1", refused.code());
        assertEquals("51400", refused.data().get(0).get("sCode").asText());

        PeerResponse depth = client.depth(1, "ETH-USDT", 25);
        assertTrue(depth.ok());
        assertEquals("25", depth.data().get(0).get("sz").asText());

        assertEquals(2.0, count("1", "ok"));
        assertEquals(1.0, count("1", "rejected"));
        assertEquals(3, meters.get("bourse_forwarded_request_seconds").tag("shard", "1").timer().count());
    }

    @Test
    void anUnreachablePeerIs50001() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        PeerClient client = client(Map.of(1, "http://127.0.0.1:" + closed));
        PeerResponse r = client.placeOrder(1, Json.MAPPER.createObjectNode());
        assertEquals(PeerResponse.Outcome.UNAVAILABLE, r.outcome());
        assertEquals("50001", r.code());
        assertEquals(503, r.status());
        assertEquals(1.0, count("1", "unavailable"));

        // no URL for the shard at all
        PeerResponse nowhere = client.placeOrder(9, Json.MAPPER.createObjectNode());
        assertEquals("50001", nowhere.code());
        assertEquals(1.0, count("9", "unavailable"));
    }

    @Test
    void aSlowPeerIs50004ForACommandAnd50001ForARead() {
        // warm up class loading on both sides: on a cold JVM the first exchange alone can outlast the short
        // timeout below (and a connect that outlasts it is rightly reported as "not reached", 50001)
        assertTrue(client(Map.of(1, "http://127.0.0.1:" + peer.port())).depth(1, "ETH-USDT", 1).ok());
        PeerClient client = client(Map.of(1, "http://127.0.0.1:" + peer.port()), Duration.ofMillis(500));
        assertTrue(client.depth(1, "ETH-USDT", 1).ok());
        long t0 = System.nanoTime();
        PeerResponse r = client.amendOrder(1, Json.MAPPER.createObjectNode().put("instId", "ETH-USDT"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(PeerResponse.Outcome.TIMEOUT, r.outcome());
        assertEquals("50004", r.code());
        assertTrue(r.msg().contains("does not mean that the request was successful or failed"), r.msg());
        assertTrue(ms < 1_500, "gave up after the request timeout: " + ms + " ms");
        assertEquals(1.0, count("1", "timeout"));

        PeerResponse read = client.depth(1, "SLOW-USDT", 5);
        assertEquals("50001", read.code(), "a read changed nothing: safe to retry");
    }

    @Test
    void anAnswerThatIsNoEnvelopeIsNotTakenForOne() {
        PeerClient client = client(Map.of(1, "http://127.0.0.1:" + peer.port()));
        PeerResponse r = client.massCancel(1, Json.MAPPER.createObjectNode());
        assertEquals("50001", r.code()); // a 502 from a proxy: the pod did not get it
    }
}
