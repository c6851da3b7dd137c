package dev.bourse.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The store: one HikariCP pool shared by Helidon's DbClient (queries) and plain JDBC (the batch
 * writer's hot path), and Flyway for the schema. PostgreSQL in production, embedded H2 otherwise.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    public static final String HISTORY_TABLE = "schema_migrations";

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final DbClient dbClient;

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.dbClient = JdbcClientBuilder.create().connectionPool(() -> {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException("no database connection: " + e.getMessage(), e);
            }
        }).build();
    }

    /**
     * The pool's limits ({@code DB_MAX_OPEN_CONNS}, {@code DB_MIN_IDLE_CONNS}, {@code DB_CONN_MAX_LIFETIME},
     * {@code DB_CONN_TIMEOUT}; validated by the engine config).
     *
     * @param maxOpen           connections at most (Hikari maximumPoolSize)
     * @param minIdle           idle connections kept ready (Hikari minimumIdle), at most {@code maxOpen}
     * @param maxLifetime       a connection is retired after this long, so a database failover or a
     *                          rotated password is picked up (Hikari maxLifetime, at least 30 s)
     * @param connectionTimeout how long a caller waits for a connection before failing (at least 250 ms)
     */
    public record PoolSettings(int maxOpen, int minIdle, Duration maxLifetime, Duration connectionTimeout) {
        public PoolSettings {
            if (maxOpen < 1 || minIdle < 0 || minIdle > maxOpen) {
                throw new IllegalArgumentException("pool sizes: maxOpen " + maxOpen + ", minIdle " + minIdle);
            }
            if (maxLifetime.toMillis() < 30_000 || connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("pool times: maxLifetime " + maxLifetime + ", connectionTimeout "
                        + connectionTimeout);
            }
        }

        /** The defaults for a pool of {@code maxOpen}: 2 idle, 30 min lifetime, 5 s connection timeout. */
        public static PoolSettings of(int maxOpen) {
            return new PoolSettings(maxOpen, Math.min(2, maxOpen), Duration.ofMinutes(30), Duration.ofSeconds(5));
        }
    }

    /** Opens a pool of {@code maxPoolSize} with the default {@link PoolSettings} (jobs and tests). */
    public static Database open(String url, String user, String password, int maxPoolSize, String sslMode) {
        return open(url, user, password, PoolSettings.of(maxPoolSize), sslMode);
    }

    /**
     * Opens a pool. For PostgreSQL, {@code sslMode} is passed to the driver and inserts sent in a JDBC
     * batch are rewritten into multi-row statements (the batch writer depends on that for throughput).
     */
    public static Database open(String url, String user, String password, PoolSettings pool, String sslMode) {
        Dialect dialect = Dialect.of(url);
        return new Database(new HikariDataSource(hikariConfig(url, user, password, pool, sslMode)), dialect);
    }

    static HikariConfig hikariConfig(String url, String user, String password, PoolSettings pool, String sslMode) {
        Dialect dialect = Dialect.of(url);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(durable(url));
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(pool.maxOpen());
        hc.setMinimumIdle(pool.minIdle());
        hc.setMaxLifetime(pool.maxLifetime().toMillis());
        // Hikari drops the idle timeout (with a warning) unless it is at least 1 s under maxLifetime
        hc.setIdleTimeout(Math.max(10_000, Math.min(600_000, pool.maxLifetime().toMillis() / 2)));
        hc.setPoolName("bourse-db");
        hc.setAutoCommit(true);
        hc.setConnectionTimeout(pool.connectionTimeout().toMillis());
        if (dialect == Dialect.POSTGRESQL) {
            hc.addDataSourceProperty("reWriteBatchedInserts", "true");
            if (sslMode != null && !sslMode.isBlank() && !url.contains("sslmode=")) {
                hc.addDataSourceProperty("sslmode", sslMode);
            }
        }
        return hc;
    }

    /**
     * H2 by default writes a commit to its file up to 500 ms later: an engine killed in that window
     * loses transactions it already acknowledged. WRITE_DELAY=0 writes at commit; an H2 URL that does
     * not say otherwise gets it.
     */
    static String durable(String url) {
        if (url.startsWith("jdbc:h2:") && !url.toUpperCase(java.util.Locale.ROOT).contains("WRITE_DELAY=")
                && !url.startsWith("jdbc:h2:mem:")) {
            return url + ";WRITE_DELAY=0";
        }
        return url;
    }

    /** Applies pending migrations; the history goes to {@value #HISTORY_TABLE}. */
    public MigrateResult migrate() {
        MigrateResult result = flyway(dataSource, dialect).migrate();
        LOG.info(() -> "schema at version " + result.targetSchemaVersion + " (" + result.migrationsExecuted
                + " migrations applied)");
        return result;
    }

    static Flyway flyway(DataSource ds, Dialect dialect) {
        return Flyway.configure()
                .dataSource(ds)
                .table(HISTORY_TABLE)
                .locations("classpath:db/migration")
                .javaMigrations(new HotPathWritesMigration(dialect))
                .load();
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Helidon DbClient over the same pool, for queries off the hot path. */
    public DbClient dbClient() {
        return dbClient;
    }

    public HikariDataSource pool() {
        return dataSource;
    }

    @Override
    public void close() {
        dbClient.close();
        dataSource.close();
    }
}
