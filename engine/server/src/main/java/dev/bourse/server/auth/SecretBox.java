package dev.bourse.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts API-key secrets at rest. The HMAC secret must be recoverable (the server recomputes the
 * client's signature), so it is sealed with AES-256-GCM, a fresh 12-byte IV per secret, the api key as
 * associated data (a ciphertext copied onto another row does not open), under a key derived from
 * {@code AUTH_TOKEN_SECRET} with HKDF-SHA256 and a fixed context label. The derived key's fingerprint
 * ({@link #keyId()}) is stored next to each ciphertext so a changed {@code AUTH_TOKEN_SECRET} is
 * recognised as such instead of looking like a corrupt row.
 */
public final class SecretBox {
    static final String ENCRYPTION_CONTEXT = "bourse/api-key-secret/aes-256-gcm/v1";
    private static final byte[] HKDF_SALT = "bourse/auth-token-secret/hkdf-salt/v1".getBytes(StandardCharsets.UTF_8);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final byte[] prk;
    private final SecretKeySpec aesKey;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(byte[] prk) {
        this.prk = prk;
        this.aesKey = new SecretKeySpec(expand(prk, ENCRYPTION_CONTEXT.getBytes(StandardCharsets.UTF_8), 32), "AES");
        this.keyId = HexFormat.of().formatHex(derive("bourse/api-key-secret/key-id/v1", 8));
    }

    /** A box keyed by the engine's {@code AUTH_TOKEN_SECRET}. */
    public static SecretBox fromAuthTokenSecret(String authTokenSecret) {
        if (authTokenSecret == null || authTokenSecret.isEmpty()) {
            throw new IllegalArgumentException("AUTH_TOKEN_SECRET is empty");
        }
        return new SecretBox(extract(HKDF_SALT, authTokenSecret.getBytes(StandardCharsets.UTF_8)));
    }

    /** Ciphertext (with GCM tag) and IV, both Base64. */
    public record Sealed(String iv, String ciphertext, String keyId) {
    }

    public Sealed seal(String plaintext, String associatedData) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return new Sealed(Base64.getEncoder().encodeToString(iv), Base64.getEncoder().encodeToString(ct), keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** The plaintext; throws {@link GeneralSecurityException} when the key, IV, data or tag do not match. */
    public String open(Sealed sealed, String associatedData) throws GeneralSecurityException {
        byte[] iv = Base64.getDecoder().decode(sealed.iv());
        byte[] ct = Base64.getDecoder().decode(sealed.ciphertext());
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(TAG_BITS, iv));
        c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        return new String(c.doFinal(ct), StandardCharsets.UTF_8);
    }

    /** Fingerprint of the encryption key (not the key): tells which AUTH_TOKEN_SECRET sealed a row. */
    public String keyId() {
        return keyId;
    }

    /** Further key material for another purpose, separated from the encryption key by its label. */
    public byte[] derive(String label, int length) {
        return expand(prk, label.getBytes(StandardCharsets.UTF_8), length);
    }

    // RFC 5869 HKDF-SHA256, written out because the JDK 21 API has no HKDF (JEP 478 arrived in 24).
    static byte[] extract(byte[] salt, byte[] ikm) {
        return hmac(salt, ikm);
    }

    static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length <= 0 || length > 255 * 32) {
            throw new IllegalArgumentException("HKDF length out of range: " + length);
        }
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int filled = 0;
        for (int i = 1; filled < length; i++) {
            byte[] input = new byte[t.length + info.length + 1];
            System.arraycopy(t, 0, input, 0, t.length);
            System.arraycopy(info, 0, input, t.length, info.length);
            input[input.length - 1] = (byte) i;
            t = hmac(prk, input);
            int n = Math.min(t.length, length - filled);
            System.arraycopy(t, 0, out, filled, n);
            filled += n;
        }
        Arrays.fill(t, (byte) 0);
        return out;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[32] : key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
