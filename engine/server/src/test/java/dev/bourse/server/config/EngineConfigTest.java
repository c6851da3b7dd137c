package dev.bourse.server.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineConfigTest {

    @Test
    void devNeedsNothingAndGeneratesItsSecrets() {
        EngineConfig c = EngineConfig.from(Map.of());
        assertTrue(c.isDev());
        assertEquals(EngineConfig.DEFAULT_DB_URL, c.dbUrl());
        assertTrue(c.secretsGenerated());
        assertEquals(48, c.internalToken().length());
        assertTrue(c.demoData());
        assertEquals("127.0.0.1", c.host());
        assertFalse(c.toString().contains(c.internalToken()), "secrets must not reach the log");
    }

    @Test
    void prodRefusesToStartAndListsEveryProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfig.from(Map.of("BOURSE_PROFILE", "prod",
                "ADMIN_TOKEN", "admin", "AUTH_TOKEN_SECRET", "short")));
        assertEquals(5, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("DB_URL is required"));
        assertTrue(e.getMessage().contains("DB_SSL_MODE"));
        assertTrue(e.getMessage().contains("INTERNAL_TOKEN is required"));
        assertTrue(e.getMessage().contains("ADMIN_TOKEN must be at least 16"));
        assertTrue(e.getMessage().contains("AUTH_TOKEN_SECRET must be at least 32"));
    }

    @Test
    void prodStartsWithRealSettings() {
        EngineConfig c = EngineConfig.from(Map.of("BOURSE_PROFILE", "prod", "DB_URL", "jdbc:postgresql://db:5432/bourse",
                "DB_SSL_MODE", "require", "INTERNAL_TOKEN", "0123456789abcdef0", "ADMIN_TOKEN", "fedcba98765432100",
                "AUTH_TOKEN_SECRET", "0123456789abcdef0123456789abcdef", "SHARD_ID", "3"));
        assertFalse(c.secretsGenerated());
        assertFalse(c.demoData());
        assertEquals(3, c.shardId());
        assertEquals("0.0.0.0", c.host());
    }

    @Test
    void badNumbersAndUnknownDatabasesAreRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfig.from(Map.of("PORT", "http",
                "QUEUE_CAPACITY", "1", "DB_URL", "jdbc:mysql://x/y", "DEMO_DATA", "maybe")));
        assertEquals(4, e.problems().size(), e.getMessage());
    }

    @Test
    void aWellKnownDefaultIsNotASecret() {
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfig.from(Map.of("BOURSE_PROFILE", "prod",
                "DB_URL", "jdbc:postgresql://db/b", "DB_SSL_MODE", "require", "INTERNAL_TOKEN", "changeme",
                "ADMIN_TOKEN", "fedcba98765432100", "AUTH_TOKEN_SECRET", "0123456789abcdef0123456789abcdef")));
        assertEquals(1, e.problems().size(), e.getMessage());
    }
}
