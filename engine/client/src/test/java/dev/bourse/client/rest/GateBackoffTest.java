package dev.bourse.client.rest;

import dev.bourse.client.OkxClient;
import dev.bourse.client.error.ApiException;
import dev.bourse.client.error.OkxErrors;
import dev.bourse.client.error.RequestStateException;
import dev.bourse.client.rest.gate.GateConfig;
import dev.bourse.client.rest.gate.GateStats;
import dev.bourse.client.support.MockExchange;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate in front of a real HTTP exchange: 429s slow the client down instead of provoking more of them. */
class GateBackoffTest {
    private static final String OK_TICKER = "{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"instId\":\"BTC-USDT\",\"last\":\"1\"}]}";
    private static final String LIMITED = "{\"code\":\"50011\",\"msg\":\"Too Many Requests\",\"data\":[]}";

    /** Answers 429 to the first {@code limited} requests, then OK; records when each arrived. */
    private static final class Throttling extends Dispatcher {
        final int limited;
        final AtomicInteger seen = new AtomicInteger();
        final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());

        Throttling(int limited) {
            this.limited = limited;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            arrivals.add(System.nanoTime());
            boolean limit = seen.incrementAndGet() <= limited;
            return new MockResponse.Builder().code(limit ? 429 : 200).body(limit ? LIMITED : OK_TICKER).build();
        }
    }

    private static GateConfig gate(int maxConcurrent) {
        return GateConfig.builder().maxConcurrent(maxConcurrent).routeBudgets(false)
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
    }

    @Test
    void aRateLimitedGetWaitsOutThePauseThenSucceeds() throws Exception {
        try (MockExchange ex = new MockExchange();
             OkxClient c = OkxClient.create(ex.config().gate(gate(4)).build())) {
            Throttling server = new Throttling(1);
            ex.server.setDispatcher(server);
            assertEquals("BTC-USDT", c.market().ticker().instId("BTC-USDT").execute().instId());
            assertEquals(2, server.arrivals.size());
            long gap = server.arrivals.get(1) - server.arrivals.get(0);
            assertTrue(gap >= TimeUnit.MILLISECONDS.toNanos(100), "the retry waited for the gate's pause: " + gap);
            RestStats s = c.stats();
            assertEquals(1, s.rateLimited());
            assertEquals(1, s.retries());
            assertEquals(1, s.gate().backoffs());
        }
    }

    @Test
    void concurrentCallersDoNotStormAfterA429() throws Exception {
        try (MockExchange ex = new MockExchange();
             OkxClient c = OkxClient.create(ex.config().gate(gate(1)).build())) {
            Throttling server = new Throttling(2);
            ex.server.setDispatcher(server);
            List<CompletableFuture<Void>> callers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                callers.add(CompletableFuture.runAsync(() -> c.market().ticker().instId("BTC-USDT").execute()));
            }
            for (CompletableFuture<Void> f : callers) {
                f.get(10, TimeUnit.SECONDS);
            }
            // 6 calls, 2 limited answers: each retried once, nothing more
            assertEquals(8, server.arrivals.size());
            // after each 429 the next request waited at least half the (growing) pause
            long afterFirst = server.arrivals.get(1) - server.arrivals.get(0);
            long afterSecond = server.arrivals.get(2) - server.arrivals.get(1);
            assertTrue(afterFirst >= TimeUnit.MILLISECONDS.toNanos(100), "paused after the first 429: " + afterFirst);
            assertTrue(afterSecond >= TimeUnit.MILLISECONDS.toNanos(200), "longer after the second: " + afterSecond);
            GateStats g = c.gate().stats();
            assertEquals(2, g.backoffs());
            assertEquals(0, g.inFlight());
            assertTrue(g.waited() >= 2, g.toString());
            assertEquals(0, g.pausedRoutes(), "recovered");
        }
    }

    @Test
    void aPostIsNotRetriedButItsRouteIsPausedForTheNextOne() throws Exception {
        try (MockExchange ex = new MockExchange();
             OkxClient c = OkxClient.create(ex.config().gate(GateConfig.builder().routeBudgets(false)
                     .backoff(Duration.ofSeconds(2), Duration.ofSeconds(2)).build()).build())) {
            ex.enqueue(429, LIMITED);
            ApiException e = assertThrows(ApiException.class, () -> c.trade().cancelOrder().instId("BTC-USDT")
                    .ordId("1").execute());
            assertTrue(OkxErrors.isRateLimit(e));
            assertEquals(1, ex.server.getRequestCount());
            // the same route within the pause, with a short deadline: refused by the gate, not sent
            RequestStateException gated = assertThrows(RequestStateException.class, () -> c.trade().cancelOrder()
                    .instId("BTC-USDT").ordId("2").execute(RequestOptions.timeout(Duration.ofMillis(200))));
            assertEquals(RequestStateException.Stage.GATE, gated.stage());
            assertTrue(!gated.dispatched());
            assertEquals(1, ex.server.getRequestCount());
            assertEquals(1, c.gate().stats().rejected());
        }
    }
}
