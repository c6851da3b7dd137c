package dev.bourse.server.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.asset.Asset;
import dev.bourse.server.admin.AdminGate;
import dev.bourse.server.admin.AuditLog;
import dev.bourse.server.api.RateLimitGate;
import dev.bourse.server.api.TraderApi;
import dev.bourse.server.auth.ApiKeyStore;
import dev.bourse.server.auth.AuthConfig;
import dev.bourse.server.auth.CreatedApiKey;
import dev.bourse.server.auth.HmacApiKeyVerifier;
import dev.bourse.server.auth.IpAllowlist;
import dev.bourse.server.auth.NewApiKey;
import dev.bourse.server.auth.PassphraseHasher;
import dev.bourse.server.auth.Permission;
import dev.bourse.server.auth.SecretBox;
import dev.bourse.server.http.InternalApi;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.ratelimit.RateLimitRules;
import dev.bourse.server.ratelimit.RateLimiter;
import dev.bourse.server.ratelimit.RateLimits;
import dev.bourse.server.reconcile.Reconciler;
import dev.bourse.server.reconcile.ReconciliationReport;
import dev.bourse.server.store.Database;
import dev.bourse.testkit.EngineProcess;
import dev.bourse.server.support.OkxRestClient;
import dev.bourse.server.support.OkxRestClient.Answer;
import dev.bourse.server.support.TestDatabases;
import dev.bourse.server.support.TraderFixture;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wallet over HTTP on PostgreSQL, wired as EngineServer wires it: the OKX funding endpoints through
 * {@link TraderApi} with signed requests, the admin service behind {@link AdminGate}, and the policy API
 * behind the existing {@link InternalApi}'s token check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class WalletApiIT {
    private static final String ADMIN_TOKEN = "wallet-admin-token-0123456789abcdef";
    private static final String INTERNAL_TOKEN = "wallet-internal-token-0123456789abcdef";
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final HttpClient http = HttpClient.newHttpClient();
    private TestDatabases.TestDb testDb;
    private Database db;
    private Wallet wallet;
    private WebServer server;
    private ApiKeyStore keys;
    private Asset btc;

    @BeforeAll
    void start() throws Exception {
        testDb = TestDatabases.postgres();
        db = testDb.open();
        TraderFixture.list(db);
        btc = new Listing(db).assets().get("BTC");
        AuditLog audit = new AuditLog(meters);
        wallet = new Wallet(db, new Listing(db), audit, new WalletTestKit.Switches(), new SimulatedChain(db), meters,
                Clock.systemUTC(), WalletSettings.MANUAL);
        wallet.start();
        keys = new ApiKeyStore(db, SecretBox.fromAuthTokenSecret(TraderFixture.AUTH_SECRET), new PassphraseHasher(1_000), audit,
                Clock.systemUTC());
        HmacApiKeyVerifier verifier = new HmacApiKeyVerifier(keys, AuthConfig.DEFAULTS, meters, Clock.systemUTC());
        RateLimits limits = new RateLimits(RateLimitRules.parse("asset/*=1000/1s"), new RateLimiter(meters),
                System::currentTimeMillis);
        TraderApi trader = new TraderApi(verifier, new RateLimitGate(limits), meters);
        new WalletEndpoints(wallet).register(trader);
        InternalApi internal = new InternalApi(null, Map.of(), Map.of(), new Ledger(db), null, INTERNAL_TOKEN);
        server = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                .routing(r -> r.register("/internal/v1", internal, new WalletInternalApi(wallet, meters))
                        .register("/admin/v1", new AdminGate(ADMIN_TOKEN, meters), new WalletAdminApi(wallet, meters))
                        .register("/api/v5", trader))
                .build().start();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (wallet != null) {
            wallet.close();
        }
        if (db != null) {
            db.close();
        }
        if (testDb != null) {
            testDb.close();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private JsonNode call(String method, String path, Map<String, String> headers, String body, int status) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body());
        return EngineProcess.MAPPER.readTree(r.body());
    }

    private JsonNode internal(String method, String path, String body, int status) throws Exception {
        return call(method, "/internal/v1" + path, Map.of("X-Internal-Token", INTERNAL_TOKEN, "X-Admin-Actor", "operator"),
                body, status);
    }

    private JsonNode admin(String method, String path, String body, int status) throws Exception {
        return call(method, "/admin/v1" + path, Map.of("X-Admin-Token", ADMIN_TOKEN, "X-Admin-Actor", "ops-it",
                "Content-Type", "application/json"), body, status);
    }

    private static String policyJson(long generation, boolean withdrawals, String review) {
        return """
                {"metadata":{"generation":%d},"spec":{"depositsEnabled":true,"withdrawalsEnabled":%s,"confirmations":2,
                 "minWithdrawal":"0.001","maxWithdrawal":"5","dailyLimit":"10","reviewThreshold":"%s",
                 "whitelistRequired":false,"cooldown":"0s","withdrawalFee":"0.0005"}}""".formatted(generation, withdrawals, review);
    }

    private OkxRestClient trader(long userId, Permission... perms) throws Exception {
        String passphrase = TraderFixture.passphrase();
        CreatedApiKey k = keys.create(new NewApiKey(userId, "it", passphrase, Set.of(perms), IpAllowlist.ANY), "test");
        return new OkxRestClient(uri("/"), new OkxRestClient.Credentials(k.info().apiKey(), k.secretKey(), passphrase));
    }

    private long auditRows(String action) throws Exception {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM audit_log WHERE action = ?")) {
            ps.setString(1, action);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private double policyOps() {
        var c = meters.find("bourse_admin_operations_total").tag("action", "wallet.policy.apply").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void internalPolicyApiIsIdempotentOrderedByGenerationAndReadable() throws Exception {
        call("PUT", "/internal/v1/wallet-policies/ETH", Map.of(), policyJson(1, true, "1"), 401);
        call("PUT", "/internal/v1/wallet-policies/ETH", Map.of("X-Internal-Token", "wrong"), policyJson(1, true, "1"), 401);
        assertEquals(404, http.send(HttpRequest.newBuilder(uri("/internal/v1/wallet-policies/ETH"))
                .header("X-Internal-Token", INTERNAL_TOKEN).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        long audits = auditRows("wallet.policy.apply");
        double ops = policyOps();
        JsonNode first = internal("PUT", "/wallet-policies/ETH", policyJson(3, true, "1"), 200).path("data").path(0);
        assertEquals(3, first.path("generation").asLong());
        assertEquals(1, first.path("version").asLong());
        assertTrue(first.path("applied").asBoolean());
        JsonNode same = internal("PUT", "/wallet-policies/ETH", policyJson(3, true, "1"), 200).path("data").path(0);
        assertEquals("unchanged", same.path("outcome").asText());
        assertEquals(1, same.path("version").asLong());
        JsonNode stale = internal("PUT", "/wallet-policies/ETH", policyJson(2, false, "1"), 200).path("data").path(0);
        assertEquals("stale", stale.path("outcome").asText());
        assertEquals(3, stale.path("generation").asLong(), "the applied generation");
        assertTrue(stale.path("policy").path("withdrawalsEnabled").asBoolean(), "older generation ignored");
        JsonNode next = internal("PUT", "/wallet-policies/ETH", policyJson(4, false, "2"), 200).path("data").path(0);
        assertEquals(2, next.path("version").asLong());
        internal("PUT", "/wallet-policies/ETH", policyJson(4, true, "2"), 409);
        JsonNode bad = internal("PUT", "/wallet-policies/ETH", policyJson(5, true, "0.000000001"), 400);
        assertEquals("51000", bad.path("code").asText(), "more decimals than ETH has");
        assertEquals("51000", internal("PUT", "/wallet-policies/DOGE", policyJson(1, true, "1"), 400).path("code").asText());
        JsonNode read = internal("GET", "/wallet-policies/ETH", null, 200).path("data").path(0);
        assertEquals(4, read.path("generation").asLong());
        assertFalse(read.path("withdrawalsEnabled").asBoolean());
        assertEquals("2", read.path("reviewThreshold").asText());
        assertEquals("0.0005", read.path("withdrawalFee").asText());
        boolean listed = false;
        for (JsonNode p : internal("GET", "/wallet-policies", null, 200).path("data")) {
            listed |= "ETH".equals(p.path("asset").asText());
        }
        assertTrue(listed);
        assertEquals(audits + 2, auditRows("wallet.policy.apply"), "one audit row per applied change");
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT actor FROM audit_log WHERE action = 'wallet.policy.apply' "
                     + "AND target = 'wallet-policy:ETH'"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                assertEquals("operator", rs.getString(1));
            }
        }
        assertEquals(ops + 2, policyOps(), 0.001, "high-risk operations counted");
    }

    @Test
    void depositAndWithdrawalEndToEndThroughTheOkxEndpoints() throws Exception {
        internal("PUT", "/wallet-policies/BTC", policyJson(1, true, "1"), 200);
        long u = TraderFixture.user(db, "wallet-api-user", Map.of());
        OkxRestClient full = trader(u, Permission.READ, Permission.TRADE, Permission.WITHDRAW);
        OkxRestClient tradeOnly = trader(u, Permission.READ, Permission.TRADE);

        Answer addr = full.get("/api/v5/asset/deposit-address?ccy=BTC");
        assertEquals("0", addr.code(), addr.toString());
        String address = addr.first().path("addr").asText();
        assertEquals("BTC-Sim", addr.first().path("chain").asText());
        assertEquals("50014", full.get("/api/v5/asset/deposit-address").code());

        // a deposit on the simulated chain, credited after 2 confirmations
        JsonNode dep = admin("POST", "/wallet/sim/deposit", "{\"userId\":\"" + u + "\",\"ccy\":\"BTC\",\"amt\":\"3\"}", 200);
        assertEquals(address, dep.path("data").path(0).path("address").asText());
        admin("POST", "/wallet/sim/mine", "{\"blocks\":1}", 200);
        wallet.tick();
        Answer waiting = full.get("/api/v5/asset/deposit-history?ccy=BTC");
        assertEquals("0", waiting.first().path("state").asText(), waiting.toString());
        assertEquals("1", waiting.first().path("actualDepBlkConfirm").asText());
        admin("POST", "/wallet/sim/mine", "{\"blocks\":1}", 200);
        wallet.tick();
        Answer credited = full.get("/api/v5/asset/deposit-history?state=2");
        assertEquals("2", credited.first().path("state").asText(), credited.toString());
        assertEquals("3", credited.first().path("amt").asText());
        assertEquals(dep.path("data").path(0).path("txId").asText(), credited.first().path("txId").asText());

        // refusals
        String body = "{\"ccy\":\"BTC\",\"amt\":\"0.5\",\"dest\":\"4\",\"toAddr\":\"bc1-dest-api\",\"chain\":\"BTC-Sim\"}";
        assertEquals("50120", tradeOnly.post("/api/v5/asset/withdrawal", body).code(), "needs the withdraw permission");
        assertEquals("51000", full.post("/api/v5/asset/withdrawal", body.replace("\"4\"", "\"3\"")).code());
        assertEquals("51000", full.post("/api/v5/asset/withdrawal", body.replace("0.5", "0.000000001")).code());
        assertEquals("50014", full.post("/api/v5/asset/withdrawal", body.replace("bc1-dest-api", "")).code());
        assertEquals("58010", full.post("/api/v5/asset/withdrawal", body.replace("BTC-Sim", "BTC-ERC20")).code());
        assertEquals("58206", full.post("/api/v5/asset/withdrawal", body.replace("0.5", "0.0001")).code());
        assertEquals("58205", full.post("/api/v5/asset/withdrawal", body.replace("0.5", "6")).code());
        assertEquals("51000", full.post("/api/v5/asset/withdrawal", "{\"ccy\":\"XYZ\",\"amt\":\"1\",\"dest\":\"4\",\"toAddr\":\"abcd\"}").code());
        assertEquals("[300000000, 0]", java.util.Arrays.toString(new Ledger(db).balance(u, btc.id())), "nothing held");

        // a small withdrawal goes straight to payout; clientId makes a retry return it
        Answer small = full.post("/api/v5/asset/withdrawal", body.replace("}", ",\"clientId\":\"w1\"}"));
        assertEquals("0", small.code(), small.toString());
        String smallId = small.first().path("wdId").asText();
        assertEquals(smallId, full.post("/api/v5/asset/withdrawal", body.replace("}", ",\"clientId\":\"w1\"}"))
                .first().path("wdId").asText());
        Answer hist = full.get("/api/v5/asset/withdrawal-history?clientId=w1");
        assertEquals("0", hist.first().path("state").asText(), hist.toString());
        assertEquals("0.0005", hist.first().path("fee").asText());

        // a large one waits for review: listed for operators, approved, broadcast, confirmed
        Answer large = full.post("/api/v5/asset/withdrawal", body.replace("0.5", "1.5"));
        String largeId = large.first().path("wdId").asText();
        assertEquals("4", full.get("/api/v5/asset/withdrawal-history?wdId=" + largeId).first().path("state").asText());
        JsonNode review = admin("GET", "/wallet/withdrawals?state=review", null, 200).path("data");
        assertEquals(1, review.size());
        assertEquals(largeId, review.path(0).path("wdId").asText());
        admin("POST", "/wallet/withdrawals/" + largeId + "/approve", null, 200);
        assertEquals("58216", admin("POST", "/wallet/withdrawals/" + largeId + "/approve", null, 400).path("code").asText());
        assertEquals("7", full.get("/api/v5/asset/withdrawal-history?wdId=" + largeId).first().path("state").asText());
        wallet.tick();
        assertEquals("1", full.get("/api/v5/asset/withdrawal-history?wdId=" + largeId).first().path("state").asText());
        assertEquals("58216", full.post("/api/v5/asset/cancel-withdrawal", "{\"wdId\":\"" + largeId + "\"}").code());
        admin("POST", "/wallet/sim/mine", "{\"blocks\":2}", 200);
        wallet.tick();
        Answer done = full.get("/api/v5/asset/withdrawal-history?state=2");
        assertEquals(2, done.data().size(), done.toString());

        // cancel before broadcast; reject by an operator
        Answer third = full.post("/api/v5/asset/withdrawal", body.replace("0.5", "0.2"));
        String thirdId = third.first().path("wdId").asText();
        assertEquals("0", full.post("/api/v5/asset/cancel-withdrawal", "{\"wdId\":\"" + thirdId + "\"}").code());
        assertEquals("58220", full.post("/api/v5/asset/cancel-withdrawal", "{\"wdId\":\"" + thirdId + "\"}").code());
        assertEquals("58215", full.post("/api/v5/asset/cancel-withdrawal", "{\"wdId\":\"999999\"}").code());
        assertEquals("-2", full.get("/api/v5/asset/withdrawal-history?wdId=" + thirdId).first().path("state").asText());
        Answer fourth = full.post("/api/v5/asset/withdrawal", body.replace("0.5", "0.9"));
        String fourthId = fourth.first().path("wdId").asText();
        assertEquals("50014", admin("POST", "/wallet/withdrawals/" + fourthId + "/reject", "{}", 400).path("code").asText());
        admin("POST", "/wallet/withdrawals/" + fourthId + "/reject", "{\"reason\":\"address on a sanctions list\"}", 200);
        JsonNode rejected = full.get("/api/v5/asset/withdrawal-history?wdId=" + fourthId).first();
        assertEquals("-1", rejected.path("state").asText());
        assertTrue(rejected.path("note").asText().contains("sanctions"));

        // 3 - (0.5 + 1.5 + 2 fees of 0.0005) = 0.999
        assertEquals("[99900000, 0]", java.util.Arrays.toString(new Ledger(db).balance(u, btc.id())));
        assertEquals(1, auditRows("wallet.withdrawal.approve"));
        assertEquals(1, auditRows("wallet.withdrawal.reject"));
        ReconciliationReport r = new Reconciler(db).run();
        assertTrue(r.clean(), r.toText());
    }

    @Test
    void whitelistIsManagedThroughTheAuditedAdminApi() throws Exception {
        long u = TraderFixture.user(db, "wallet-api-wl", Map.of());
        long before = auditRows("wallet.whitelist.add");
        admin("POST", "/wallet/whitelist", "{\"userId\":\"" + u + "\",\"ccy\":\"USDT\",\"addr\":\"T-usdt-addr-1\"}", 200);
        admin("POST", "/wallet/whitelist", "{\"userId\":\"" + u + "\",\"ccy\":\"USDT\",\"addr\":\"T-usdt-addr-1\"}", 200);
        assertEquals(before + 1, auditRows("wallet.whitelist.add"), "adding twice is one change");
        assertEquals("58222", admin("POST", "/wallet/whitelist", "{\"userId\":\"" + u + "\",\"ccy\":\"USDT\",\"addr\":\"x\"}", 400)
                .path("code").asText());
        JsonNode list = admin("GET", "/wallet/whitelist?userId=" + u, null, 200).path("data");
        assertEquals(1, list.size());
        assertEquals("ops-it", list.path(0).path("addedBy").asText());
        admin("DELETE", "/wallet/whitelist?userId=" + u + "&ccy=USDT&addr=T-usdt-addr-1", null, 200);
        admin("DELETE", "/wallet/whitelist?userId=" + u + "&ccy=USDT&addr=T-usdt-addr-1", null, 400);
        assertEquals(0, admin("GET", "/wallet/whitelist?userId=" + u, null, 200).path("data").size());
        assertEquals(1, auditRows("wallet.whitelist.remove"));
        call("GET", "/admin/v1/wallet/whitelist?userId=" + u, Map.of(), null, 401);
        assertEquals("51000", admin("GET", "/wallet/withdrawals?state=bogus", null, 400).path("code").asText());
        assertTrue(admin("GET", "/wallet/policies", null, 200).path("data").isArray());
    }
}
