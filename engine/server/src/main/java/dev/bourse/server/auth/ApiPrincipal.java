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
}
