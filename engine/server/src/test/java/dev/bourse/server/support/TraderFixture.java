package dev.bourse.server.support;

import dev.bourse.testkit.EngineProcess;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.listing.InstrumentSpec;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.store.Database;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A market for trader-API tests: BTC-USDT on shard 0 and ETH-USDT on shard 1 of a fresh database,
 * funded users created through the ledger, and API keys created through the admin API of a running engine.
 */
public final class TraderFixture {
    public static final String ADMIN_TOKEN = "admin-token-for-tests-0123456789";
    public static final String INTERNAL_TOKEN = "internal-token-for-tests-0123456789";
    public static final String AUTH_SECRET = "auth-token-secret-for-tests-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TraderFixture() {
    }

    /** Assets, the two instruments, system accounts. */
    public static void list(Database db) throws Exception {
        db.migrate();
        Listing listing = new Listing(db);
        listing.addAsset("BTC", 8);
        listing.addAsset("ETH", 8);
        listing.addAsset("USDT", 6);
        listing.addInstrument(new InstrumentSpec("BTC-USDT", "BTC", "USDT", "0.1", "0.00001", "0.00001", "1000", 1000, "60000",
                0, 0, "0.0008", "0.001"), 0);
        listing.addInstrument(new InstrumentSpec("ETH-USDT", "ETH", "USDT", "0.01", "0.0001", "0.0001", "10000", 1000, "3000",
                0, 0, "0.0008", "0.001"), 1);
        new Ledger(db).ensureSystemAccounts(2);
    }

    /** A user funded with the given amounts (asset code → decimal string) through ledger deposits. */
    public static long user(Database db, String name, Map<String, String> funds) throws Exception {
        Ledger ledger = new Ledger(db);
        Map<String, Asset> assets = new Listing(db).assets();
        long id = ledger.createUser(name);
        for (Map.Entry<String, String> f : funds.entrySet()) {
            Asset a = assets.get(f.getKey());
            ledger.deposit(name + ":" + a.code(), id, a.id(), Decimals.parse(f.getValue(), a.scale()));
        }
        return id;
    }

    /** An engine for one shard with fixed secrets, no demo data. */
    public static EngineProcess.Spec engine(String name, TestDatabases.TestDb db, int shard) {
        return EngineProcess.Spec.of(name, db.url(), db.user(), shard, name, INTERNAL_TOKEN)
                .with("ADMIN_TOKEN", ADMIN_TOKEN)
                .with("AUTH_TOKEN_SECRET", AUTH_SECRET)
                .with("AUTH_PBKDF2_ITERATIONS", "10000");
    }

    /**
     * A fresh passphrase the key policy accepts: the fixed start has all four character classes (eight random hex
     * characters alone are all letters one time in about 2,600, which the policy refuses for want of a digit).
     */
    public static String passphrase() {
        return "Pass-1" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates an API key through the admin API. */
    public static OkxRestClient.Credentials apiKey(EngineProcess engine, long userId, String perm) throws IOException,
            InterruptedException {
        String passphrase = passphrase();
        String body = EngineProcess.MAPPER.createObjectNode()
                .put("userId", Long.toString(userId))
                .put("label", "it")
                .put("passphrase", passphrase)
                .put("perm", perm)
                .toString();
        HttpRequest req = HttpRequest.newBuilder(engine.baseUri().resolve("/admin/v1/api-keys"))
                .timeout(Duration.ofSeconds(30))
                .header("X-Admin-Token", ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        JsonNode d = EngineProcess.MAPPER.readTree(r.body()).path("data").path(0);
        if (r.statusCode() != 200 || d.path("apiKey").asText().isEmpty()) {
            throw new IllegalStateException("API key not created: " + r.statusCode() + " " + r.body());
        }
        return new OkxRestClient.Credentials(d.path("apiKey").asText(), d.path("secretKey").asText(), passphrase);
    }

    public static OkxRestClient client(EngineProcess engine, OkxRestClient.Credentials creds) {
        return new OkxRestClient(URI.create(engine.baseUri().toString()), creds);
    }
}
