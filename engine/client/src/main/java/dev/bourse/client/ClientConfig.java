package dev.bourse.client;

import dev.bourse.client.auth.Credentials;
import dev.bourse.client.auth.ServerClock;
import dev.bourse.client.rest.RetryPolicy;
import dev.bourse.client.rest.gate.GateConfig;
import okhttp3.OkHttpClient;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything an {@link OkxClient} needs. Only the base URL distinguishes Bourse from OKX:
 *
 * <pre>{@code
 * ClientConfig.builder().baseUrl("http://127.0.0.1:8080").credentials(new Credentials(key, secret, pass)).build();
 * ClientConfig.builder().baseUrl("https://www.okx.com").credentials(...).demoTrading(true).build();
 * }</pre>
 *
 * @param baseUrl        scheme, host and port (no path)
 * @param credentials    null for public endpoints only
 * @param demoTrading    send {@code x-simulated-trading: 1} (OKX demo trading)
 * @param connectTimeout TCP/TLS connect timeout per attempt
 * @param readTimeout    longest silence while reading an answer
 * @param writeTimeout   longest stall while writing a request
 * @param requestTimeout default deadline of a whole call (gate wait, attempts, retry pauses); per call see
 *                       {@code RequestOptions}
 * @param userAgent      the {@code User-Agent} header
 * @param gate           request gate settings
 * @param retry          retry policy of idempotent GETs
 * @param clock          the server-time estimate shared with the WebSocket client (signing, login)
 * @param httpClient     an okhttp client to share (connection pool, dispatcher); null to make one
 * @param clOrdIdPrefix  prefix of generated clOrdIds (0–8 letters or digits)
 */
public record ClientConfig(String baseUrl, Credentials credentials, boolean demoTrading, Duration connectTimeout,
                           Duration readTimeout, Duration writeTimeout, Duration requestTimeout, String userAgent,
                           GateConfig gate, RetryPolicy retry, ServerClock clock, OkHttpClient httpClient,
                           String clOrdIdPrefix) {
    public static final String DEFAULT_USER_AGENT = "bourse-client/0.1";

    public ClientConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(clOrdIdPrefix, "clOrdIdPrefix");
        if (requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().baseUrl(baseUrl).credentials(credentials).demoTrading(demoTrading)
                .connectTimeout(connectTimeout).readTimeout(readTimeout).writeTimeout(writeTimeout)
                .requestTimeout(requestTimeout).userAgent(userAgent).gate(gate).retry(retry).clock(clock)
                .httpClient(httpClient).clOrdIdPrefix(clOrdIdPrefix);
    }

    @Override
    public String toString() {
        // never the secret: Credentials hides it
        return "ClientConfig[baseUrl=" + baseUrl + ", credentials=" + credentials + ", demoTrading=" + demoTrading
                + ", requestTimeout=" + requestTimeout + ", gate=" + gate + ", retry=" + retry + "]";
    }

    public static final class Builder {
        private String baseUrl = "https://www.okx.com";
        private Credentials credentials;
        private boolean demoTrading;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        private Duration writeTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(15);
        private String userAgent = DEFAULT_USER_AGENT;
        private GateConfig gate = GateConfig.defaults();
        private RetryPolicy retry = RetryPolicy.defaults();
        private ServerClock clock = new ServerClock();
        private OkHttpClient httpClient;
        private String clOrdIdPrefix = "";

        private Builder() {
        }

        public Builder baseUrl(String v) {
            this.baseUrl = v;
            return this;
        }

        public Builder credentials(Credentials v) {
            this.credentials = v;
            return this;
        }

        public Builder credentials(String apiKey, String secretKey, String passphrase) {
            return credentials(new Credentials(apiKey, secretKey, passphrase));
        }

        public Builder demoTrading(boolean v) {
            this.demoTrading = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            this.connectTimeout = v;
            return this;
        }

        public Builder readTimeout(Duration v) {
            this.readTimeout = v;
            return this;
        }

        public Builder writeTimeout(Duration v) {
            this.writeTimeout = v;
            return this;
        }

        public Builder requestTimeout(Duration v) {
            this.requestTimeout = v;
            return this;
        }

        public Builder userAgent(String v) {
            this.userAgent = v;
            return this;
        }

        public Builder gate(GateConfig v) {
            this.gate = v;
            return this;
        }

        public Builder retry(RetryPolicy v) {
            this.retry = v;
            return this;
        }

        public Builder clock(ServerClock v) {
            this.clock = v;
            return this;
        }

        public Builder httpClient(OkHttpClient v) {
            this.httpClient = v;
            return this;
        }

        public Builder clOrdIdPrefix(String v) {
            this.clOrdIdPrefix = v;
            return this;
        }

        public ClientConfig build() {
            return new ClientConfig(baseUrl, credentials, demoTrading, connectTimeout, readTimeout, writeTimeout,
                    requestTimeout, userAgent, gate, retry, clock, httpClient, clOrdIdPrefix);
        }
    }
}
