package dev.bourse.server.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 hashes of API-key passphrases. The iteration count is stored with each
 * hash, so raising it later affects new keys only and old hashes keep verifying. Deliberately slow:
 * the verifier checks a passphrase only after the (cheap) signature matched, and caches the result.
 */
public final class PassphraseHasher {
    public static final int DEFAULT_ITERATIONS = 210_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final SecureRandom random = new SecureRandom();

    public PassphraseHasher(int iterations) {
        if (iterations < 1_000) {
            throw new IllegalArgumentException("PBKDF2 iterations must be at least 1000: " + iterations);
        }
        this.iterations = iterations;
    }

    /** A stored hash: Base64 salt and hash, and the iteration count. */
    public record Hash(String salt, String hash, int iterations) {
    }

    public Hash hash(String passphrase) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new Hash(Base64.getEncoder().encodeToString(salt),
                Base64.getEncoder().encodeToString(pbkdf2(passphrase, salt, iterations)), iterations);
    }

    /** Constant-time check of {@code passphrase} against a stored hash. */
    public static boolean matches(String passphrase, Hash stored) {
        byte[] expected = Base64.getDecoder().decode(stored.hash());
        byte[] actual = pbkdf2(passphrase, Base64.getDecoder().decode(stored.salt()), stored.iterations());
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] pbkdf2(String passphrase, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(passphrase.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }
}
