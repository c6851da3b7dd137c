package dev.bourse.bench.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.bench.load.LoadOptions;
import dev.bourse.bench.load.LoadRun;
import dev.bourse.testkit.DevEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short load run (5 s at 200 requests/s after a 2 s warm-up, 8 traders) against a dev engine process, once with
 * REST order entry and once with WebSocket order ops, checking the report: orders accepted and filled, ack
 * percentiles, {@code orders} and {@code trades} push latency recorded, no request without an answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class LoadGeneratorIT {
    private static final ObjectMapper M = new ObjectMapper();
    private DevEngine engine;

    @BeforeAll
    void start() throws Exception {
        engine = DevEngine.start("bench-load-it", Map.of());
    }

    @AfterAll
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rest", "ws"})
    void aShortRunIsMeasuredAndReported(String entry) throws Exception {
        Path out = Files.createTempDirectory(Path.of("target"), "load-it-" + entry + "-");
        LoadOptions o = LoadOptions.parse(new String[]{"--url", engine.baseUrl(),
                "--internal-token", DevEngine.INTERNAL_TOKEN, "--admin-token", DevEngine.ADMIN_TOKEN,
                "--traders", "8", "--makers", "3", "--rate", "200", "--duration", "5s", "--warmup", "2s",
                "--entry", entry, "--max-inflight", "32", "--mid", "BTC-USDT=60000,ETH-USDT=3000",
                "--user-prefix", "it-" + entry, "--out", out.toString()});
        LoadRun.Result r = new LoadRun(o, System.err).run();
        System.err.println(r.report().summary());

        JsonNode json = M.readTree(Files.readString(out.resolve("report.json")));
        assertTrue(Files.readString(r.html()).contains("<svg"), "the HTML report has its charts");
        JsonNode totals = json.path("totals");
        assertTrue(totals.path("accepted").asLong() > 0, json.toPrettyString());
        assertTrue(totals.path("fills").asLong() > 0, "takers hit the makers' quotes: " + totals);
        assertEquals(0, totals.path("failed").asLong(), "every request answered: " + json.path("failures"));
        assertEquals(totals.path("sent").asLong(), totals.path("accepted").asLong() + totals.path("rejected").asLong(),
                "each request sent was answered once");
        // 200/s for 5 s, give or take the requests due right at the edges
        assertEquals(1000, totals.path("sent").asLong(), 5);
        JsonNode ack = json.path("ackLatencyMicros");
        assertEquals(totals.path("sent").asLong(), ack.path("count").asLong());
        assertTrue(ack.path("p50").asLong() > 0 && ack.path("p99").asLong() >= ack.path("p50").asLong()
                && ack.path("p99.9").asLong() >= ack.path("p99").asLong(), ack.toString());
        assertTrue(json.path("ordersPushLatencyMicros").path("count").asLong() > 0, "orders pushes timed");
        assertTrue(json.path("tradesPushLatencyMicros").path("count").asLong() > 0, "trades pushes timed");
        assertTrue(json.path("operations").has("place.post_only") || json.path("operations").has("place.limit"));
        assertEquals(6, json.path("timeline").size(), "five seconds and the drain");
        assertEquals(0, json.at("/clients/ws/privateReconnects").asLong());
    }
}
