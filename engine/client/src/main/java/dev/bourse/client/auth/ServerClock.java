package dev.bourse.client.auth;

import java.time.Clock;
import java.time.Instant;

/**
 * The server's time as this client estimates it: the local clock plus an offset measured by {@code syncTime()}
 * (server time minus the midpoint of the request's round trip). Shared by REST signing and WebSocket login so
 * that a skewed local clock is corrected once for both.
 */
public final class ServerClock {
    private final Clock local;
    private volatile long offsetMillis;

    public ServerClock() {
        this(Clock.systemUTC());
    }

    public ServerClock(Clock local) {
        this.local = local;
    }

    public Instant now() {
        return local.instant().plusMillis(offsetMillis);
    }

    public long localMillis() {
        return local.millis();
    }

    public long offsetMillis() {
        return offsetMillis;
    }

    /** Records a measurement: the server said {@code serverMillis} for a request sent at {@code sentMillis}
     *  (local) and answered at {@code receivedMillis} (local). Returns the new offset. */
    public long record(long serverMillis, long sentMillis, long receivedMillis) {
        long midpoint = sentMillis + (receivedMillis - sentMillis) / 2;
        offsetMillis = serverMillis - midpoint;
        return offsetMillis;
    }

    public void setOffsetMillis(long offsetMillis) {
        this.offsetMillis = offsetMillis;
    }
}
