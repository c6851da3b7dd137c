package dev.bourse.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PreflightTest {

    @Test
    void problemsOfEverySectionAreListedWithTheEngineConfigs(@TempDir Path dir) {
        Map<String, String> env = PreflightRulesTest.goodProd();
        env.remove("AUTH_TOKEN_TTL");
        Preflight.Section auth = e -> {
            throw new ConfigException(List.of("AUTH_KEY_CACHE_SIZE must be between 16 and 10000000: 1"));
        };
        Preflight.Section ws = e -> {
            throw new IllegalArgumentException("WS_IDLE_TIMEOUT_MS must be a whole number: x");
        };
        ConfigException e = assertThrows(ConfigException.class,
                () -> Preflight.check(env::get, dir.resolve("dev-secrets.properties"), auth, ws));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertEquals("AUTH_TOKEN_TTL is required", e.problems().get(0).substring(0, 26));
        assertEquals("AUTH_KEY_CACHE_SIZE must be between 16 and 10000000: 1", e.problems().get(1));
        assertEquals("WS_IDLE_TIMEOUT_MS must be a whole number: x", e.problems().get(2));
    }

    @Test
    void aGoodConfigPassesAndSectionsSeeTheEnvironment(@TempDir Path dir) {
        Map<String, String> env = PreflightRulesTest.goodProd();
        String[] seen = new String[1];
        EngineConfig c = Preflight.check(env::get, dir.resolve("dev-secrets.properties"),
                e -> seen[0] = e.apply("AUTH_TOKEN_TTL"));
        assertEquals(EngineConfig.Profile.PROD, c.profile());
        assertSame(env.get("AUTH_TOKEN_TTL"), seen[0]);
    }
}
