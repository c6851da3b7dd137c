package dev.bourse.server.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OKX V5 API-key authentication against {@link ApiKeyStore}.
 *
 * <p>Checks run cheapest first: headers present, timestamp well-formed and within 30 s of the server
 * clock (either way), key well-formed, known, not revoked and not expired, caller's IP allowed, signature, and
 * only then the passphrase. The passphrase check (PBKDF2) is deliberately slow, so only a caller that
 * could sign, i.e. holds the secret, can make the server run it.
 *
 * <p>Per request the work is one HMAC: opened secrets and the digest of the last accepted (and the
 * last refused) passphrase of each key are cached, bounded by key count. A cached key is trusted for
 * {@link AuthConfig#keyCacheTtlMillis()}, then its row is read again; a revocation made through this
 * process's store drops the cached copy at once, one made by another process takes effect within the
 * TTL.
 *
 * <p>Concurrent requests of one key that is not cached yet (a client's burst right after an engine restart)
 * wait for one of them to load the key and run PBKDF2 once, instead of each running it: a herd of 32 cold
 * requests would otherwise burn seconds of CPU and time out. {@code bourse_auth_passphrase_checks_total}
 * counts the PBKDF2 runs.
 *
 * <p>A key without an IP allowlist carries an expiry ({@code AUTH_TOKEN_TTL} after its creation). Expiry is
 * checked on every request, cached or not; an expired key is answered like a deleted one (OKX removes
 * lapsed keys, and its error list has no separate code for them: 50119 / 60032), and counted under
 * {@code reason="expired_key"} so operators can tell lapsed keys from probing.
 */
public final class HmacApiKeyVerifier implements ApiKeyVerifier {
    private static final Logger LOG = Logger.getLogger(HmacApiKeyVerifier.class.getName());
    private static final Pattern KEY_SHAPE =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern WS_SECONDS = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");
    private static final int MAX_HEADER = 128;

    private final ApiKeyStore store;
    private final AuthConfig config;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, CachedKey> cache = new ConcurrentHashMap<>();
    private final Map<String, Counter> failureCounters = new ConcurrentHashMap<>();
    /** Bumped by every revocation: a lookup that raced with one does not cache what it read. */
    private final AtomicLong revocations = new AtomicLong();
    private final byte[] digestKey = new byte[32];
    /** Striped locks: one key's cold loads and passphrase checks run one at a time. */
    private final ReentrantLock[] keyLocks = new ReentrantLock[64];
    private final Counter passphraseChecks;

    public HmacApiKeyVerifier(ApiKeyStore store, AuthConfig config, MeterRegistry meters, Clock clock) {
        this.store = store;
        this.config = config;
        this.meters = meters;
        this.clock = clock;
        new SecureRandom().nextBytes(digestKey);
        for (int i = 0; i < keyLocks.length; i++) {
            keyLocks[i] = new ReentrantLock();
        }
        this.passphraseChecks = Counter.builder("bourse_auth_passphrase_checks_total")
                .description("PBKDF2 passphrase checks run (a key's first use, a changed passphrase, or a wrong one)")
                .register(meters);
        store.onRevoke(apiKey -> {
            revocations.incrementAndGet();
            cache.remove(apiKey);
        });
    }

    @Override
    public ApiPrincipal verify(SignedRequest r) {
        if (blank(r.apiKey())) {
            throw fail(AuthFailure.EMPTY_KEY, false, r.apiKey(), r.remoteIp(), "no key header");
        }
        if (blank(r.sign())) {
            throw fail(AuthFailure.EMPTY_SIGN, false, r.apiKey(), r.remoteIp(), "no sign header");
        }
        if (blank(r.timestamp())) {
            throw fail(AuthFailure.EMPTY_TIMESTAMP, false, r.apiKey(), r.remoteIp(), "no timestamp header");
        }
        if (blank(r.passphrase())) {
            throw fail(AuthFailure.EMPTY_PASSPHRASE, false, r.apiKey(), r.remoteIp(), "no passphrase header");
        }
        long ts = restTimestampMillis(r.timestamp());
        if (ts == Long.MIN_VALUE) {
            throw fail(AuthFailure.INVALID_TIMESTAMP, false, r.apiKey(), r.remoteIp(), "unparsable timestamp");
        }
        checkWindow(ts, false, r.apiKey(), r.remoteIp());
        CachedKey key = key(r.apiKey(), false, r.remoteIp());
        String expected = OkxSignature.rest(key.secret, r.timestamp(), r.method(), r.requestTarget(), r.body());
        if (!OkxSignature.matches(expected, r.sign())) {
            throw fail(AuthFailure.INVALID_SIGN, false, r.apiKey(), r.remoteIp(),
                    "signature mismatch for " + r.method() + " " + r.requestTarget());
        }
        checkPassphrase(key, r.passphrase(), false, r.remoteIp());
        return key.principal;
    }

    @Override
    public ApiPrincipal verifyWsLogin(String apiKey, String passphrase, String timestamp, String sign, String remoteIp) {
        if (blank(apiKey)) {
            throw fail(AuthFailure.EMPTY_KEY, true, apiKey, remoteIp, "no apiKey");
        }
        if (blank(passphrase)) {
            throw fail(AuthFailure.EMPTY_PASSPHRASE, true, apiKey, remoteIp, "no passphrase");
        }
        if (blank(timestamp)) {
            throw fail(AuthFailure.EMPTY_TIMESTAMP, true, apiKey, remoteIp, "no timestamp");
        }
        if (blank(sign)) {
            throw fail(AuthFailure.EMPTY_SIGN, true, apiKey, remoteIp, "no sign");
        }
        long ts = wsTimestampMillis(timestamp);
        if (ts == Long.MIN_VALUE) {
            throw fail(AuthFailure.INVALID_TIMESTAMP, true, apiKey, remoteIp, "unparsable timestamp");
        }
        checkWindow(ts, true, apiKey, remoteIp);
        CachedKey key = key(apiKey, true, remoteIp);
        if (!OkxSignature.matches(OkxSignature.wsLogin(key.secret, timestamp), sign)) {
            throw fail(AuthFailure.INVALID_SIGN, true, apiKey, remoteIp, "login signature mismatch");
        }
        checkPassphrase(key, passphrase, true, remoteIp);
        return key.principal;
    }

    /** For endpoints: like {@link ApiPrincipal#require}, and counted as an authentication failure. */
    public void requirePermission(ApiPrincipal principal, Permission permission) {
        if (!principal.can(permission)) {
            throw fail(AuthFailure.NO_PERMISSION, false, principal.apiKey(), null, "needs " + permission.okx());
        }
    }

    /** Keys currently cached (for tests and the metrics gauge). */
    public int cachedKeys() {
        return cache.size();
    }

    /** Milliseconds since the epoch of an ISO-8601 instant (e.g. 2020-12-08T09:08:57.715Z), or MIN_VALUE. */
    static long restTimestampMillis(String ts) {
        if (ts.length() > 40) {
            return Long.MIN_VALUE;
        }
        try {
            return Instant.parse(ts).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Milliseconds of Unix seconds, whole or with a fraction (JS clients send Date.now() / 1000), or MIN_VALUE. */
    static long wsTimestampMillis(String ts) {
        if (!WS_SECONDS.matcher(ts).matches()) {
            return Long.MIN_VALUE;
        }
        return new BigDecimal(ts).movePointRight(3).setScale(0, RoundingMode.DOWN).longValueExact();
    }

    private void checkWindow(long ts, boolean ws, String apiKey, String ip) {
        long skew = clock.millis() - ts;
        if (Math.abs(skew) > AuthConfig.TIMESTAMP_WINDOW_MILLIS) {
            throw fail(AuthFailure.EXPIRED_TIMESTAMP, ws, apiKey, ip, "timestamp " + skew + " ms off the server clock");
        }
    }

    /** The cached key for a request: well-formed, stored, not revoked, allowed from {@code ip}. */
    private CachedKey key(String apiKey, boolean ws, String ip) {
        if (apiKey.length() > MAX_HEADER || !KEY_SHAPE.matcher(apiKey).matches()) {
            throw fail(AuthFailure.INVALID_KEY, ws, null, ip, "malformed key");
        }
        CachedKey key = cache.get(apiKey);
        if (stale(key)) {
            ReentrantLock lock = lockFor(apiKey);
            lock.lock();
            try {
                // another request of this key may have loaded it while this one waited
                CachedKey current = cache.get(apiKey);
                key = stale(current) ? load(apiKey, current != null ? current : key, ws, ip) : current;
            } finally {
                lock.unlock();
            }
        }
        Long expiresAt = key.record.info().expiresAt();
        if (expiresAt != null && clock.millis() >= expiresAt) {
            throw fail(AuthFailure.UNKNOWN_KEY, "expired_key", ws, apiKey, ip,
                    "expired key (expired at " + Instant.ofEpochMilli(expiresAt) + ")");
        }
        if (!key.record.info().ips().allows(ip)) {
            throw fail(AuthFailure.IP_NOT_ALLOWED, ws, apiKey, ip, "IP not in the key's allowlist");
        }
        return key;
    }

    private boolean stale(CachedKey key) {
        return key == null || clock.millis() - key.loadedAt >= config.keyCacheTtlMillis();
    }

    private ReentrantLock lockFor(String apiKey) {
        return keyLocks[(apiKey.hashCode() & 0x7fffffff) % keyLocks.length];
    }

    private CachedKey load(String apiKey, CachedKey previous, boolean ws, String ip) {
        long revocationsBefore = revocations.get();
        Optional<ApiKeyRecord> found;
        try {
            found = store.lookup(apiKey);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.SEVERE, "API key lookup failed: " + e.getMessage());
            throw fail(AuthFailure.SYSTEM_ERROR, ws, apiKey, ip, "store unavailable");
        }
        if (found.isEmpty() || found.get().info().revoked()) {
            cache.remove(apiKey);
            throw fail(AuthFailure.UNKNOWN_KEY, found.isEmpty() ? "unknown_key" : "revoked_key", ws, apiKey, ip,
                    found.isEmpty() ? "unknown key" : "revoked key");
        }
        ApiKeyRecord rec = found.get();
        CachedKey key;
        if (previous != null && previous.record.secret().equals(rec.secret())
                && previous.record.passphrase().equals(rec.passphrase())) {
            key = new CachedKey(rec, previous.secret, clock.millis(), previous.accepted, previous.refused);
        } else {
            String secret;
            try {
                secret = store.secret(rec);
            } catch (GeneralSecurityException | RuntimeException e) {
                LOG.log(Level.SEVERE, "cannot open the secret of API key " + apiKey + " (was AUTH_TOKEN_SECRET changed?): "
                        + e.getMessage());
                throw fail(AuthFailure.SYSTEM_ERROR, ws, apiKey, ip, "secret cannot be opened");
            }
            key = new CachedKey(rec, secret, clock.millis(), null, null);
        }
        if (revocations.get() == revocationsBefore) {
            if (cache.size() >= config.keyCacheSize() && !cache.containsKey(apiKey)) {
                evict();
            }
            cache.put(apiKey, key);
        }
        return key;
    }

    /** Makes room: drops about a tenth of the entries (hash order, i.e. arbitrary ones); they reload on use. */
    private void evict() {
        int target = Math.max(0, config.keyCacheSize() - Math.max(1, config.keyCacheSize() / 10));
        Iterator<String> it = cache.keySet().iterator();
        while (cache.size() > target && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private void checkPassphrase(CachedKey key, String passphrase, boolean ws, String ip) {
        byte[] digest = digest(key.record.info().apiKey(), passphrase);
        if (matches(key.accepted, digest)) {
            return;
        }
        boolean ok;
        ReentrantLock lock = lockFor(key.record.info().apiKey());
        lock.lock();
        try {
            // Loads and checks of one key are ordered by this lock, and a load copies the verdicts of the cached
            // copy: so the copy in the cache holds every verdict reached so far, also for a request that holds an
            // older copy (it reloaded before the check it waited for, e.g. with a cache TTL of 0)
            CachedKey cached = cache.get(key.record.info().apiKey());
            if (cached == null || cached == key || !cached.record.passphrase().equals(key.record.passphrase())) {
                cached = null;
            }
            if (matches(key.accepted, digest) || cached != null && matches(cached.accepted, digest)) {
                key.accepted = digest;
                return;
            }
            ok = !(matches(key.refused, digest) || cached != null && matches(cached.refused, digest))
                    && slowMatch(passphrase, key);
            if (ok) {
                key.accepted = digest;
            } else {
                key.refused = digest;
            }
            if (cached != null) {
                if (ok) {
                    cached.accepted = digest;
                } else {
                    cached.refused = digest;
                }
            }
        } finally {
            lock.unlock();
        }
        if (ok) {
            return;
        }
        throw fail(AuthFailure.WRONG_PASSPHRASE, ws, key.record.info().apiKey(), ip, "wrong passphrase");
    }

    private static boolean matches(byte[] remembered, byte[] digest) {
        return remembered != null && MessageDigest.isEqual(remembered, digest);
    }

    private boolean slowMatch(String passphrase, CachedKey key) {
        passphraseChecks.increment();
        return PassphraseHasher.matches(passphrase, key.record.passphrase());
    }

    /** A keyed digest (per-process random key) of a passphrase: what the cache remembers instead of it. */
    private byte[] digest(String apiKey, String passphrase) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(digestKey, "HmacSHA256"));
            mac.update(apiKey.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(passphrase.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private AuthException fail(AuthFailure f, boolean ws, String apiKey, String ip, String reason) {
        return fail(f, f.name().toLowerCase(Locale.ROOT), ws, apiKey, ip, reason);
    }

    /**
     * Counts, logs and builds a refusal. {@code reasonTag} tells apart refusals that share an OKX code
     * (unknown, revoked and expired keys all answer 50119).
     */
    private AuthException fail(AuthFailure f, String reasonTag, boolean ws, String apiKey, String ip, String reason) {
        String code = ws ? f.wsCode() : f.restCode();
        failureCounters.computeIfAbsent(code + "/" + reasonTag, k -> Counter.builder("bourse_auth_failures_total")
                .description("Refused API-key authentications by OKX code and reason")
                .tag("code", code)
                .tag("reason", reasonTag)
                .register(meters)).increment();
        // the key id and address only: never the sign, passphrase or secret
        LOG.info(() -> "auth refused " + code + "/" + reasonTag + (ws ? " (ws login)" : "") + ": " + reason + "; key="
                + (apiKey == null ? "-" : printable(apiKey)) + " ip=" + ip);
        return ws ? f.ws() : f.rest(ip);
    }

    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return t.replaceAll("[^\\x21-\\x7e]", "?");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static final class CachedKey {
        final ApiKeyRecord record;
        final String secret;
        final ApiPrincipal principal;
        final long loadedAt;
        volatile byte[] accepted;
        volatile byte[] refused;

        CachedKey(ApiKeyRecord record, String secret, long loadedAt, byte[] accepted, byte[] refused) {
            this.record = record;
            this.secret = secret;
            this.principal = new ApiPrincipal(record.info().userId(), record.info().apiKey(), record.info().permissions());
            this.loadedAt = loadedAt;
            this.accepted = accepted;
            this.refused = refused;
        }
    }
}
