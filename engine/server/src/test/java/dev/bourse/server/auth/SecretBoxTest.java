package dev.bourse.server.auth;

import org.junit.jupiter.api.Test;

import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 5869, Appendix A.1 (HKDF-SHA256, basic test case). */
    @Test
    void hkdfMatchesRfc5869() {
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
        byte[] prk = SecretBox.extract(salt, ikm);
        assertEquals("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", HEX.formatHex(prk));
        assertArrayEquals(HEX.parseHex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
                SecretBox.expand(prk, info, 42));
    }

    @Test
    void sealsAndOpensWithFreshIvs() throws Exception {
        SecretBox box = SecretBox.fromAuthTokenSecret("a-long-enough-auth-token-secret-for-tests");
        Set<String> ivs = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            SecretBox.Sealed s = box.seal("22582BD0CFF14C41EDBF1AB98506286D", "key-1");
            assertTrue(ivs.add(s.iv()), "IV reused");
            assertEquals(16, s.iv().length()); // 12 bytes, Base64
            assertFalse(s.ciphertext().contains("22582BD0"));
            assertEquals("22582BD0CFF14C41EDBF1AB98506286D", box.open(s, "key-1"));
        }
    }

    @Test
    void refusesOtherRowOtherSecretOrTampering() {
        SecretBox box = SecretBox.fromAuthTokenSecret("a-long-enough-auth-token-secret-for-tests");
        SecretBox other = SecretBox.fromAuthTokenSecret("another-auth-token-secret-for-the-tests");
        SecretBox.Sealed s = box.seal("SECRET", "key-1");
        assertThrows(GeneralSecurityException.class, () -> box.open(s, "key-2"));
        assertThrows(GeneralSecurityException.class, () -> other.open(s, "key-1"));
        char[] ct = s.ciphertext().toCharArray();
        ct[2] = ct[2] == 'A' ? 'B' : 'A';
        assertThrows(GeneralSecurityException.class,
                () -> box.open(new SecretBox.Sealed(s.iv(), new String(ct), s.keyId()), "key-1"));
        assertNotEquals(box.keyId(), other.keyId());
        assertEquals(box.keyId(), SecretBox.fromAuthTokenSecret("a-long-enough-auth-token-secret-for-tests").keyId());
    }

    @Test
    void passphraseHashesAreSaltedAndVerify() {
        PassphraseHasher h = new PassphraseHasher(1_000);
        PassphraseHasher.Hash a = h.hash("Pass-phrase1");
        PassphraseHasher.Hash b = h.hash("Pass-phrase1");
        assertNotEquals(a.salt(), b.salt());
        assertNotEquals(a.hash(), b.hash());
        assertTrue(PassphraseHasher.matches("Pass-phrase1", a));
        assertFalse(PassphraseHasher.matches("Pass-phrase2", a));
        assertFalse(PassphraseHasher.matches("Pass-phrase1", new PassphraseHasher.Hash(a.salt(), a.hash(), 1_001)));
    }
}
