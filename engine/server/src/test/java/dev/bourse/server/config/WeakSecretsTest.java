package dev.bourse.server.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class WeakSecretsTest {

    @Test
    void randomValuesAreNotFlagged() {
        // hex, as openssl rand -hex gives: no false alarms over many draws at the shortest accepted length
        int flagged = 0;
        for (int i = 0; i < 20_000; i++) {
            if (WeakSecrets.weakness(PreflightRulesTest.random(8)) != null) {
                flagged++;
            }
        }
        assertEquals(0, flagged);
        for (String v : List.of("correct-horse-battery-staple", "Tr0ub4dor&3-internal-9f2c", "kJ8#pQ2!vL9@xR4$",
                "oVq3c1sZr8hTk2Lm9Xy7Wb4N")) {
            assertNull(WeakSecrets.weakness(v), v);
        }
    }

    @Test
    void placeholderWordsNeedEveryLetterCovered() {
        assertEquals(true, WeakSecrets.placeholderWords("internal_token_2024"));
        assertEquals(true, WeakSecrets.placeholderWords("my-admin-password!!"));
        assertEquals(false, WeakSecrets.placeholderWords("internal-token-q"));
        // hex whose only letters happen to spell short words is a random secret, not a placeholder
        assertEquals(false, WeakSecrets.placeholderWords("9081abc37420abc5"));
        assertNull(WeakSecrets.weakness("9081abc37420abc5"));
        assertEquals(false, WeakSecrets.placeholderWords("12345678901234567"), "digits alone are judged by the other rules");
    }
}
