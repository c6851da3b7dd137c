package dev.bourse.server.auth;

import dev.bourse.server.dev.DemoData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API-key store on real PostgreSQL and on H2 in PostgreSQL mode (the same V2 migration). */
class ApiKeyStoreIT {

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void createListRevoke(String kind) throws Exception {
        try (AuthFixture f = AuthFixture.create(kind)) {
            CreatedApiKey k = f.store.create(NewApiKey.parse(Long.toString(f.userId), "bot 1", AuthFixture.PASSPHRASE,
                    "read_only,trade", "203.0.113.1,2001:db8::1"), "admin");
            assertTrue(k.info().apiKey().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"));
            assertTrue(k.secretKey().matches("[0-9A-F]{64}"), "32 random bytes, upper-case hex");
            assertFalse(k.toString().contains(k.secretKey()));

            // at rest: no plaintext secret or passphrase anywhere in the row
            Map<String, String> row = row(f, k.info().apiKey());
            for (Map.Entry<String, String> col : row.entrySet()) {
                String v = String.valueOf(col.getValue());
                assertFalse(v.contains(k.secretKey()), "plaintext secret in column " + col.getKey());
                assertFalse(v.contains(AuthFixture.PASSPHRASE), "plaintext passphrase in column " + col.getKey());
            }
            assertEquals("read_only,trade", row.get("perm"));
            assertEquals("203.0.113.1,2001:db8:0:0:0:0:0:1", row.get("ip_allowlist"));
            assertEquals(f.box.keyId(), row.get("secret_key_id"));
            assertEquals("1000", row.get("passphrase_iterations"));
            PassphraseHasher.Hash hash = new PassphraseHasher.Hash(row.get("passphrase_salt"), row.get("passphrase_hash"),
                    Integer.parseInt(row.get("passphrase_iterations")));
            assertTrue(PassphraseHasher.matches(AuthFixture.PASSPHRASE, hash));
            assertFalse(PassphraseHasher.matches("Other-pass1", hash));
            // the sealed copy opens to the secret that was handed out
            ApiKeyRecord rec = f.store.lookup(k.info().apiKey()).orElseThrow();
            assertEquals(k.secretKey(), f.store.secret(rec));

            // audited in the same transaction, without secrets
            List<Map<String, String>> audit = audit(f, k.info().apiKey());
            assertEquals(1, audit.size());
            assertEquals("admin", audit.get(0).get("actor"));
            assertEquals("api_key.create", audit.get(0).get("action"));
            assertTrue(audit.get(0).get("detail").contains("\"perm\":\"read_only,trade\""));
            assertFalse(audit.get(0).get("detail").contains(k.secretKey()));
            assertFalse(audit.get(0).get("detail").contains(AuthFixture.PASSPHRASE));

            CreatedApiKey second = f.key(Set.of(), "");
            f.clock.advance(1_000);
            List<ApiKeyInfo> listed = f.store.list(f.userId);
            assertEquals(2, listed.size());
            assertTrue(listed.stream().allMatch(i -> !i.revoked()));
            assertEquals(Set.of(k.info().apiKey(), second.info().apiKey()),
                    Set.of(listed.get(0).apiKey(), listed.get(1).apiKey()));
            assertTrue(f.store.list(f.userId + 1).isEmpty());

            List<String> notified = new ArrayList<>();
            f.store.onRevoke(notified::add);
            ApiKeyInfo revoked = f.store.revoke(k.info().apiKey(), "admin").orElseThrow();
            assertEquals(f.clock.millis(), revoked.revokedAt());
            assertEquals(List.of(k.info().apiKey()), notified);
            assertTrue(f.store.lookup(k.info().apiKey()).orElseThrow().info().revoked());
            assertEquals(2, audit(f, k.info().apiKey()).size());
            assertEquals("api_key.revoke", audit(f, k.info().apiKey()).get(1).get("action"));
            // revoking again changes nothing and is not audited again
            f.clock.advance(1_000);
            assertEquals(revoked.revokedAt(), f.store.revoke(k.info().apiKey(), "admin").orElseThrow().revokedAt());
            assertEquals(2, audit(f, k.info().apiKey()).size());
            assertTrue(f.store.revoke("00000000-0000-4000-8000-000000000000", "admin").isEmpty());
            assertNull(f.store.lookup(second.info().apiKey()).orElseThrow().info().revokedAt());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void onlyUserAccountsGetKeys(String kind) throws Exception {
        try (AuthFixture f = AuthFixture.create(kind)) {
            ApiKeyRequestException e = assertThrows(ApiKeyRequestException.class, () -> f.store.create(
                    new NewApiKey(f.userId + 1_000, "x", AuthFixture.PASSPHRASE, Set.of(), IpAllowlist.ANY), "admin"));
            assertEquals("51000", e.code());
            assertEquals(0, count(f, "SELECT COUNT(*) FROM api_keys"));
            assertEquals(0, count(f, "SELECT COUNT(*) FROM audit_log"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void aFailedAuditWriteFailsTheChange(String kind) throws Exception {
        try (AuthFixture f = AuthFixture.create(kind)) {
            CreatedApiKey k = f.key(Set.of(Permission.TRADE), "");
            try (Connection c = f.db.connection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE audit_log RENAME TO audit_log_gone");
            }
            assertThrows(SQLException.class, () -> f.key(Set.of(Permission.TRADE), ""));
            assertThrows(SQLException.class, () -> f.store.revoke(k.info().apiKey(), "admin"));
            assertEquals(2, f.meters.find("bourse_audit_write_failures_total").counter().count());
            assertEquals(1, count(f, "SELECT COUNT(*) FROM api_keys"), "the key whose audit failed was not created");
            assertFalse(f.store.lookup(k.info().apiKey()).orElseThrow().info().revoked(), "nor was the revocation kept");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void demoKeysAreCreatedOnceAndReplacedWhenTheAuthSecretChanges(String kind) throws Exception {
        try (AuthFixture f = AuthFixture.create(kind)) {
            long bob = f.ledger.createUser("bob-" + System.nanoTime());
            Map<String, Long> users = new LinkedHashMap<>();
            users.put("demo-alice", f.userId);
            users.put("demo-bob", bob);
            Map<String, DemoData.DemoCredentials> first = DemoData.installApiKeys(f.store, f.box, users);
            assertEquals(2, first.size());
            DemoData.DemoCredentials alice = first.get("demo-alice");
            assertTrue(NewApiKey.validPassphrase(alice.passphrase()));
            assertTrue(f.store.lookup(alice.apiKey()).orElseThrow().info().permissions().contains(Permission.TRADE));
            // the credentials sign: verified like any client's
            HmacApiKeyVerifier v = f.verifier(AuthConfig.DEFAULTS);
            String ts = OkxSignature.restTimestamp(f.clock.instant());
            assertEquals(f.userId, v.verify(new SignedRequest(alice.apiKey(),
                    OkxSignature.rest(alice.secretKey(), ts, "GET", "/api/v5/account/balance", ""), ts, alice.passphrase(),
                    "GET", "/api/v5/account/balance", new byte[0], "127.0.0.1")).userId());
            assertTrue(DemoData.describe(first).contains(alice.secretKey()));

            // a restart with the same AUTH_TOKEN_SECRET: same keys, nothing new
            assertEquals(first, DemoData.installApiKeys(f.store, f.box, users));
            assertEquals(2, count(f, "SELECT COUNT(*) FROM api_keys"));

            // a restart with another AUTH_TOKEN_SECRET: the old demo keys cannot be opened, new ones replace them
            SecretBox otherBox = SecretBox.fromAuthTokenSecret("another-auth-token-secret-for-the-dev-run");
            ApiKeyStore otherStore = new ApiKeyStore(f.db, otherBox, new PassphraseHasher(1_000),
                    new dev.bourse.server.admin.AuditLog(f.meters), f.clock);
            Map<String, DemoData.DemoCredentials> third = DemoData.installApiKeys(otherStore, otherBox, users);
            assertNotEquals(alice.apiKey(), third.get("demo-alice").apiKey());
            assertTrue(f.store.lookup(alice.apiKey()).orElseThrow().info().revoked());
            assertEquals(2, count(f, "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL"));
            assertEquals(4, count(f, "SELECT COUNT(*) FROM audit_log WHERE actor = 'dev-seed' AND action = 'api_key.create'"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void keysWithoutAnAllowlistExpireAndTheExpiryIsStored(String kind) throws Exception {
        try (AuthFixture f = AuthFixture.create(kind)) {
            // the store built without a TTL uses 14 days
            CreatedApiKey unbound = f.key(Set.of(Permission.TRADE), "");
            CreatedApiKey bound = f.key(Set.of(Permission.TRADE), "203.0.113.9");
            long fourteenDays = java.time.Duration.ofDays(14).toMillis();
            assertEquals(Long.toString(AuthFixture.NOW + fourteenDays), row(f, unbound.info().apiKey()).get("expires_at"));
            assertNull(row(f, bound.info().apiKey()).get("expires_at"));
            assertTrue(audit(f, unbound.info().apiKey()).get(0).get("detail")
                    .contains("\"expTs\":\"" + (AuthFixture.NOW + fourteenDays) + "\""));

            ApiKeyStore hourly = f.storeWithTtl(java.time.Duration.ofHours(1));
            CreatedApiKey k = hourly.create(new NewApiKey(f.userId, "hourly", AuthFixture.PASSPHRASE,
                    Set.of(Permission.TRADE), IpAllowlist.ANY), "admin");
            HmacApiKeyVerifier v = new HmacApiKeyVerifier(hourly, AuthConfig.DEFAULTS, f.meters, f.clock);
            f.clock.advance(3_600_000 - 1);
            assertEquals(f.userId, v.verify(signedGet(f, k, "203.0.113.1")).userId());
            f.clock.advance(1);
            assertEquals("50119", assertThrows(AuthException.class, () -> v.verify(signedGet(f, k, "203.0.113.1"))).code());
            assertEquals(1, f.failures("50119", "expired_key"));
            // listing, as the admin API shows it: expiry per key, newest first
            List<ApiKeyInfo> listed = f.store.list(f.userId);
            assertEquals(3, listed.size());
            assertEquals(1, listed.stream().filter(i -> i.expiresAt() == null).count());
            assertTrue(listed.stream().anyMatch(i -> i.apiKey().equals(k.info().apiKey()) && i.expired(f.clock.millis())));
        }
    }

    /** Migration V8 on a database that already has keys: they get no expiry (NULL) and keep working. */
    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void keysCreatedBeforeV8DoNotExpire(String kind) throws Exception {
        try (var testDb = dev.bourse.server.support.TestDatabases.create(kind);
             dev.bourse.server.store.Database db = dev.bourse.server.store.Database.open(testDb.url(), testDb.user(),
                     testDb.password(), 4, null)) {
            // the schema as it stood just before V8 (whatever the last earlier migration is)
            var flyway = org.flywaydb.core.Flyway.configure().dataSource(db.dataSource())
                    .table(dev.bourse.server.store.Database.HISTORY_TABLE).locations("classpath:db/migration");
            String beforeV8 = java.util.Arrays.stream(flyway.load().info().all())
                    .map(m -> m.getVersion())
                    .filter(ver -> ver.compareTo(org.flywaydb.core.api.MigrationVersion.fromVersion("8")) < 0)
                    .max(Comparable::compareTo).orElseThrow().getVersion();
            flyway.target(beforeV8).load().migrate();
            dev.bourse.server.ledger.Ledger ledger = new dev.bourse.server.ledger.Ledger(db);
            ledger.ensureSystemAccounts(1);
            long user = ledger.createUser("old-" + System.nanoTime());
            MutableClock clock = new MutableClock(AuthFixture.NOW);
            SecretBox box = SecretBox.fromAuthTokenSecret(AuthFixture.AUTH_SECRET);
            String apiKey = java.util.UUID.randomUUID().toString();
            String secret = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";
            SecretBox.Sealed sealed = box.seal(secret, apiKey);
            PassphraseHasher.Hash pass = new PassphraseHasher(1_000).hash(AuthFixture.PASSPHRASE);
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (api_key, "
                    + "user_id, label, perm, ip_allowlist, secret_iv, secret_ciphertext, secret_key_id, passphrase_salt, "
                    + "passphrase_hash, passphrase_iterations, created_at) VALUES (?, ?, 'old', 'read_only,trade', '', ?, "
                    + "?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, apiKey);
                ps.setLong(2, user);
                ps.setString(3, sealed.iv());
                ps.setString(4, sealed.ciphertext());
                ps.setString(5, sealed.keyId());
                ps.setString(6, pass.salt());
                ps.setString(7, pass.hash());
                ps.setInt(8, pass.iterations());
                ps.setLong(9, AuthFixture.NOW);
                ps.executeUpdate();
            }
            db.migrate();
            var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            ApiKeyStore store = new ApiKeyStore(db, box, new PassphraseHasher(1_000),
                    new dev.bourse.server.admin.AuditLog(meters), clock, java.time.Duration.ofHours(1));
            assertNull(store.lookup(apiKey).orElseThrow().info().expiresAt());
            clock.advance(java.time.Duration.ofDays(100).toMillis());
            HmacApiKeyVerifier v = new HmacApiKeyVerifier(store, AuthConfig.DEFAULTS, meters, clock);
            String ts = OkxSignature.restTimestamp(clock.instant());
            assertEquals(user, v.verify(new SignedRequest(apiKey, OkxSignature.rest(secret, ts, "GET", "/api/v5/account/balance", ""),
                    ts, AuthFixture.PASSPHRASE, "GET", "/api/v5/account/balance", new byte[0], "203.0.113.1")).userId());
        }
    }

    private static SignedRequest signedGet(AuthFixture f, CreatedApiKey k, String ip) {
        String ts = OkxSignature.restTimestamp(f.clock.instant());
        String path = "/api/v5/account/balance";
        return new SignedRequest(k.info().apiKey(), OkxSignature.rest(k.secretKey(), ts, "GET", path, ""), ts,
                AuthFixture.PASSPHRASE, "GET", path, new byte[0], ip);
    }

    private static Map<String, String> row(AuthFixture f, String apiKey) throws SQLException {
        try (Connection c = f.db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM api_keys WHERE api_key = ?")) {
            ps.setString(1, apiKey);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    m.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getString(i));
                }
                assertNotNull(m.get("secret_ciphertext"));
                return m;
            }
        }
    }

    private static List<Map<String, String>> audit(AuthFixture f, String target) throws SQLException {
        List<Map<String, String>> out = new ArrayList<>();
        try (Connection c = f.db.connection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT actor, action, detail FROM audit_log WHERE target = ? ORDER BY audit_id")) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Map.of("actor", rs.getString(1), "action", rs.getString(2), "detail", rs.getString(3)));
                }
            }
        }
        return out;
    }

    private static long count(AuthFixture f, String sql) throws SQLException {
        try (Connection c = f.db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
