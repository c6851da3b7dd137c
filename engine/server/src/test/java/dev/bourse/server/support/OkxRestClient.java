package dev.bourse.server.support;

import dev.bourse.testkit.EngineProcess;
import com.fasterxml.jackson.databind.JsonNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * A trader's view of the REST API in tests: signs like an OKX client (written here from OKX's
 * documentation, independently of the engine's verifier) and returns status, body, JSON and request id.
 */
public final class OkxRestClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** API key credentials. */
    public record Credentials(String apiKey, String secret, String passphrase) {
    }

    /** The answer: HTTP status, OKX envelope and the {@code x-request-id} header. */
    public record Answer(int status, String body, JsonNode json, String requestId) {
        public String code() {
            return json == null ? null : json.path("code").asText(null);
        }

        public JsonNode data() {
            return json == null ? null : json.path("data");
        }

        public JsonNode first() {
            return data() == null ? null : data().path(0);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final URI base;
    private final Credentials creds;

    public OkxRestClient(URI base, Credentials creds) {
        this.base = base;
        this.creds = creds;
    }

    public OkxRestClient as(Credentials other) {
        return new OkxRestClient(base, other);
    }

    public static String isoNow() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** OKX REST signature: Base64(HMAC-SHA256(secret, timestamp + METHOD + requestPath + body)). */
    public static String sign(String secret, String prehash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(prehash.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Answer get(String pathAndQuery) throws IOException, InterruptedException {
        return send("GET", pathAndQuery, "", isoNow(), null);
    }

    public Answer post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body, isoNow(), null);
    }

    /** Full control for auth tests: timestamp and a signature override (null: sign correctly). */
    public Answer send(String method, String pathAndQuery, String body, String timestamp, String signOverride)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (creds != null) {
            String sign = signOverride != null ? signOverride
                    : sign(creds.secret(), timestamp + method + pathAndQuery + body);
            b.header("OK-ACCESS-KEY", creds.apiKey())
                    .header("OK-ACCESS-SIGN", sign)
                    .header("OK-ACCESS-TIMESTAMP", timestamp)
                    .header("OK-ACCESS-PASSPHRASE", creds.passphrase());
        }
        if ("POST".equals(method)) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.GET();
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = EngineProcess.MAPPER.readTree(r.body());
        } catch (IOException notJson) {
            // left null: the caller asserts on the body
        }
        return new Answer(r.statusCode(), r.body(), json, r.headers().firstValue("x-request-id").orElse(null));
    }
}
