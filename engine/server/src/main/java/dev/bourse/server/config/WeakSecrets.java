package dev.bourse.server.config;

import java.util.Locale;
import java.util.Set;

/**
 * Recognises secrets that are not secret: placeholders ({@code changeme}, {@code admin-token},
 * {@code xxxxxxxxxxxxxxxx}), values published in Bourse's own docs and tests or in the OKX docs, and
 * keyboard or counting runs ({@code 0123456789abcdef}). Length alone proves nothing:
 * {@code change-me-change-me} is long enough and is still the first thing an attacker tries.
 */
public final class WeakSecrets {
    /**
     * Words a placeholder is made of. A value made only of these (with digits and separators between
     * them) is a placeholder, e.g. {@code Internal_Token_2024} or {@code bourse-admin-password}.
     */
    private static final Set<String> PLACEHOLDER_WORDS = Set.of("change", "changeme", "me", "default", "secret",
            "secrets", "token", "tokens", "internal", "admin", "administrator", "password", "passwd", "pass",
            "passphrase", "bourse", "test", "tests", "testing", "dev", "develop", "development", "example", "sample",
            "demo", "dummy", "fake", "placeholder", "replace", "replaceme", "your", "my", "the", "for", "here", "key",
            "api", "auth", "prod", "production", "staging", "local", "localhost", "insecure", "unsafe", "todo", "fixme",
            "foo", "bar", "baz", "qwerty", "letmein", "null", "none", "empty", "value", "string", "random", "root",
            "user", "guest", "okx", "exchange", "server", "engine", "it", "to", "set", "please", "not", "this",
            "xxx", "abc", "in", "of", "and", "hmac", "jwt", "ttl", "access", "ok", "new", "old", "k8s", "kubernetes", "helm");

    /** Values published as examples in this repository's docs and tests, and the OKX docs' sample secret. */
    private static final Set<String> PUBLISHED = Set.of(
            "dev-token",
            "0123456789abcdef0", "fedcba98765432100", "0123456789abcdef0123456789abcdef",
            "admin-token-for-tests-0123456789", "internal-token-for-tests-0123456789",
            "admin-token-for-the-test-0123456789", "forwarding-it-token-0123", "kill-nine-internal-token",
            "peer-token-0123456789", "given-admin-token",
            "test-auth-token-secret-0123456789abcdef", "auth-token-secret-for-tests-0123456789abcdef",
            "admin-it-auth-token-secret-0123456789", "another-auth-token-secret-for-the-dev-run",
            "a-different-auth-token-secret-xyz", "a-long-enough-auth-token-secret-for-tests",
            "another-auth-token-secret-for-the-tests",
            // OKX V5 docs: the secret key of the signature example
            "22582bd0cff14c41edbf1ab98506286d");

    private WeakSecrets() {
    }

    /** Why {@code value} is not a secret (to follow the variable's name in a message), or null. */
    public static String weakness(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (PUBLISHED.contains(v)) {
            return "is an example value published in the Bourse docs or tests";
        }
        String letters = v.replaceAll("[^a-z0-9]", "");
        if (letters.isEmpty() || placeholderWords(v)) {
            return "is a well-known default or placeholder";
        }
        if (letters.chars().distinct().count() < 5) {
            return "is a placeholder (too few distinct characters)";
        }
        if (sequential(letters)) {
            return "is a placeholder (a counting or keyboard run)";
        }
        return null;
    }

    /**
     * True when {@code v} splits into placeholder words, digit runs and separators only, with at least one
     * word of four letters or more (dynamic programming). Short words alone ({@code abc}, {@code me}) do
     * not count: a random hex secret such as {@code 1234abc5} would otherwise be refused now and then.
     */
    static boolean placeholderWords(String v) {
        int n = v.length();
        boolean[] ok = new boolean[n + 1];
        boolean[] longWord = new boolean[n + 1];
        ok[0] = true;
        for (int i = 0; i < n; i++) {
            if (!ok[i]) {
                continue;
            }
            char c = v.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                ok[i + 1] = true;
                longWord[i + 1] |= longWord[i];
                continue;
            }
            if (c >= '0' && c <= '9') {
                int j = i;
                while (j < n && v.charAt(j) >= '0' && v.charAt(j) <= '9') {
                    j++;
                }
                ok[j] = true;
                longWord[j] |= longWord[i];
                continue;
            }
            for (int j = i + 1; j <= Math.min(n, i + 16); j++) {
                String w = v.substring(i, j);
                if (PLACEHOLDER_WORDS.contains(w) || w.matches("x{3,}")) {
                    ok[j] = true;
                    longWord[j] |= longWord[i] || w.length() >= 4;
                }
            }
        }
        return ok[n] && longWord[n];
    }

    /** Most neighbouring characters one apart ({@code 0123456789abcdef}, {@code fedcba987654321}). */
    private static boolean sequential(String s) {
        int steps = 0;
        for (int i = 1; i < s.length(); i++) {
            if (Math.abs(s.charAt(i) - s.charAt(i - 1)) == 1) {
                steps++;
            }
        }
        return steps * 4 >= (s.length() - 1) * 3;
    }
}
