package dev.bourse.operator.reconciliation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real engine jar ({@code engine/server/target/exchange-engine-server.jar}, built before this module) and
 * throw-away PostgreSQL databases migrated by its {@code migrate} command.
 */
public final class EngineJar {
    public static final Path JAR = Path.of(System.getProperty("bourse.server.jar",
            "../engine/server/target/exchange-engine-server.jar"));
    public static final String PG_HOST = System.getProperty("bourse.test.pg", "127.0.0.1:5432");
    public static final String PG_USER = System.getProperty("bourse.test.pgUser", "postgres");
    private static final String ADMIN_URL = "jdbc:postgresql://" + PG_HOST + "/postgres";
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private EngineJar() {
    }

    private static String template;

    /**
     * A uniquely named, migrated PostgreSQL database; drop it with {@link #drop}. The first one is migrated by the
     * jar's {@code migrate} command; the others are copies of it (PostgreSQL's {@code TEMPLATE}), which saves a JVM
     * start per database.
     */
    public static synchronized String createDatabase() throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: build the engine first "
                    + "(./mvnw -pl engine/server -am package -DskipTests)");
        }
        if (template == null) {
            String name = newName();
            execute("CREATE DATABASE " + name);
            migrate(name);
            template = name;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    drop(name);
                } catch (SQLException e) {
                    // the JVM is going away; a leftover database is only clutter
                }
            }));
        }
        String name = newName();
        execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        return name;
    }

    private static String newName() {
        return "bourse_op_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, PG_USER, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void migrate(String name) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(JAVA.toString(), "-jar", JAR.toString(), "migrate")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(Map.of("DB_URL", url(name), "DB_USER", PG_USER, "DB_PASSWORD", ""));
        Process migrate = pb.start();
        if (!migrate.waitFor(60, TimeUnit.SECONDS) || migrate.exitValue() != 0) {
            throw new IllegalStateException("migrate failed for " + name);
        }
    }

    public static String url(String database) {
        return "jdbc:postgresql://" + PG_HOST + "/" + database;
    }

    public static void sql(String database, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(database), PG_USER, ""); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    public static void drop(String database) throws SQLException {
        execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    /**
     * Runs the Job's container as the kubelet would, with the jar instead of the image: the container's args (the
     * termination log moved to a temporary file) and its literal env values.
     */
    public static JobKubelet.Exit run(Job job) {
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        try {
            Path log = Files.createTempFile("termination-log", "");
            try {
                // C1 only: a short-lived command starts faster without the optimising compiler
                List<String> cmd = new ArrayList<>(List.of(JAVA.toString(), "-XX:TieredStopAtLevel=1", "-jar",
                        JAR.toString()));
                for (String arg : c.getArgs()) {
                    cmd.add(ReconcileJob.TERMINATION_LOG.equals(arg) ? log.toString() : arg);
                }
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
                pb.environment().keySet().removeIf(k -> k.startsWith("DB_") || k.startsWith("BOURSE_"));
                for (EnvVar e : c.getEnv()) {
                    if (e.getValue() != null) {
                        pb.environment().put(e.getName(), e.getValue());
                    }
                }
                Process p = pb.start();
                if (!p.waitFor(90, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new JobKubelet.Exit(137, "");
                }
                return new JobKubelet.Exit(p.exitValue(), Files.readString(log));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
