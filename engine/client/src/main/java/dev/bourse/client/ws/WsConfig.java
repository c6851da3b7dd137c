package dev.bourse.client.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.client.auth.Credentials;
import dev.bourse.client.auth.ServerClock;
import okhttp3.OkHttpClient;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link OkxWebSocket}. Build with {@link #builder(String)}; only the URL is required. With
 * {@link Builder#credentials} the client logs in after every (re)connection before it resubscribes, so use it
 * for {@code /ws/v5/private} (and {@code /ws/v5/business} when trading there).
 */
public record WsConfig(String url, Credentials credentials, ServerClock clock, Duration pingInterval,
                       Duration pongTimeout, boolean reconnect, Duration reconnectMin, Duration reconnectMax,
                       Duration requestTimeout, Delivery typedDelivery, Delivery rawDelivery, OkHttpClient httpClient,
                       ObjectMapper mapper, String name) {

    public WsConfig {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("ws://") && !url.startsWith("wss://") && !url.startsWith("http://")
                && !url.startsWith("https://")) {
            throw new IllegalArgumentException("a WebSocket URL starts with ws:// or wss://: " + url);
        }
        Objects.requireNonNull(clock, "clock");
        positive(pingInterval, "pingInterval");
        positive(pongTimeout, "pongTimeout");
        positive(reconnectMin, "reconnectMin");
        positive(reconnectMax, "reconnectMax");
        positive(requestTimeout, "requestTimeout");
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax " + reconnectMax + " is below reconnectMin " + reconnectMin);
        }
        Objects.requireNonNull(typedDelivery, "typedDelivery");
        Objects.requireNonNull(rawDelivery, "rawDelivery");
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(name, "name");
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    public boolean isPrivate() {
        return credentials != null;
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    public static final class Builder {
        private final String url;
        private Credentials credentials;
        private ServerClock clock = new ServerClock();
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration pongTimeout = Duration.ofSeconds(10);
        private boolean reconnect = true;
        private Duration reconnectMin = Duration.ofMillis(500);
        private Duration reconnectMax = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Delivery typedDelivery = Delivery.async(Delivery.DEFAULT_CAPACITY, QueuePolicy.BLOCK);
        private Delivery rawDelivery = Delivery.async(Delivery.DEFAULT_CAPACITY, QueuePolicy.BLOCK);
        private OkHttpClient httpClient;
        private ObjectMapper mapper;
        private String name = "okx-ws";

        private Builder(String url) {
            this.url = url;
        }

        /** Log in with this key after each connection (private and business endpoints). */
        public Builder credentials(Credentials c) {
            this.credentials = c;
            return this;
        }

        /** The clock whose offset (from the REST client's {@code syncTime()}) dates the login. */
        public Builder clock(ServerClock c) {
            this.clock = c;
            return this;
        }

        /** How often the text {@code ping} is sent (OKX and Bourse close a connection silent for 30 s). */
        public Builder pingInterval(Duration d) {
            this.pingInterval = d;
            return this;
        }

        /** A {@code pong} not received this long after a {@code ping} marks the connection dead: it is reopened. */
        public Builder pongTimeout(Duration d) {
            this.pongTimeout = d;
            return this;
        }

        /** Whether a lost connection is reopened (default true). */
        public Builder reconnect(boolean on) {
            this.reconnect = on;
            return this;
        }

        /** Reconnect delays: doubling from {@code min} up to {@code max}, each drawn at random from [d/2, d]. */
        public Builder reconnectBackoff(Duration min, Duration max) {
            this.reconnectMin = min;
            this.reconnectMax = max;
            return this;
        }

        /** How long login and order ops wait for their answer. */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        public Builder typedDelivery(Delivery d) {
            this.typedDelivery = d;
            return this;
        }

        public Builder rawDelivery(Delivery d) {
            this.rawDelivery = d;
            return this;
        }

        /** An okhttp client to share (its dispatcher and connection pool); the client makes its own otherwise. */
        public Builder httpClient(OkHttpClient c) {
            this.httpClient = c;
            return this;
        }

        public Builder mapper(ObjectMapper m) {
            this.mapper = m;
            return this;
        }

        /** Used in thread names and log lines. */
        public Builder name(String n) {
            this.name = n;
            return this;
        }

        public WsConfig build() {
            return new WsConfig(url, credentials, clock, pingInterval, pongTimeout, reconnect, reconnectMin,
                    reconnectMax, requestTimeout, typedDelivery, rawDelivery, httpClient,
                    mapper != null ? mapper : new ObjectMapper(), name);
        }
    }
}
