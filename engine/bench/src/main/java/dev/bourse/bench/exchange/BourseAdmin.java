package dev.bourse.bench.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.client.auth.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The operator side of a Bourse that the bench tools use to set up traders: the internal API (users, deposits,
 * mass-cancel; {@code X-Internal-Token}) and the admin API (API keys; {@code X-Admin-Token}). A refusal throws
 * {@link IllegalStateException} with the exchange's code and message.
 */
public final class BourseAdmin implements AutoCloseable {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper M = new ObjectMapper();

    private final String baseUrl;
    private final ExchangeTokens tokens;
    private final OkHttpClient http;

    public BourseAdmin(String baseUrl, ExchangeTokens tokens) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tokens = tokens;
        // key creation hashes the passphrase (PBKDF2) on the server: allow for a slow, busy machine
        this.http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(60)).build();
    }

    /** Creates the user (or finds it: names are unique) and answers its account id. */
    public String createUser(String name) {
        JsonNode d = post("/internal/v1/users", internal(), M.createObjectNode().put("name", name));
        return d.path("userId").asText();
    }

    /** Posts a deposit from the external account; false when {@code key} was posted before (idempotent). */
    public boolean deposit(String userId, String ccy, String amt, String key) {
        JsonNode d = post("/internal/v1/deposits", internal(), M.createObjectNode().put("userId", userId)
                .put("ccy", ccy).put("amt", amt).put("key", key));
        return d.path("posted").asBoolean();
    }

    /** A new trade-enabled key without IP allowlist; the secret is only ever in this answer. */
    public Credentials createApiKey(String userId, String label, String passphrase) {
        JsonNode d = post("/admin/v1/api-keys", admin(), M.createObjectNode().put("userId", userId)
                .put("label", label).put("passphrase", passphrase).put("perm", "read_only,trade").put("ip", ""));
        return new Credentials(d.path("apiKey").asText(), d.path("secretKey").asText(), passphrase);
    }

    /** Cancels every live order of the user (on one instrument when {@code instId} is not null). */
    public long massCancel(String userId, String instId) {
        ObjectNode body = M.createObjectNode().put("userId", userId);
        if (instId != null) {
            body.put("instId", instId);
        }
        return post("/internal/v1/orders/mass-cancel", internal(), body).path("count").asLong();
    }

    private String[] internal() {
        if (tokens.internalToken() == null) {
            throw new IllegalStateException("INTERNAL_TOKEN is needed to create users and deposit "
                    + "(--internal-token, the INTERNAL_TOKEN variable, or --secrets data/dev-secrets.properties)");
        }
        return new String[]{"X-Internal-Token", tokens.internalToken()};
    }

    private String[] admin() {
        if (tokens.adminToken() == null) {
            throw new IllegalStateException("ADMIN_TOKEN is needed to create API keys "
                    + "(--admin-token, the ADMIN_TOKEN variable, or --secrets data/dev-secrets.properties)");
        }
        return new String[]{"X-Admin-Token", tokens.adminToken(), "X-Admin-Actor", "bench"};
    }

    private JsonNode post(String path, String[] headers, ObjectNode body) {
        Request.Builder rb = new Request.Builder().url(baseUrl + path)
                .post(RequestBody.create(body.toString(), JSON_TYPE));
        for (int i = 0; i < headers.length; i += 2) {
            rb.header(headers[i], headers[i + 1]);
        }
        try (Response r = http.newCall(rb.build()).execute()) {
            String text = r.body().string();
            JsonNode root;
            try {
                root = M.readTree(text);
            } catch (IOException e) {
                throw new IllegalStateException("POST " + path + " answered HTTP " + r.code() + " without JSON: " + text);
            }
            if (!r.isSuccessful() || !"0".equals(root.path("code").asText())) {
                throw new IllegalStateException("POST " + path + " refused: HTTP " + r.code() + " code "
                        + root.path("code").asText() + " " + root.path("msg").asText());
            }
            JsonNode first = root.path("data").path(0);
            if (first.isMissingNode() || first.path("sCode").asText("0").equals("0")) {
                return first;
            }
            throw new IllegalStateException("POST " + path + " refused: " + first.path("sCode").asText() + " "
                    + first.path("sMsg").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + baseUrl + path + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
