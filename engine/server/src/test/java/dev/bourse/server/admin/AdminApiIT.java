package dev.bourse.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.server.auth.ApiKeyStore;
import dev.bourse.server.auth.ApiPrincipal;
import dev.bourse.server.auth.AuthConfig;
import dev.bourse.server.auth.AuthException;
import dev.bourse.server.auth.HmacApiKeyVerifier;
import dev.bourse.server.auth.OkxSignature;
import dev.bourse.server.auth.PassphraseHasher;
import dev.bourse.server.auth.Permission;
import dev.bourse.server.auth.SecretBox;
import dev.bourse.server.auth.SignedRequest;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API over HTTP: a Helidon WebServer on port 0 routing only the admin service, on PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "admin-token-for-the-test-0123456789";

    private TestDatabases.TestDb testDb;
    private Database db;
    private WebServer server;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiKeyStore store;
    private long userId;

    @BeforeAll
    void start() throws Exception {
        testDb = TestDatabases.postgres();
        db = testDb.open();
        Ledger ledger = new Ledger(db);
        ledger.ensureSystemAccounts(1);
        userId = ledger.createUser("admin-it-user");
        store = new ApiKeyStore(db, SecretBox.fromAuthTokenSecret("admin-it-auth-token-secret-0123456789"),
                new PassphraseHasher(1_000), new AuditLog(meters), Clock.systemUTC());
        AdminApi admin = new AdminApi(store, meters);
        AdminGate gate = new AdminGate(TOKEN, meters);
        server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(r -> r.register("/admin/v1", gate, admin)).build().start();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        db.close();
        testDb.close();
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/admin/v1" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("X-Admin-Token", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private long apiKeyRows() throws Exception {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM api_keys");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void refusesMissingOrWrongToken() throws Exception {
        long before = apiKeyRows();
        String body = "{\"userId\":\"" + userId + "\",\"label\":\"x\",\"passphrase\":\"Pass-phrase1\",\"perm\":\"trade\"}";
        for (String token : new String[] {null, "", "admin-token-for-the-test-012345678", TOKEN + "x"}) {
            HttpResponse<String> r = call("POST", "/api-keys", token, body);
            assertEquals(401, r.statusCode(), "token " + token);
            assertEquals("50114", json(r).get("code").asText());
            assertEquals(0, json(r).get("data").size());
        }
        assertEquals(401, call("GET", "/api-keys?userId=" + userId, "wrong", null).statusCode());
        assertEquals(401, call("POST", "/api-keys/revoke", null, "{\"apiKey\":\"x\"}").statusCode());
        assertTrue(meters.find("bourse_admin_permission_failures_total").counter().count() >= 6);
        assertEquals(before, apiKeyRows(), "a refused request changes nothing");
    }

    @Test
    void createsListsAndRevokesKeys() throws Exception {
        HttpResponse<String> r = call("POST", "/api-keys", TOKEN, "{\"userId\":\"" + userId
                + "\",\"label\":\"market maker\",\"passphrase\":\"Pass-phrase1\",\"perm\":\"read_only,trade\",\"ip\":\"127.0.0.1\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode created = json(r).get("data").get(0);
        assertEquals("0", json(r).get("code").asText());
        String apiKey = created.get("apiKey").asText();
        String secret = created.get("secretKey").asText();
        assertEquals(64, secret.length());
        assertEquals(Long.toString(userId), created.get("userId").asText());
        assertEquals("market maker", created.get("label").asText());
        assertEquals("read_only,trade", created.get("perm").asText());
        assertEquals("127.0.0.1", created.get("ip").asText());
        assertTrue(created.get("ts").asLong() > 0);
        assertFalse(r.body().contains("Pass-phrase1"), "the passphrase is never echoed");
        assertFalse(created.has("passphrase"));
        assertEquals(1.0, meters.find("bourse_admin_operations_total").tag("action", "api_key.create").counter().count());

        // the handed-out credentials sign requests
        HmacApiKeyVerifier verifier = new HmacApiKeyVerifier(store, AuthConfig.DEFAULTS, meters, Clock.systemUTC());
        String ts = OkxSignature.restTimestamp(Instant.now());
        String target = "/api/v5/account/balance?ccy=BTC";
        ApiPrincipal p = verifier.verify(new SignedRequest(apiKey, OkxSignature.rest(secret, ts, "GET", target, ""), ts,
                "Pass-phrase1", "GET", target, new byte[0], "127.0.0.1"));
        assertEquals(userId, p.userId());
        assertTrue(p.can(Permission.TRADE));

        HttpResponse<String> listed = call("GET", "/api-keys?userId=" + userId, TOKEN, null);
        assertEquals(200, listed.statusCode());
        assertFalse(listed.body().contains(secret), "listing never shows the secret");
        assertFalse(listed.body().contains("secretKey"));
        JsonNode row = null;
        for (JsonNode n : json(listed).get("data")) {
            if (n.get("apiKey").asText().equals(apiKey)) {
                row = n;
            }
        }
        assertEquals("live", row.get("state").asText());

        HttpResponse<String> revoked = call("POST", "/api-keys/revoke", TOKEN, "{\"apiKey\":\"" + apiKey + "\"}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals("revoked", json(revoked).get("data").get(0).get("state").asText());
        assertEquals(1.0, meters.find("bourse_admin_operations_total").tag("action", "api_key.revoke").counter().count());
        // the verifier of this process forgets the key at once
        String ts2 = OkxSignature.restTimestamp(Instant.now());
        AuthException e = assertThrows(AuthException.class, () -> verifier.verify(new SignedRequest(apiKey,
                OkxSignature.rest(secret, ts2, "GET", target, ""), ts2, "Pass-phrase1", "GET", target, new byte[0], "127.0.0.1")));
        assertEquals("50119", e.code());

        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT actor, action, detail FROM audit_log WHERE target = ? ORDER BY audit_id")) {
            ps.setString(1, apiKey);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("admin", rs.getString(1));
                assertEquals("api_key.create", rs.getString(2));
                assertFalse(rs.getString(3).contains(secret));
                assertTrue(rs.next());
                assertEquals("api_key.revoke", rs.getString(2));
                assertFalse(rs.next());
            }
        }
    }

    @Test
    void refusesBadRequestsWithOkxCodes() throws Exception {
        long before = apiKeyRows();
        assertRefused(call("POST", "/api-keys", TOKEN, ""), 400, "50000");
        assertRefused(call("POST", "/api-keys", TOKEN, "not json"), 400, "50000");
        assertRefused(call("POST", "/api-keys", TOKEN, "{\"label\":\"x\",\"passphrase\":\"Pass-phrase1\"}"), 400, "50014");
        assertRefused(call("POST", "/api-keys", TOKEN, "{\"userId\":\"" + userId + "\",\"label\":\"x\",\"passphrase\":\"short\"}"),
                400, "51000");
        assertRefused(call("POST", "/api-keys", TOKEN, "{\"userId\":\"" + userId
                + "\",\"label\":\"x\",\"passphrase\":\"Pass-phrase1\",\"perm\":\"admin\"}"), 400, "51000");
        assertRefused(call("POST", "/api-keys", TOKEN, "{\"userId\":\"" + userId
                + "\",\"label\":\"x\",\"passphrase\":\"Pass-phrase1\",\"ip\":\"my.host\"}"), 400, "51000");
        assertRefused(call("POST", "/api-keys", TOKEN, "{\"userId\":\"999999\",\"label\":\"x\",\"passphrase\":\"Pass-phrase1\"}"),
                400, "51000");
        assertRefused(call("GET", "/api-keys", TOKEN, null), 400, "50014");
        assertRefused(call("GET", "/api-keys?userId=abc", TOKEN, null), 400, "51000");
        assertRefused(call("POST", "/api-keys/revoke", TOKEN, "{}"), 400, "50014");
        assertRefused(call("POST", "/api-keys/revoke", TOKEN, "{\"apiKey\":\"00000000-0000-4000-8000-000000000000\"}"),
                400, "50119");
        assertEquals(before, apiKeyRows());
    }

    private static void assertRefused(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, json(r).get("code").asText(), r.body());
        assertFalse(json(r).get("msg").asText().isEmpty());
    }
}
