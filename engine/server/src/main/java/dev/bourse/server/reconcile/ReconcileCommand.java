package dev.bourse.server.reconcile;

import dev.bourse.server.config.EngineConfig;
import dev.bourse.server.store.Database;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code reconcile} command of the engine jar: runs a {@link Reconciler} against the configured
 * database and prints the report. It never migrates (it must be safe against a live production
 * database), so a database without the schema is an error, not something to fix.
 *
 * <p>With {@code --summary-file PATH} it also writes a one-line JSON outcome ({@link RunSummary}) to PATH,
 * whatever the exit code. The operator's reconciliation Job points it at {@code /dev/termination-log}, so
 * the outcome travels in the pod's status next to the exit code.
 */
public final class ReconcileCommand {
    private static final String USAGE = "usage: reconcile [--json] [--summary-file PATH]";

    /** The tables the checks read or write; probed first so a missing schema gets a clear message. */
    private static final List<String> TABLES = List.of("assets", "instruments", "accounts", "balances", "orders",
            "fills", "ledger_entries", "reconciliation_reports");

    /*
     * The pool logs a failed start at SEVERE with a stack trace; the command reports such failures itself
     * in one line, so the pool is silenced while it runs. Held in a field: JUL keeps loggers weakly.
     */
    private static final Logger POOL_LOG = Logger.getLogger("com.zaxxer.hikari");

    private ReconcileCommand() {
    }

    /** Returns the process exit code: 0 clean, 1 anomalies found, 2 could not run. */
    public static int run(EngineConfig config, String[] args) {
        return run(config, args, System.out, System.err);
    }

    static int run(EngineConfig config, String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        Path summaryFile = null;
        String badArgument = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ("--json".equals(arg)) {
                json = true;
            } else if ("--summary-file".equals(arg) || arg.startsWith("--summary-file=")) {
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1)
                        : i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "";
                try {
                    summaryFile = value.isBlank() ? null : Path.of(value);
                } catch (InvalidPathException e) {
                    summaryFile = null;
                }
                if (summaryFile == null && badArgument == null) {
                    badArgument = "--summary-file needs a file path";
                }
            } else if (badArgument == null) {
                badArgument = "unknown argument " + arg;
            }
        }
        if (badArgument != null) {
            return failed(badArgument + " (" + USAGE + ")", summaryFile, err);
        }
        Level poolLevel = POOL_LOG.getLevel();
        POOL_LOG.setLevel(Level.OFF);
        try (Database db = Database.open(neverCreate(config.dbUrl()), config.dbUser(), config.dbPassword(), 2,
                config.dbSslMode())) {
            String missing = missingTable(db);
            if (missing != null) {
                return failed(missing, summaryFile, err);
            }
            Reconciler.Stored stored = new Reconciler(db).runAndStore();
            ReconciliationReport report = stored.report();
            out.println(json ? report.toJson() : report.toText());
            writeSummary(summaryFile, RunSummary.of(stored), err);
            return report.clean() ? 0 : 1;
        } catch (SQLException | RuntimeException e) {
            return failed(oneLine(e), summaryFile, err);
        } finally {
            POOL_LOG.setLevel(poolLevel);
        }
    }

    /** Reports a run that reached no conclusion: one line on stderr and, if asked for, in the summary file. */
    private static int failed(String message, Path summaryFile, PrintStream err) {
        err.println("reconcile: " + message);
        writeSummary(summaryFile, RunSummary.failed(message), err);
        return 2;
    }

    /**
     * Writes the summary line. A failure to write it does not change the exit code: the report is complete
     * and stored, and the exit code alone still tells anomalies (1) from a clean run (0).
     */
    private static void writeSummary(Path summaryFile, String line, PrintStream err) {
        if (summaryFile == null) {
            return;
        }
        try {
            Files.writeString(summaryFile, line, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            err.println("reconcile: cannot write summary file " + summaryFile + ": " + oneLine(e));
        }
    }

    /** A message naming the first table the schema lacks, or null when every table is there. */
    private static String missingTable(Database db) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try {
                    s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
                } catch (SQLException e) {
                    return "cannot read table " + table + " (schema missing? run the migrate command first): "
                            + oneLine(e);
                }
            }
        }
        return null;
    }

    /**
     * Embedded H2 creates a database file when the URL names one that does not exist; a check against
     * a mistyped path would then report an empty schema and leave a stray file behind.
     */
    static String neverCreate(String url) {
        boolean h2File = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
        return h2File && !url.toUpperCase(Locale.ROOT).contains("IFEXISTS=") ? url + ";IFEXISTS=TRUE" : url;
    }

    /** The first line of the first message in the cause chain: drivers append SQL text and codes below it. */
    private static String oneLine(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank()) {
                return m.strip().lines().findFirst().orElseThrow();
            }
        }
        return e.getClass().getSimpleName();
    }
}
