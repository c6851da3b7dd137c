package dev.bourse.server.auth;

import dev.bourse.server.ledger.SystemAccounts;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a creator asks for, validated with OKX's rules: a user account, a label of at most 50 letters,
 * digits, spaces, '-' or '_', a passphrase of 8-32 printable characters with at least one lower-case
 * letter, one upper-case letter, one digit and one special character, permissions from
 * {@code read_only,trade,withdraw} (read is always granted), and at most 20 IP addresses.
 */
public record NewApiKey(long userId, String label, String passphrase, Set<Permission> permissions, IpAllowlist ips) {
    public static final int MAX_LABEL = 50;
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9 _-]{1,50}");

    public NewApiKey {
        if (!SystemAccounts.isUser(userId)) {
            throw ApiKeyRequestException.parameter("userId");
        }
        if (label == null || label.isBlank()) {
            throw ApiKeyRequestException.empty("label");
        }
        if (!LABEL.matcher(label).matches()) {
            throw ApiKeyRequestException.parameter("label");
        }
        if (passphrase == null || passphrase.isEmpty()) {
            throw ApiKeyRequestException.empty("passphrase");
        }
        if (!validPassphrase(passphrase)) {
            throw new ApiKeyRequestException("51000", "Parameter passphrase error: 8-32 characters with at least one "
                    + "lower-case letter, one upper-case letter, one digit and one special character");
        }
        EnumSet<Permission> p = EnumSet.of(Permission.READ);
        p.addAll(permissions);
        permissions = Set.copyOf(p);
        ips = ips == null ? IpAllowlist.ANY : ips;
    }

    /** Parses the admin API's string fields ({@code perm} and {@code ip} comma-separated, may be empty). */
    public static NewApiKey parse(String userId, String label, String passphrase, String perm, String ip) {
        if (userId == null || userId.isBlank()) {
            throw ApiKeyRequestException.empty("userId");
        }
        long id;
        try {
            id = Long.parseLong(userId.trim());
        } catch (NumberFormatException e) {
            throw ApiKeyRequestException.parameter("userId");
        }
        IpAllowlist ips;
        try {
            ips = IpAllowlist.parse(ip);
        } catch (IllegalArgumentException e) {
            throw new ApiKeyRequestException("51000", "Parameter ip error: " + e.getMessage());
        }
        return new NewApiKey(id, label, passphrase, permissions(perm), ips);
    }

    /** {@code read_only,trade,withdraw} in any order; empty or null = read only. */
    public static Set<Permission> permissions(String csv) {
        EnumSet<Permission> p = EnumSet.of(Permission.READ);
        if (csv == null || csv.isBlank()) {
            return p;
        }
        for (String part : csv.split(",", -1)) {
            String name = part.trim();
            Permission found = null;
            for (Permission candidate : Permission.values()) {
                if (candidate.okx().equals(name)) {
                    found = candidate;
                }
            }
            if (found == null) {
                throw ApiKeyRequestException.parameter("perm");
            }
            p.add(found);
        }
        return p;
    }

    /** OKX's form, in a fixed order: {@code read_only,trade,withdraw}. */
    public static String permCsv(Set<Permission> permissions) {
        StringBuilder sb = new StringBuilder();
        for (Permission p : Permission.values()) { // enum order is OKX's order
            if (permissions.contains(p)) {
                sb.append(sb.isEmpty() ? "" : ",").append(p.okx());
            }
        }
        return sb.toString();
    }

    static boolean validPassphrase(String s) {
        if (s.length() < 8 || s.length() > 32) {
            return false;
        }
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean special = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c > '~') {
                return false; // printable ASCII only: what every client library can put in a header
            }
            if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else {
                special = true;
            }
        }
        return lower && upper && digit && special;
    }

    /** Never prints the passphrase. */
    @Override
    public String toString() {
        return "NewApiKey[userId=" + userId + ", label=" + label + ", perm=" + permCsv(permissions) + ", ip=" + ips + "]";
    }
}
