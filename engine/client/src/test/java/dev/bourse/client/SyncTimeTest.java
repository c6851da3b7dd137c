package dev.bourse.client;

import dev.bourse.client.auth.ServerClock;
import dev.bourse.client.support.MockExchange;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncTimeTest {
    /** A local clock that reads the given values in turn (the last one repeats). */
    private static final class ScriptedClock extends Clock {
        private final ArrayDeque<Long> script;
        private long last;

        ScriptedClock(List<Long> millis) {
            this.script = new ArrayDeque<>(millis);
        }

        @Override
        public synchronized long millis() {
            if (!script.isEmpty()) {
                last = script.poll();
            }
            return last;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void theOffsetIsServerTimeMinusTheRoundTripsMidpoint() throws Exception {
        // sent at 1000, answered at 1400 (local); the server said 5000 → offset 5000 - 1200
        ServerClock clock = new ServerClock(new ScriptedClock(List.of(1_000L, 1_400L)));
        try (MockExchange ex = new MockExchange(); OkxClient c = OkxClient.create(ex.config().clock(clock).build())) {
            ex.ok("{\"ts\":\"5000\"}");
            TimeSync s = c.syncTime();
            assertEquals(3_800, s.offsetMillis());
            assertEquals(400, s.roundTripMillis());
            assertEquals(5_000, s.serverMillis());
            assertEquals(3_800, clock.offsetMillis(), "stored in the shared clock");
            assertEquals("/api/v5/public/time", ex.take().getTarget());
        }
    }

    @Test
    void aSlowAnswerIsCorrectedByHalfItsRoundTrip() throws Exception {
        ServerClock clock = new ServerClock();
        try (MockExchange ex = new MockExchange(); OkxClient c = OkxClient.create(ex.config().clock(clock).build())) {
            long serverAhead = 90_000;
            long serverTs = System.currentTimeMillis() + serverAhead + 150; // stamped half-way through a 300 ms trip
            ex.server.enqueue(new MockResponse.Builder().code(200)
                    .body("{\"code\":\"0\",\"msg\":\"\",\"data\":[{\"ts\":\"" + serverTs + "\"}]}")
                    .headersDelay(300, TimeUnit.MILLISECONDS).build());
            TimeSync s = c.syncTime();
            assertTrue(s.roundTripMillis() >= 300, s.toString());
            long error = Math.abs(s.offsetMillis() - serverAhead);
            assertTrue(error <= s.roundTripMillis() / 2 + 50, "offset within half the round trip: " + s);
            assertTrue(Math.abs(clock.now().toEpochMilli() - (System.currentTimeMillis() + serverAhead)) < 1_000);
        }
    }
}
