package dev.bourse.server.auth;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AUTH_TOKEN_TTL: keys without an IP allowlist lapse, on a hand-moved clock (embedded H2 store). */
class ApiKeyExpiryTest {
    private static final String PATH = "/api/v5/account/balance";
    private static final String IP = "198.51.100.1";
    private static final long TTL = Duration.ofHours(2).toMillis();

    private AuthFixture f;
    private ApiKeyStore store;
    private HmacApiKeyVerifier verifier;

    @BeforeEach
    void setUp() throws Exception {
        f = AuthFixture.create("h2");
        store = f.storeWithTtl(Duration.ofMillis(TTL));
        // a long cache TTL: expiry must be enforced on cached keys too
        verifier = new HmacApiKeyVerifier(store, new AuthConfig(1_000, 600_000, 1_000), f.meters, f.clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    private CreatedApiKey key(String ips) throws Exception {
        return store.create(new NewApiKey(f.userId, "bot", AuthFixture.PASSPHRASE, Set.of(Permission.TRADE),
                IpAllowlist.parse(ips)), "admin");
    }

    private ApiPrincipal verify(CreatedApiKey k) {
        String ts = OkxSignature.restTimestamp(f.clock.instant());
        return verifier.verify(new SignedRequest(k.info().apiKey(), OkxSignature.rest(k.secretKey(), ts, "GET", PATH, ""),
                ts, AuthFixture.PASSPHRASE, "GET", PATH, "".getBytes(StandardCharsets.UTF_8), IP));
    }

    @Test
    void aKeyWithoutAnAllowlistExpiresTtlAfterItsCreation() throws Exception {
        CreatedApiKey k = key("");
        assertEquals(AuthFixture.NOW + TTL, k.info().expiresAt());
        assertEquals(AuthFixture.NOW + TTL, store.lookup(k.info().apiKey()).orElseThrow().info().expiresAt());
        assertEquals(AuthFixture.NOW + TTL, store.list(f.userId).get(0).expiresAt(), "the admin listing shows it");

        f.clock.advance(TTL - 1);
        assertEquals(f.userId, verify(k).userId()); // now cached
        assertTrue(store.lookup(k.info().apiKey()).orElseThrow().info().usable(f.clock.millis()));
        f.clock.advance(1);
        double before = f.failures("50119", "expired_key");
        AuthException e = assertThrows(AuthException.class, () -> verify(k));
        assertEquals("50119", e.code());
        assertEquals("API key doesn't exist", e.getMessage());
        assertEquals(401, e.httpStatus());
        assertEquals(before + 1, f.failures("50119", "expired_key"));
        assertEquals(0, f.failures("50119", "unknown_key"));

        // the WebSocket login is refused the same way (60032)
        String ts = Long.toString(f.clock.millis() / 1000);
        AuthException ws = assertThrows(AuthException.class, () -> verifier.verifyWsLogin(k.info().apiKey(),
                AuthFixture.PASSPHRASE, ts, OkxSignature.wsLogin(k.secretKey(), ts), IP));
        assertEquals("60032", ws.code());
        assertEquals(1, f.failures("60032", "expired_key"));
        ApiKeyInfo listed = store.list(f.userId).get(0);
        assertTrue(listed.expired(f.clock.millis()));
        assertFalse(listed.revoked(), "an expired key is not revoked: the listing tells the two apart");
    }

    @Test
    void aKeyBoundToAddressesDoesNotExpire() throws Exception {
        CreatedApiKey k = key(IP);
        assertNull(k.info().expiresAt());
        assertNull(store.lookup(k.info().apiKey()).orElseThrow().info().expiresAt());
        f.clock.advance(Duration.ofDays(365).toMillis());
        assertEquals(f.userId, verify(k).userId());
    }

    @Test
    void unknownRevokedAndExpiredAreCountedApart() throws Exception {
        CreatedApiKey revoked = key("");
        store.revoke(revoked.info().apiKey(), "admin");
        assertEquals("50119", assertThrows(AuthException.class, () -> verify(revoked)).code());
        CreatedApiKey stranger = new CreatedApiKey(new ApiKeyInfo(UUID.randomUUID().toString(), f.userId, "x",
                Set.of(Permission.READ), IpAllowlist.ANY, 0, null, null), "00");
        assertEquals("50119", assertThrows(AuthException.class, () -> verify(stranger)).code());
        assertEquals(1, f.failures("50119", "revoked_key"));
        assertEquals(1, f.failures("50119", "unknown_key"));
        assertEquals(0, f.failures("50119", "expired_key"));
        assertEquals(2, f.failures("50119"));
    }

    @Test
    void theTtlMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> f.storeWithTtl(Duration.ZERO));
        // the store without an explicit TTL uses OKX's 14 days
        assertEquals(Duration.ofDays(14), AuthConfig.DEFAULT_UNBOUND_KEY_TTL);
    }
}
