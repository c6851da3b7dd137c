package dev.bourse.server.auth;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NewApiKeyTest {

    @Test
    void passphraseFollowsOkxRules() {
        assertTrue(NewApiKey.validPassphrase("Abcdef1!"));
        assertTrue(NewApiKey.validPassphrase("Aa1-" + "x".repeat(28))); // 32
        assertFalse(NewApiKey.validPassphrase("Abcde1!"));              // 7
        assertFalse(NewApiKey.validPassphrase("Aa1-" + "x".repeat(29))); // 33
        assertFalse(NewApiKey.validPassphrase("abcdef1!"));  // no upper
        assertFalse(NewApiKey.validPassphrase("ABCDEF1!"));  // no lower
        assertFalse(NewApiKey.validPassphrase("Abcdefg!"));  // no digit
        assertFalse(NewApiKey.validPassphrase("Abcdefg1"));  // no special
        assertFalse(NewApiKey.validPassphrase("Abc def1!")); // space
        assertFalse(NewApiKey.validPassphrase("Abcdéf1!"));  // not ASCII
    }

    @Test
    void parsesAdminFields() {
        NewApiKey k = NewApiKey.parse("10000", "bot 1", "Abcdef1!", "trade", "1.2.3.4, ::1");
        assertEquals(10000, k.userId());
        assertEquals(Set.of(Permission.READ, Permission.TRADE), k.permissions());
        assertEquals("1.2.3.4,0:0:0:0:0:0:0:1", k.ips().csv());
        assertEquals("read_only,trade,withdraw", NewApiKey.permCsv(NewApiKey.permissions("withdraw,read_only,trade")));
        assertEquals("read_only", NewApiKey.permCsv(NewApiKey.parse("10000", "x", "Abcdef1!", null, null).permissions()));
        assertFalse(k.toString().contains("Abcdef1!"));
    }

    @Test
    void refusesBadFieldsWithOkxCodes() {
        assertEquals("50014", code(() -> NewApiKey.parse(null, "x", "Abcdef1!", "", "")));
        assertEquals("51000", code(() -> NewApiKey.parse("abc", "x", "Abcdef1!", "", "")));
        assertEquals("51000", code(() -> NewApiKey.parse("9999", "x", "Abcdef1!", "", ""))); // a system account
        assertEquals("50014", code(() -> NewApiKey.parse("10000", null, "Abcdef1!", "", "")));
        assertEquals("51000", code(() -> NewApiKey.parse("10000", "x".repeat(51), "Abcdef1!", "", "")));
        assertEquals("51000", code(() -> NewApiKey.parse("10000", "bad<label>", "Abcdef1!", "", "")));
        assertEquals("50014", code(() -> NewApiKey.parse("10000", "x", null, "", "")));
        assertEquals("51000", code(() -> NewApiKey.parse("10000", "x", "weak", "", "")));
        assertEquals("51000", code(() -> NewApiKey.parse("10000", "x", "Abcdef1!", "trade,admin", "")));
        assertEquals("51000", code(() -> NewApiKey.parse("10000", "x", "Abcdef1!", "", "example.com")));
        assertEquals("51000", code(() -> NewApiKey.parse("10000", "x", "Abcdef1!", "", "1.2.3.256")));
        assertEquals("51000", code(() -> NewApiKey.parse("10000", "x", "Abcdef1!", "", "1.2.3.4,")));
    }

    @Test
    void ipAllowlistHoldsAtMostTwentyAndMatchesAddresses() {
        StringJoiner twenty = new StringJoiner(",");
        for (int i = 1; i <= 20; i++) {
            twenty.add("10.0.0." + i);
        }
        assertEquals(20, IpAllowlist.parse(twenty.toString()).csv().split(",").length);
        assertThrows(IllegalArgumentException.class, () -> IpAllowlist.parse(twenty + ",10.0.0.21"));
        IpAllowlist l = IpAllowlist.parse("10.0.0.1,2001:db8::1");
        assertTrue(l.allows("10.0.0.1"));
        assertTrue(l.allows("::ffff:10.0.0.1"));         // IPv4-mapped form of the same address
        assertTrue(l.allows("2001:0db8:0:0:0:0:0:1"));   // another spelling of the same IPv6 address
        assertTrue(l.allows("[2001:db8::1]"));
        assertFalse(l.allows("10.0.0.2"));
        assertFalse(l.allows("localhost"));              // names are never resolved
        assertFalse(l.allows(null));
        assertTrue(IpAllowlist.parse("").allows("8.8.8.8"));
        assertTrue(IpAllowlist.ANY.isAny());
    }

    private static String code(Runnable r) {
        return assertThrows(ApiKeyRequestException.class, r::run).code();
    }
}
