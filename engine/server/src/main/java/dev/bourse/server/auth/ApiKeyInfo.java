package dev.bourse.server.auth;

import java.util.Set;

/** An API key as listed: everything but its secret and passphrase. {@code revokedAt} is null while active. */
public record ApiKeyInfo(String apiKey, long userId, String label, Set<Permission> permissions, IpAllowlist ips,
                         long createdAt, Long revokedAt) {

    public ApiKeyInfo {
        permissions = Set.copyOf(permissions);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** OKX's {@code perm} string, e.g. {@code read_only,trade}. */
    public String perm() {
        return NewApiKey.permCsv(permissions);
    }
}
