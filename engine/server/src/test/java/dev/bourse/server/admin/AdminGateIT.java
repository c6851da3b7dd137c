package dev.bourse.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.server.http.Json;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin gate's brute-force throttle over real HTTP, with a clock the test moves. */
class AdminGateIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "admin-token-for-the-gate-test-0123456789";

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final AtomicInteger reached = new AtomicInteger();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final HttpClient http = HttpClient.newHttpClient();
    private WebServer server;

    @BeforeEach
    void start() {
        AdminGate gate = new AdminGate(TOKEN, new AdminGateSettings(3, 60_000, 100), meters, clock::get);
        HttpService behind = rules -> rules.get("/ping", (req, res) -> {
            reached.incrementAndGet();
            Json.ok(res, List.of(Json.MAPPER.createObjectNode().put("actor", AdminGate.actor(req))));
        });
        server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(r -> r.register("/admin/v1", gate, behind)).build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> ping(String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/admin/v1/ping"));
        if (token != null) {
            b.header("X-Admin-Token", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> r) throws Exception {
        JsonNode n = JSON.readTree(r.body());
        return n.get("code").asText();
    }

    private double throttled() {
        return meters.find("bourse_admin_auth_throttled_total").counter().count();
    }

    @Test
    void aBruteForceIsCutOffEvenWhenItGuessesRight() throws Exception {
        assertEquals(200, ping(TOKEN).statusCode());
        for (String wrong : new String[] {null, "guess-1", TOKEN + "x"}) {
            HttpResponse<String> r = ping(wrong);
            assertEquals(401, r.statusCode());
            assertEquals("50114", code(r));
        }
        clock.addAndGet(1_000);
        HttpResponse<String> r = ping(TOKEN);
        assertEquals(429, r.statusCode(), "the right token is not even looked at");
        assertEquals("50011", code(r));
        assertEquals("Too Many Requests", JSON.readTree(r.body()).get("msg").asText());
        assertTrue(r.headers().firstValue("x-request-id").isPresent());
        assertEquals(429, ping("guess-2").statusCode());
        assertEquals(2.0, throttled());
        assertEquals(3.0, meters.find("bourse_admin_permission_failures_total").counter().count(),
                "throttled requests are not token checks");
        assertEquals(1, reached.get(), "nothing behind the gate ran while throttled");

        clock.addAndGet(59_000); // the first failure leaves the window
        HttpResponse<String> ok = ping(TOKEN);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("0", code(ok));
        assertEquals(2, reached.get());
        assertEquals(2.0, throttled());
    }

    @Test
    void theRightTokenBelowTheLimitIsServed() throws Exception {
        assertEquals(401, ping("guess-1").statusCode());
        assertEquals(401, ping("guess-2").statusCode());
        assertEquals(200, ping(TOKEN).statusCode());
        assertEquals(0.0, throttled());
    }
}
