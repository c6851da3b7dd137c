package dev.bourse.client.rest;

import dev.bourse.client.OkxClient;
import dev.bourse.client.support.MockExchange;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client keeps as many keep-alive connections as its gate lets requests run at once: a bot with a dozen requests
 * in flight reuses its connections instead of closing most of them after each request and opening new ones.
 */
class ConnectionReuseTest {
    private static final int IN_FLIGHT = 12;

    @Test
    void concurrentRequestsReuseTheirConnectionsRoundAfterRound() throws Exception {
        try (MockExchange ex = new MockExchange(); OkxClient c = ex.client();
             ExecutorService threads = Executors.newFixedThreadPool(IN_FLIGHT)) {
            for (int i = 0; i < 3 * IN_FLIGHT; i++) { // slow answers, so each round's requests overlap
                ex.server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                        .headersDelay(300, TimeUnit.MILLISECONDS)
                        .body("{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"ccy\":\"BTC\",\"state\":\"live\"}]}").build());
            }
            for (int round = 0; round < 3; round++) {
                List<CompletableFuture<?>> calls = new ArrayList<>();
                for (int i = 0; i < IN_FLIGHT; i++) {
                    calls.add(CompletableFuture.runAsync(() -> c.account().config().execute(), threads));
                }
                CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            }
            Set<Integer> connections = new HashSet<>();
            for (int i = 0; i < 3 * IN_FLIGHT; i++) {
                RecordedRequest r = ex.take();
                connections.add(r.getConnectionIndex());
            }
            assertEquals(3 * IN_FLIGHT, ex.server.getRequestCount());
            assertTrue(connections.size() <= IN_FLIGHT, "connections opened for 3 rounds of " + IN_FLIGHT
                    + " concurrent requests: " + connections.size() + " (each round should reuse the last one's)");
        }
    }
}
