package dev.bourse.server.admin;

import dev.bourse.server.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthFailureThrottleTest {

    @Test
    void throttlesAnAddressForTheRestOfTheWindowAfterTheLimit() {
        AuthFailureThrottle t = new AuthFailureThrottle(new AdminGateSettings(3, 60_000, 100));
        t.failed("10.0.0.1", 1_000);
        t.failed("10.0.0.1", 2_000);
        assertFalse(t.throttled("10.0.0.1", 2_001), "two failures of three");
        t.failed("10.0.0.1", 3_000);
        assertTrue(t.throttled("10.0.0.1", 3_001));
        assertTrue(t.throttled("10.0.0.1", 60_999), "until the first of the three leaves the window");
        assertFalse(t.throttled("10.0.0.2", 3_001), "other addresses are not affected");
        assertFalse(t.throttled("10.0.0.1", 61_000), "the oldest failure is out of the window");
        // one more failure: the last three (2 000, 3 000, 61 500) lie within 60 s again, until 62 000
        t.failed("10.0.0.1", 61_500);
        assertTrue(t.throttled("10.0.0.1", 61_501));
        assertFalse(t.throttled("10.0.0.1", 62_000));
        assertFalse(t.throttled("10.0.0.1", 121_500), "all failures out of the window: forgotten");
        assertEquals(0, t.trackedIps());
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowNeverThrottle() {
        AuthFailureThrottle t = new AuthFailureThrottle(new AdminGateSettings(3, 10_000, 100));
        for (long now = 0; now < 200_000; now += 5_000) {
            assertFalse(t.throttled("h", now), "at " + now);
            t.failed("h", now);
        }
    }

    @Test
    void forgetsTheLeastRecentlySeenAddressBeyondTheCap() {
        AuthFailureThrottle t = new AuthFailureThrottle(new AdminGateSettings(2, 60_000, 3));
        for (String ip : new String[] {"a", "b", "c", "d"}) {
            t.failed(ip, 1_000);
            t.failed(ip, 1_001);
        }
        assertEquals(3, t.trackedIps());
        assertFalse(t.throttled("a", 1_002), "evicted first");
        assertTrue(t.throttled("d", 1_002));
        for (int i = 0; i < 10_000; i++) {
            t.failed("spray-" + i, 2_000);
        }
        assertEquals(3, t.trackedIps(), "memory stays bounded");
    }

    @Test
    void readsItsSettingsFromTheEnvironment() {
        assertEquals(AdminGateSettings.DEFAULTS, AdminGateSettings.fromEnvironment(k -> null));
        assertEquals(new AdminGateSettings(10, 60_000, 10_000), AdminGateSettings.DEFAULTS);
        Map<String, String> env = Map.of("ADMIN_AUTH_MAX_FAILURES", "5", "ADMIN_AUTH_FAILURE_WINDOW_MS", "30000",
                "ADMIN_AUTH_MAX_TRACKED_IPS", "500");
        assertEquals(new AdminGateSettings(5, 30_000, 500), AdminGateSettings.fromEnvironment(env::get));
        ConfigException e = assertThrows(ConfigException.class, () -> AdminGateSettings.fromEnvironment(
                Map.of("ADMIN_AUTH_MAX_FAILURES", "0", "ADMIN_AUTH_FAILURE_WINDOW_MS", "soon")::get));
        assertTrue(e.getMessage().contains("ADMIN_AUTH_MAX_FAILURES"), e.getMessage());
        assertTrue(e.getMessage().contains("ADMIN_AUTH_FAILURE_WINDOW_MS"), e.getMessage());
    }
}
