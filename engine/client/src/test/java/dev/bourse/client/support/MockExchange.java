package dev.bourse.client.support;

import dev.bourse.client.ClientConfig;
import dev.bourse.client.OkxClient;
import dev.bourse.client.auth.Credentials;
import dev.bourse.client.rest.RetryPolicy;
import dev.bourse.client.rest.gate.GateConfig;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A MockWebServer speaking OKX's envelope, and clients pointed at it. */
public final class MockExchange implements AutoCloseable {
    public static final Credentials CREDENTIALS =
            new Credentials("test-key-1", "22582BD0CFF14C41EDBF1AB98506286D", "Test-Pass-1");

    public final MockWebServer server = new MockWebServer();

    public MockExchange() throws IOException {
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** Signed, no demo header, fast retries, gate without route budgets (tests of the gate set their own). */
    public ClientConfig.Builder config() {
        return ClientConfig.builder().baseUrl(baseUrl()).credentials(CREDENTIALS)
                .retry(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40)))
                .gate(GateConfig.builder().routeBudgets(false).build())
                .requestTimeout(Duration.ofSeconds(5));
    }

    public OkxClient client() {
        return OkxClient.create(config().build());
    }

    public void enqueue(int status, String body) {
        server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .addHeader("x-request-id", "req-" + (server.getRequestCount() + 1)).body(body).build());
    }

    /** {@code {"code":"0","msg":"","data":[data]}}. */
    public void ok(String data) {
        enqueue(200, "{\"code\":\"0\",\"msg\":\"\",\"data\":[" + data + "]}");
    }

    public void error(int status, String code, String msg) {
        enqueue(status, "{\"code\":\"" + code + "\",\"msg\":\"" + msg + "\",\"data\":[]}");
    }

    public RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request arrived");
        }
        return r;
    }

    @Override
    public void close() {
        server.close();
    }
}
