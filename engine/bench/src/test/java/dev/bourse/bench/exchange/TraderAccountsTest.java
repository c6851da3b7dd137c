package dev.bourse.bench.exchange;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraderAccountsTest {

    @Test
    void passphrasesAlwaysMeetTheExchangesRule() {
        // trader-api: 8-32 characters with a lower-case and an upper-case letter, a digit and a special character
        for (int i = 0; i < 1_000; i++) {
            String p = TraderAccounts.passphrase();
            assertTrue(p.length() >= 8 && p.length() <= 32 && p.matches(".*[a-z].*") && p.matches(".*[A-Z].*")
                    && p.matches(".*[0-9].*") && p.matches(".*[^A-Za-z0-9].*"), p);
        }
        assertNotEquals(TraderAccounts.passphrase(), TraderAccounts.passphrase());
    }
}
