package dev.bourse.server.support;

import dev.bourse.server.store.Database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Throw-away databases for integration tests: a uniquely named PostgreSQL database on the local
 * server (dropped on close), or an H2 file database in a temporary directory.
 */
public final class TestDatabases {
    public static final String PG_HOST = System.getProperty("bourse.test.pg", "127.0.0.1:5432");
    public static final String PG_ADMIN_URL = "jdbc:postgresql://" + PG_HOST + "/postgres";
    public static final String PG_USER = System.getProperty("bourse.test.pgUser", "postgres");

    private TestDatabases() {
    }

    /** A fresh, migrated database of the given kind. */
    public static TestDb create(String kind) throws Exception {
        return "h2".equals(kind) ? h2() : postgres();
    }

    public static TestDb postgres() throws SQLException {
        String name = "bourse_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String url = "jdbc:postgresql://" + PG_HOST + "/" + name;
        return new TestDb(url, PG_USER, "", () -> {
            try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, "");
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        });
    }

    public static TestDb h2() throws Exception {
        Path dir = Files.createTempDirectory("bourse-h2-");
        String url = "jdbc:h2:file:" + dir.resolve("bourse") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        return new TestDb(url, "sa", "", () -> {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        });
    }

    @FunctionalInterface
    public interface Cleanup {
        void run() throws java.io.IOException, SQLException;
    }

    /** A test database; {@link #open} gives a migrated pool, {@link #close} drops it. */
    public record TestDb(String url, String user, String password, Cleanup cleanup) implements AutoCloseable {
        public Database open() {
            Database db = Database.open(url, user, password, 8, null);
            db.migrate();
            return db;
        }

        @Override
        public void close() throws java.io.IOException, SQLException {
            cleanup.run();
        }
    }
}
