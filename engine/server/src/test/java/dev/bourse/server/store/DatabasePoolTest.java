package dev.bourse.server.store;

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** DB_MAX_OPEN_CONNS, DB_MIN_IDLE_CONNS, DB_CONN_MAX_LIFETIME and DB_CONN_TIMEOUT reach the Hikari pool. */
class DatabasePoolTest {

    @Test
    void settingsReachTheRunningPool() {
        Database.PoolSettings s = new Database.PoolSettings(7, 3, Duration.ofMinutes(45), Duration.ofMillis(1500));
        try (Database db = Database.open("jdbc:h2:mem:pool-" + System.nanoTime() + ";MODE=PostgreSQL", "sa", "", s, null)) {
            var pool = db.pool();
            assertEquals(7, pool.getMaximumPoolSize());
            assertEquals(3, pool.getMinimumIdle());
            assertEquals(Duration.ofMinutes(45).toMillis(), pool.getMaxLifetime());
            assertEquals(1500, pool.getConnectionTimeout());
            assertEquals(600_000, pool.getIdleTimeout());
        }
    }

    @Test
    void aShortLifetimeKeepsAnIdleTimeoutBelowIt() {
        HikariConfig hc = Database.hikariConfig("jdbc:postgresql://db/x", "u", "p",
                new Database.PoolSettings(10, 0, Duration.ofSeconds(30), Duration.ofMillis(250)), "require");
        assertEquals(30_000, hc.getMaxLifetime());
        assertEquals(15_000, hc.getIdleTimeout());
        assertEquals(250, hc.getConnectionTimeout());
        assertEquals("require", hc.getDataSourceProperties().getProperty("sslmode"));
    }

    @Test
    void defaultsForJobsAndTests() {
        Database.PoolSettings d = Database.PoolSettings.of(8);
        assertEquals(new Database.PoolSettings(8, 2, Duration.ofMinutes(30), Duration.ofSeconds(5)), d);
        assertEquals(1, Database.PoolSettings.of(1).minIdle());
        assertThrows(IllegalArgumentException.class, () -> new Database.PoolSettings(4, 5, Duration.ofMinutes(1),
                Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Database.PoolSettings(4, 1, Duration.ofSeconds(29),
                Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Database.PoolSettings(4, 1, Duration.ofMinutes(1),
                Duration.ofMillis(249)));
    }
}
