package dev.bourse.server.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
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
        assertEquals(6, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("DB_URL is required"));
        assertTrue(e.getMessage().contains("DB_SSL_MODE"));
        assertTrue(e.getMessage().contains("INTERNAL_TOKEN is required"));
        assertTrue(e.getMessage().contains("ADMIN_TOKEN is a well-known default"));
        assertTrue(e.getMessage().contains("AUTH_TOKEN_SECRET must be at least 32"));
        assertTrue(e.getMessage().contains("AUTH_TOKEN_TTL is required"));
    }

    @Test
    void prodStartsWithRealSettings() {
        Map<String, String> env = new HashMap<>(PreflightRulesTest.goodProd());
        env.put("SHARD_ID", "3");
        EngineConfig c = EngineConfig.from(env);
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
        Map<String, String> env = new HashMap<>(PreflightRulesTest.goodProd());
        env.put("INTERNAL_TOKEN", "changeme");
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfig.from(env));
        assertEquals(1, e.problems().size(), e.getMessage());
    }

    @Test
    void fanOutAndRoutingDefaults() {
        EngineConfig c = EngineConfig.from(Map.of());
        assertEquals(1000, c.eventReplayCount());
        assertEquals("bourse:", c.redisKeyPrefix());
        assertTrue(c.shardPeers().isEmpty());
        assertEquals(null, c.shardUrlTemplate());
        assertEquals(null, c.redisAddr());
    }

    @Test
    void fanOutAndRoutingSettingsAreParsed() {
        EngineConfig c = EngineConfig.from(Map.of("REDIS_ADDR", "redis://:hunter2secret@redis.svc:6380/0",
                "EVENT_REPLAY_COUNT", "50000", "REDIS_KEY_PREFIX", "ex2:",
                "SHARD_PEERS", "1=http://10.0.0.2:8080/, 0=http://10.0.0.1:8080",
                "SHARD_URL_TEMPLATE", "http://bourse-engine-{shard}.bourse-engine:8080/"));
        assertEquals(50000, c.eventReplayCount());
        assertEquals("ex2:", c.redisKeyPrefix());
        assertEquals(Map.of(0, "http://10.0.0.1:8080", 1, "http://10.0.0.2:8080"), c.shardPeers());
        assertEquals("http://bourse-engine-{shard}.bourse-engine:8080", c.shardUrlTemplate());
        assertFalse(c.toString().contains("hunter2secret"), "the Redis password must not reach the log: " + c);
        assertTrue(c.toString().contains("shardPeers={0=http://10.0.0.1:8080, 1=http://10.0.0.2:8080}"), c.toString());
        assertEquals("127.0.0.1:6379", EngineConfig.from(Map.of("REDIS_ADDR", "127.0.0.1:6379")).redisAddr());
    }

    @Test
    void badFanOutAndRoutingSettingsAreListedTogether() {
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfig.from(Map.of(
                "REDIS_ADDR", "localhost", "EVENT_REPLAY_COUNT", "5", "REDIS_KEY_PREFIX", "has space",
                "SHARD_PEERS", "0=http://a:1,0=http://b:2,x=http://c:3,2=ftp://d",
                "SHARD_URL_TEMPLATE", "http://bourse-engine:8080")));
        List<String> p = e.problems();
        assertEquals(7, p.size(), e.getMessage());
        assertTrue(e.getMessage().contains("REDIS_ADDR must be host:port"), e.getMessage());
        assertTrue(e.getMessage().contains("EVENT_REPLAY_COUNT must be between 10 and 1000000"), e.getMessage());
        assertTrue(e.getMessage().contains("REDIS_KEY_PREFIX"), e.getMessage());
        assertTrue(e.getMessage().contains("SHARD_PEERS names shard 0 twice"), e.getMessage());
        assertTrue(e.getMessage().contains("SHARD_PEERS entry must be"), e.getMessage());
        assertTrue(e.getMessage().contains("SHARD_PEERS entry for shard 2 must be an http"), e.getMessage());
        assertTrue(e.getMessage().contains("SHARD_URL_TEMPLATE must contain {shard}"), e.getMessage());
        assertThrows(ConfigException.class, () -> EngineConfig.from(Map.of("REDIS_ADDR", "host:99999")));
        assertThrows(ConfigException.class, () -> EngineConfig.from(Map.of("REDIS_ADDR", "http://host:6379")));
    }
}
