package dev.bourse.server.auth;

import java.util.Set;

/**
 * An API key as listed: everything but its secret and passphrase. {@code revokedAt} is null while active;
 * {@code expiresAt} (epoch milliseconds) is null for a key that does not expire: one bound to an IP
 * allowlist, or one created before expiries existed (migration V8).
 */
public record ApiKeyInfo(String apiKey, long userId, String label, Set<Permission> permissions, IpAllowlist ips,
                         long createdAt, Long revokedAt, Long expiresAt) {

    public ApiKeyInfo {
        permissions = Set.copyOf(permissions);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** True from the expiry instant on. */
    public boolean expired(long nowMillis) {
        return expiresAt != null && nowMillis >= expiresAt;
    }

    /** Neither revoked nor expired at {@code nowMillis}. */
    public boolean usable(long nowMillis) {
        return !revoked() && !expired(nowMillis);
    }

    /** This key as revoked at {@code at}. */
    ApiKeyInfo revokedAt(long at) {
        return new ApiKeyInfo(apiKey, userId, label, permissions, ips, createdAt, at, expiresAt);
    }

    /** OKX's {@code perm} string, e.g. {@code read_only,trade}. */
    public String perm() {
        return NewApiKey.permCsv(permissions);
    }
}
