package dev.bourse.server.auth;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal code of REST and WebSocket authentication, against keys in an embedded H2 store. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HmacApiKeyVerifierTest {
    private static final String PATH = "/api/v5/trade/order";
    private static final byte[] BODY = "{\"instId\":\"BTC-USDT\",\"side\":\"buy\"}".getBytes(StandardCharsets.UTF_8);
    private static final String IP = "203.0.113.7";

    private AuthFixture f;
    private HmacApiKeyVerifier verifier;
    private CreatedApiKey trader;

    @BeforeAll
    void setUp() throws Exception {
        f = AuthFixture.create("h2");
        verifier = f.verifier(new AuthConfig(1_000, 60_000, 1_000));
        trader = f.key(Set.of(Permission.TRADE), "");
    }

    @AfterAll
    void tearDown() throws Exception {
        f.close();
    }

    private String now() {
        return OkxSignature.restTimestamp(f.clock.instant());
    }

    private SignedRequest signed(CreatedApiKey k, String ts, String passphrase, String ip) {
        String sign = OkxSignature.rest(k.secretKey(), ts, "POST", PATH, BODY);
        return new SignedRequest(k.info().apiKey(), sign, ts, passphrase, "POST", PATH, BODY, ip);
    }

    private String refusal(SignedRequest r) {
        AuthException e = assertThrows(AuthException.class, () -> verifier.verify(r));
        assertEquals(e.code().equals("50026") ? 500 : 401, e.httpStatus());
        return e.code();
    }

    @Test
    void acceptsAWellSignedRequest() {
        ApiPrincipal p = verifier.verify(signed(trader, now(), AuthFixture.PASSPHRASE, IP));
        assertEquals(f.userId, p.userId());
        assertEquals(trader.info().apiKey(), p.apiKey());
        assertTrue(p.can(Permission.TRADE) && p.can(Permission.READ));
        p.require(Permission.TRADE);
        // a GET with a query string: the query is part of what is signed
        String ts = now();
        String target = "/api/v5/trade/orders-pending?instId=BTC-USDT";
        String sign = OkxSignature.rest(trader.secretKey(), ts, "GET", target, (byte[]) null);
        verifier.verify(new SignedRequest(trader.info().apiKey(), sign, ts, AuthFixture.PASSPHRASE, "GET", target,
                new byte[0], IP));
        assertEquals("50113", refusal(new SignedRequest(trader.info().apiKey(), sign, ts, AuthFixture.PASSPHRASE, "GET",
                "/api/v5/trade/orders-pending?instId=ETH-USDT", new byte[0], IP)));
    }

    @Test
    void missingHeaders() {
        SignedRequest ok = signed(trader, now(), AuthFixture.PASSPHRASE, IP);
        double before = f.failures("50103");
        assertEquals("50103", refusal(new SignedRequest(null, ok.sign(), ok.timestamp(), ok.passphrase(), "POST", PATH, BODY, IP)));
        assertEquals(before + 1, f.failures("50103"));
        assertEquals("50103", refusal(new SignedRequest(" ", ok.sign(), ok.timestamp(), ok.passphrase(), "POST", PATH, BODY, IP)));
        assertEquals("50106", refusal(new SignedRequest(ok.apiKey(), "", ok.timestamp(), ok.passphrase(), "POST", PATH, BODY, IP)));
        assertEquals("50107", refusal(new SignedRequest(ok.apiKey(), ok.sign(), null, ok.passphrase(), "POST", PATH, BODY, IP)));
        assertEquals("50104", refusal(new SignedRequest(ok.apiKey(), ok.sign(), ok.timestamp(), null, "POST", PATH, BODY, IP)));
    }

    @Test
    void timestampFormatAndWindowEdges() {
        assertEquals("50112", refusal(signed(trader, "1607418537715", AuthFixture.PASSPHRASE, IP)));
        assertEquals("50112", refusal(signed(trader, "2020-13-08T09:08:57.715Z", AuthFixture.PASSPHRASE, IP)));
        Instant t = f.clock.instant();
        // exactly 30 s either way is still inside the window; one millisecond more is not
        verifier.verify(signed(trader, OkxSignature.restTimestamp(t.minusMillis(30_000)), AuthFixture.PASSPHRASE, IP));
        verifier.verify(signed(trader, OkxSignature.restTimestamp(t.plusMillis(30_000)), AuthFixture.PASSPHRASE, IP));
        assertEquals("50102", refusal(signed(trader, OkxSignature.restTimestamp(t.minusMillis(30_001)), AuthFixture.PASSPHRASE, IP)));
        assertEquals("50102", refusal(signed(trader, OkxSignature.restTimestamp(t.plusMillis(30_001)), AuthFixture.PASSPHRASE, IP)));
    }

    @Test
    void keyMalformedUnknownOrRevoked() throws Exception {
        SignedRequest ok = signed(trader, now(), AuthFixture.PASSPHRASE, IP);
        assertEquals("50111", refusal(new SignedRequest("not-a-key", ok.sign(), ok.timestamp(), ok.passphrase(), "POST", PATH, BODY, IP)));
        assertEquals("50119", refusal(new SignedRequest(UUID.randomUUID().toString(), ok.sign(), ok.timestamp(),
                ok.passphrase(), "POST", PATH, BODY, IP)));

        CreatedApiKey k = f.key(Set.of(Permission.TRADE), "");
        verifier.verify(signed(k, now(), AuthFixture.PASSPHRASE, IP)); // cached now
        f.store.revoke(k.info().apiKey(), "test");
        AuthException e = assertThrows(AuthException.class, () -> verifier.verify(signed(k, now(), AuthFixture.PASSPHRASE, IP)));
        assertEquals("50119", e.code());
        assertEquals("API key doesn't exist", e.getMessage());
    }

    @Test
    void ipAllowlist() throws Exception {
        CreatedApiKey k = f.key(Set.of(Permission.TRADE), "198.51.100.1,2001:db8::5");
        verifier.verify(signed(k, now(), AuthFixture.PASSPHRASE, "198.51.100.1"));
        verifier.verify(signed(k, now(), AuthFixture.PASSPHRASE, "2001:db8:0::5"));
        AuthException e = assertThrows(AuthException.class,
                () -> verifier.verify(signed(k, now(), AuthFixture.PASSPHRASE, "198.51.100.2")));
        assertEquals("50110", e.code());
        assertEquals("Your IP 198.51.100.2 is not included in your API key's IP whitelist.", e.getMessage());
    }

    @Test
    void wrongSignatureAndPassphrase() throws Exception {
        SignedRequest ok = signed(trader, now(), AuthFixture.PASSPHRASE, IP);
        byte[] tampered = "{\"instId\":\"BTC-USDT\",\"side\":\"sell\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("50113", refusal(new SignedRequest(ok.apiKey(), ok.sign(), ok.timestamp(), ok.passphrase(), "POST",
                PATH, tampered, IP)));
        String otherSecret = OkxSignature.rest("0".repeat(64), ok.timestamp(), "POST", PATH, BODY);
        assertEquals("50113", refusal(new SignedRequest(ok.apiKey(), otherSecret, ok.timestamp(), ok.passphrase(), "POST",
                PATH, BODY, IP)));
        // a wrong passphrase is refused every time (also once the right one has been seen and cached) …
        assertEquals("50105", refusal(signed(trader, now(), "Wrong-pass1", IP)));
        verifier.verify(ok);
        assertEquals("50105", refusal(signed(trader, now(), "Wrong-pass1", IP)));
        assertEquals("50105", refusal(signed(trader, now(), AuthFixture.PASSPHRASE + "x", IP)));
        // … and does not spoil the right one
        verifier.verify(signed(trader, now(), AuthFixture.PASSPHRASE, IP));
    }

    @Test
    void permission() throws Exception {
        CreatedApiKey readOnly = f.key(Set.of(), "");
        ApiPrincipal p = verifier.verify(signed(readOnly, now(), AuthFixture.PASSPHRASE, IP));
        assertEquals(Set.of(Permission.READ), p.permissions());
        p.require(Permission.READ);
        AuthException e = assertThrows(AuthException.class, () -> p.require(Permission.TRADE));
        assertEquals("50120", e.code());
        double before = f.failures("50120");
        assertThrows(AuthException.class, () -> verifier.requirePermission(p, Permission.TRADE));
        assertEquals(before + 1, f.failures("50120"));
    }

    @Test
    void webSocketLogin() {
        String key = trader.info().apiKey();
        String secret = trader.secretKey();
        long sec = f.clock.millis() / 1000;
        String ts = Long.toString(sec);
        assertEquals(f.userId, verifier.verifyWsLogin(key, AuthFixture.PASSPHRASE, ts, OkxSignature.wsLogin(secret, ts), IP).userId());
        String frac = sec + ".715";
        verifier.verifyWsLogin(key, AuthFixture.PASSPHRASE, frac, OkxSignature.wsLogin(secret, frac), IP);
        // window: 30 s either way inclusive (the clock is at .715 of the second)
        String early = Long.toString(sec - 29);
        verifier.verifyWsLogin(key, AuthFixture.PASSPHRASE, early, OkxSignature.wsLogin(secret, early), IP);
        String late = Long.toString(sec - 31);
        assertEquals("60006", wsRefusal(key, AuthFixture.PASSPHRASE, late, OkxSignature.wsLogin(secret, late), IP));
        String future = Long.toString(sec + 31);
        assertEquals("60006", wsRefusal(key, AuthFixture.PASSPHRASE, future, OkxSignature.wsLogin(secret, future), IP));

        String sign = OkxSignature.wsLogin(secret, ts);
        assertEquals("60004", wsRefusal(key, AuthFixture.PASSPHRASE, "2020-12-08T09:08:57.715Z", sign, IP));
        assertEquals("60004", wsRefusal(key, AuthFixture.PASSPHRASE, "1e9", sign, IP));
        assertEquals("60027", wsRefusal("", AuthFixture.PASSPHRASE, ts, sign, IP));
        assertEquals("60027", wsRefusal(key, null, ts, sign, IP));
        assertEquals("60027", wsRefusal(key, AuthFixture.PASSPHRASE, "", sign, IP));
        assertEquals("60027", wsRefusal(key, AuthFixture.PASSPHRASE, ts, null, IP));
        assertEquals("60005", wsRefusal("nope", AuthFixture.PASSPHRASE, ts, sign, IP));
        assertEquals("60032", wsRefusal(UUID.randomUUID().toString(), AuthFixture.PASSPHRASE, ts, sign, IP));
        assertEquals("60007", wsRefusal(key, AuthFixture.PASSPHRASE, ts, OkxSignature.rest(secret, ts, "GET", "/other", ""), IP));
        assertEquals("60024", wsRefusal(key, "Wrong-pass1", ts, sign, IP));
    }

    @Test
    void webSocketLoginFromAnAddressNotAllowed() throws Exception {
        CreatedApiKey k = f.key(Set.of(Permission.TRADE), "198.51.100.1");
        String ts = Long.toString(f.clock.millis() / 1000);
        assertEquals("60009", wsRefusal(k.info().apiKey(), AuthFixture.PASSPHRASE, ts, OkxSignature.wsLogin(k.secretKey(), ts), IP));
    }

    @Test
    void revocationByAnotherProcessTakesEffectAfterTheCacheTtl() throws Exception {
        HmacApiKeyVerifier shortTtl = f.verifier(new AuthConfig(1_000, 5_000, 1_000));
        CreatedApiKey k = f.key(Set.of(Permission.TRADE), "");
        shortTtl.verify(signed(k, now(), AuthFixture.PASSPHRASE, IP));
        // another engine process revokes: only the row changes, this process's store is not told
        try (Connection c = f.db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET revoked_at = 1 WHERE api_key = ?")) {
            ps.setString(1, k.info().apiKey());
            ps.executeUpdate();
        }
        f.clock.advance(4_999);
        shortTtl.verify(signed(k, now(), AuthFixture.PASSPHRASE, IP));
        f.clock.advance(1);
        AuthException e = assertThrows(AuthException.class, () -> shortTtl.verify(signed(k, now(), AuthFixture.PASSPHRASE, IP)));
        assertEquals("50119", e.code());
    }

    @Test
    void aBurstOfAColdKeyRunsThePassphraseCheckOnce() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        HmacApiKeyVerifier v = new HmacApiKeyVerifier(f.store, new AuthConfig(1_000, 60_000, 1_000), meters, f.clock);
        CreatedApiKey k = f.key(Set.of(Permission.TRADE), "");
        int callers = 16;
        List<Throwable> errors = burst(callers, () -> v.verify(signed(k, now(), AuthFixture.PASSPHRASE, IP)));
        assertEquals(List.of(), errors);
        assertEquals(1.0, meters.counter("bourse_auth_passphrase_checks_total").count(),
                "one PBKDF2 run for the whole burst, the others waited for it");
        // a burst with a wrong passphrase: refused every time, checked once
        List<Throwable> refused = burst(callers, () -> v.verify(signed(k, now(), "Wrong-pass1", IP)));
        assertEquals(callers, refused.size());
        assertTrue(refused.stream().allMatch(e -> e instanceof AuthException a && a.code().equals("50105")), refused.toString());
        assertEquals(2.0, meters.counter("bourse_auth_passphrase_checks_total").count());
    }

    @Test
    void withoutACacheTtlABurstStillRunsThePassphraseCheckOnce() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        HmacApiKeyVerifier v = new HmacApiKeyVerifier(f.store, new AuthConfig(1_000, 0, 1_000), meters, f.clock);
        CreatedApiKey k = f.key(Set.of(Permission.TRADE), "");
        assertEquals(List.of(), burst(16, () -> v.verify(signed(k, now(), AuthFixture.PASSPHRASE, IP))));
        assertEquals(1.0, meters.counter("bourse_auth_passphrase_checks_total").count(),
                "every request re-read the key, but the passphrase was checked once");
        List<Throwable> refused = burst(16, () -> v.verify(signed(k, now(), "Wrong-pass1", IP)));
        assertEquals(16, refused.size());
        assertEquals(2.0, meters.counter("bourse_auth_passphrase_checks_total").count());
    }

    /** Runs {@code call} on {@code n} threads released together; returns what they threw. */
    private static List<Throwable> burst(int n, Runnable call) throws InterruptedException {
        CyclicBarrier start = new CyclicBarrier(n);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    call.run();
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return errors;
    }

    @Test
    void cacheIsBoundedByKeyCount() throws Exception {
        HmacApiKeyVerifier small = f.verifier(new AuthConfig(16, 60_000, 1_000));
        for (int i = 0; i < 40; i++) {
            CreatedApiKey k = f.key(Set.of(Permission.TRADE), "");
            small.verify(signed(k, now(), AuthFixture.PASSPHRASE, IP));
            assertTrue(small.cachedKeys() <= 16, "cache holds " + small.cachedKeys());
        }
    }

    @Test
    void aChangedAuthTokenSecretIsASystemErrorNotAClientError() throws Exception {
        ApiKeyStore otherSecret = new ApiKeyStore(f.db, SecretBox.fromAuthTokenSecret("a-different-auth-token-secret-xyz"),
                new PassphraseHasher(1_000), new dev.bourse.server.admin.AuditLog(f.meters), f.clock);
        HmacApiKeyVerifier v = new HmacApiKeyVerifier(otherSecret, new AuthConfig(100, 60_000, 1_000), f.meters, f.clock);
        AuthException e = assertThrows(AuthException.class, () -> v.verify(signed(trader, now(), AuthFixture.PASSPHRASE, IP)));
        assertEquals("50026", e.code());
        assertEquals(500, e.httpStatus());
    }

    private String wsRefusal(String key, String passphrase, String ts, String sign, String ip) {
        return assertThrows(AuthException.class, () -> verifier.verifyWsLogin(key, passphrase, ts, sign, ip)).code();
    }
}
