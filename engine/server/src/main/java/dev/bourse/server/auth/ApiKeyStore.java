package dev.bourse.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.admin.AuditLog;
import dev.bourse.server.admin.AuditRecord;
import dev.bourse.server.http.Json;
import dev.bourse.server.store.Database;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * API keys in the {@code api_keys} table (plain JDBC through {@link Database}). Creation and revocation
 * write their {@code audit_log} row in the same transaction. The secret is returned once, by
 * {@link #create}; afterwards only the verifier (and the dev seed) open the sealed copy.
 */
public final class ApiKeyStore {
    private static final Logger LOG = Logger.getLogger(ApiKeyStore.class.getName());
    private static final String COLUMNS = "api_key, user_id, label, perm, ip_allowlist, secret_iv, secret_ciphertext, "
            + "secret_key_id, passphrase_salt, passphrase_hash, passphrase_iterations, created_at, revoked_at, expires_at";
    private static final int SECRET_BYTES = 32;

    private final Database db;
    private final SecretBox box;
    private final PassphraseHasher hasher;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration unboundKeyTtl;
    private final SecureRandom random = new SecureRandom();
    private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();

    /** A store whose keys without an IP allowlist expire after {@link AuthConfig#DEFAULT_UNBOUND_KEY_TTL}. */
    /** Now, on the store's clock (the one key expiry is judged by). */
    public long nowMillis() {
        return clock.millis();
    }

    public ApiKeyStore(Database db, SecretBox box, PassphraseHasher hasher, AuditLog audit, Clock clock) {
        this(db, box, hasher, audit, clock, AuthConfig.DEFAULT_UNBOUND_KEY_TTL);
    }

    /**
     * @param unboundKeyTtl lifetime of a key created without an IP allowlist ({@code AUTH_TOKEN_TTL}): such a
     *                      key works from anywhere, so a leaked one must not work for ever (OKX lets them
     *                      lapse after 14 days). Keys bound to addresses do not expire.
     */
    public ApiKeyStore(Database db, SecretBox box, PassphraseHasher hasher, AuditLog audit, Clock clock,
                       Duration unboundKeyTtl) {
        if (unboundKeyTtl.isNegative() || unboundKeyTtl.isZero()) {
            throw new IllegalArgumentException("unbound key TTL must be positive: " + unboundKeyTtl);
        }
        this.db = db;
        this.box = box;
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
        this.unboundKeyTtl = unboundKeyTtl;
    }

    /** Called with the api key after each revocation commits (the verifier drops its cached copy). */
    public void onRevoke(Consumer<String> listener) {
        revocationListeners.add(listener);
    }

    /**
     * Creates a key for a user account and records it in the audit log under {@code actor}. Throws
     * {@link ApiKeyRequestException} (51000) when the account is not a user account.
     */
    public CreatedApiKey create(NewApiKey request, String actor) throws SQLException {
        return create(request, actor, null);
    }

    /**
     * As {@link #create(NewApiKey, String)}, the audit row also carrying the key's state after the change
     * and {@code requestId} (the admin request's {@code x-request-id}).
     */
    public CreatedApiKey create(NewApiKey request, String actor, String requestId) throws SQLException {
        String apiKey = UUID.randomUUID().toString(); // v4, from SecureRandom: the form OKX keys have
        byte[] raw = new byte[SECRET_BYTES];
        random.nextBytes(raw);
        String secret = HexFormat.of().withUpperCase().formatHex(raw);
        SecretBox.Sealed sealed = box.seal(secret, apiKey);
        PassphraseHasher.Hash pass = hasher.hash(request.passphrase());
        long now = clock.millis();
        Long expiresAt = request.ips().isAny() ? Math.addExact(now, unboundKeyTtl.toMillis()) : null;
        ApiKeyInfo info = new ApiKeyInfo(apiKey, request.userId(), request.label(), request.permissions(), request.ips(),
                now, null, expiresAt);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                if (!isUserAccount(c, request.userId())) {
                    c.rollback();
                    throw ApiKeyRequestException.parameter("userId");
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)")) {
                    ps.setString(1, apiKey);
                    ps.setLong(2, request.userId());
                    ps.setString(3, request.label());
                    ps.setString(4, info.perm());
                    ps.setString(5, request.ips().csv());
                    ps.setString(6, sealed.iv());
                    ps.setString(7, sealed.ciphertext());
                    ps.setString(8, sealed.keyId());
                    ps.setString(9, pass.salt());
                    ps.setString(10, pass.hash());
                    ps.setInt(11, pass.iterations());
                    ps.setLong(12, now);
                    if (expiresAt == null) {
                        ps.setNull(13, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(13, expiresAt);
                    }
                    ps.executeUpdate();
                }
                audit.append(c, new AuditRecord(actor, "api_key.create", apiKey, null, state(info).toString(),
                        requestId));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        LOG.info(() -> "API key " + apiKey + " created for user " + request.userId() + " by " + actor + " (perm "
                + info.perm() + (expiresAt == null ? ", IP-bound, no expiry" : ", no IP allowlist, expires at "
                + java.time.Instant.ofEpochMilli(expiresAt)) + ")");
        return new CreatedApiKey(info, secret);
    }

    /** The user's keys, newest first, revoked ones included; no secrets. */
    public List<ApiKeyInfo> list(long userId) throws SQLException {
        List<ApiKeyInfo> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                     + " FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, api_key")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs).info());
                }
            }
        }
        return out;
    }

    /** The stored key, revoked or not, or empty. */
    public Optional<ApiKeyRecord> lookup(String apiKey) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE api_key = ?")) {
            ps.setString(1, apiKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Revokes a key (audited under {@code actor}); returns it as it now stands, or empty when no such key
     * exists. Revoking a revoked key changes nothing and writes no audit row.
     */
    public Optional<ApiKeyInfo> revoke(String apiKey, String actor) throws SQLException {
        return revoke(apiKey, actor, null);
    }

    /**
     * As {@link #revoke(String, String)}, the audit row also carrying the key's state before and after and
     * {@code requestId} (the admin request's {@code x-request-id}).
     */
    public Optional<ApiKeyInfo> revoke(String apiKey, String actor, String requestId) throws SQLException {
        ApiKeyInfo result;
        boolean changed = false;
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                ApiKeyRecord rec;
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                        + " FROM api_keys WHERE api_key = ? FOR UPDATE")) {
                    ps.setString(1, apiKey);
                    try (ResultSet rs = ps.executeQuery()) {
                        rec = rs.next() ? read(rs) : null;
                    }
                }
                if (rec == null) {
                    c.rollback();
                    return Optional.empty();
                }
                result = rec.info();
                if (!result.revoked()) {
                    long now = clock.millis();
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE api_keys SET revoked_at = ? WHERE api_key = ? AND revoked_at IS NULL")) {
                        ps.setLong(1, now);
                        ps.setString(2, apiKey);
                        ps.executeUpdate();
                    }
                    ApiKeyInfo before = result;
                    result = result.revokedAt(now);
                    audit.append(c, new AuditRecord(actor, "api_key.revoke", apiKey, state(before).toString(),
                            state(result).toString(), requestId));
                    changed = true;
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        if (changed) {
            LOG.info(() -> "API key " + apiKey + " revoked by " + actor);
        }
        revocationListeners.forEach(l -> l.accept(apiKey)); // also when already revoked: drop any stale copy
        return Optional.of(result);
    }

    /** Opens a stored secret; throws when it was sealed under another AUTH_TOKEN_SECRET or was altered. */
    public String secret(ApiKeyRecord rec) throws GeneralSecurityException {
        if (!box.keyId().equals(rec.secret().keyId())) {
            throw new GeneralSecurityException("API key " + rec.info().apiKey()
                    + " was sealed under another AUTH_TOKEN_SECRET (key id " + rec.secret().keyId() + ", current "
                    + box.keyId() + ")");
        }
        return box.open(rec.secret(), rec.info().apiKey());
    }

    SecretBox box() {
        return box;
    }

    /** A key's state as audit rows record it: never the secret or the passphrase. */
    private static ObjectNode state(ApiKeyInfo k) {
        return Json.MAPPER.createObjectNode()
                .put("userId", Long.toString(k.userId()))
                .put("label", k.label())
                .put("perm", k.perm())
                .put("ip", k.ips().csv())
                .put("state", k.revoked() ? "revoked" : "live")
                .put("revokedTs", k.revokedAt() == null ? "" : Long.toString(k.revokedAt()))
                .put("expTs", k.expiresAt() == null ? "" : Long.toString(k.expiresAt()));
    }

    private static boolean isUserAccount(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT kind FROM accounts WHERE account_id = ?")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && "USER".equals(rs.getString(1));
            }
        }
    }

    private static ApiKeyRecord read(ResultSet rs) throws SQLException {
        long revoked = rs.getLong("revoked_at");
        Long revokedAt = rs.wasNull() ? null : revoked;
        long expires = rs.getLong("expires_at");
        Long expiresAt = rs.wasNull() ? null : expires;
        ApiKeyInfo info = new ApiKeyInfo(rs.getString("api_key"), rs.getLong("user_id"), rs.getString("label"),
                NewApiKey.permissions(rs.getString("perm")), IpAllowlist.parse(rs.getString("ip_allowlist")),
                rs.getLong("created_at"), revokedAt, expiresAt);
        return new ApiKeyRecord(info,
                new SecretBox.Sealed(rs.getString("secret_iv"), rs.getString("secret_ciphertext"),
                        rs.getString("secret_key_id")),
                new PassphraseHasher.Hash(rs.getString("passphrase_salt"), rs.getString("passphrase_hash"),
                        rs.getInt("passphrase_iterations")));
    }
}
