package dev.bourse.server.auth;

import dev.bourse.server.admin.AuditLog;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.Set;

/**
 * A migrated throw-away database with one user account, an API-key store on a hand-moved clock and a
 * verifier over it. PBKDF2 runs with few iterations to keep tests fast (the count is stored per hash).
 */
public final class AuthFixture implements AutoCloseable {
    public static final String AUTH_SECRET = "test-auth-token-secret-0123456789abcdef";
    public static final String PASSPHRASE = "Pass-phrase1";
    public static final long NOW = 1_607_418_537_715L; // 2020-12-08T09:08:57.715Z

    public final TestDatabases.TestDb testDb;
    public final Database db;
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    public final MutableClock clock = new MutableClock(NOW);
    public final SecretBox box = SecretBox.fromAuthTokenSecret(AUTH_SECRET);
    public final ApiKeyStore store;
    public final Ledger ledger;
    public final long userId;

    private AuthFixture(TestDatabases.TestDb testDb) throws Exception {
        this.testDb = testDb;
        this.db = testDb.open();
        this.ledger = new Ledger(db);
        ledger.ensureSystemAccounts(1);
        this.userId = ledger.createUser("user-" + System.nanoTime());
        this.store = new ApiKeyStore(db, box, new PassphraseHasher(1_000), new AuditLog(meters), clock);
    }

    public static AuthFixture create(String kind) throws Exception {
        return new AuthFixture(TestDatabases.create(kind));
    }

    public HmacApiKeyVerifier verifier(AuthConfig config) {
        return new HmacApiKeyVerifier(store, config, meters, clock);
    }

    public CreatedApiKey key(Set<Permission> perms, String ips) throws Exception {
        return store.create(new NewApiKey(userId, "test", PASSPHRASE, perms, IpAllowlist.parse(ips)), "test");
    }

    /** Refusals counted under an OKX code, every reason together. */
    public double failures(String code) {
        return meters.find("bourse_auth_failures_total").tag("code", code).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    /** Refusals counted under an OKX code and reason tag (e.g. 50119 / expired_key). */
    public double failures(String code, String reason) {
        var c = meters.find("bourse_auth_failures_total").tag("code", code).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    /** Another store on the same database and clock whose keys without an IP allowlist live {@code ttl}. */
    public ApiKeyStore storeWithTtl(java.time.Duration ttl) {
        return new ApiKeyStore(db, box, new PassphraseHasher(1_000), new AuditLog(meters), clock, ttl);
    }

    @Override
    public void close() throws Exception {
        try {
            db.close();
        } finally {
            testDb.close();
        }
    }
}
