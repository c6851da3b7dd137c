package dev.bourse.server.auth;

import java.util.Set;

/** The user behind a verified API key, with what the key may do. */
public record ApiPrincipal(long userId, String apiKey, Set<Permission> permissions) {

    public ApiPrincipal {
        permissions = Set.copyOf(permissions);
    }

    public boolean can(Permission p) {
        return permissions.contains(p);
    }

    /**
     * For endpoints: throws OKX's 50120 (HTTP 401) unless the key has {@code p}; trade endpoints need
     * {@link Permission#TRADE}, everything private needs at least {@link Permission#READ}.
     */
    public void require(Permission p) {
        if (!permissions.contains(p)) {
            throw AuthFailure.NO_PERMISSION.rest(null);
        }
    }
}
