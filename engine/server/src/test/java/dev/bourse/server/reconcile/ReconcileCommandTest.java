package dev.bourse.server.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.server.config.EngineConfig;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import dev.bourse.server.support.TestDatabases.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code reconcile} command's exit codes and its {@code --summary-file} line, on an embedded H2 database. */
class ReconcileCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private TestDb testDb;
    private Database db;
    private ReconcileFixture f;
    private EngineConfig config;

    @BeforeEach
    void seed() throws Exception {
        testDb = TestDatabases.h2();
        db = testDb.open();
        f = ReconcileFixture.seed(db);
        config = EngineConfig.from(Map.of("DB_URL", testDb.url(), "DB_USER", testDb.user()));
    }

    @AfterEach
    void drop() throws Exception {
        db.close();
        testDb.close();
    }

    @Test
    void cleanRunWritesOneLineNamingItsReportRow() throws Exception {
        Path file = dir.resolve("termination-log");
        Output run = new Output();
        assertEquals(0, run.run(config, "--json", "--summary-file", file.toString()), run.err());
        assertTrue(JSON.readTree(run.out()).get("clean").asBoolean(), "stdout still carries the full report");

        String line = Files.readString(file);
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, line);
        JsonNode summary = JSON.readTree(line);
        assertTrue(summary.get("clean").asBoolean());
        assertEquals(0, summary.get("anomalies").asLong());
        assertEquals(lastReportId(), summary.get("reportId").asLong());
        assertTrue(summary.get("summary").asText().startsWith("reconciliation: CLEAN (10 posting sets"), line);
    }

    @Test
    void anomalyRunListsTheAnomaliesInTheSummary() throws Exception {
        f.sql("UPDATE balances SET available = available + 1 WHERE account_id = ? AND asset_id = ?", f.carol, f.usdt.id());
        Path file = dir.resolve("summary.json");
        Output run = new Output();
        assertEquals(1, run.run(config, "--summary-file=" + file), run.err());
        assertTrue(run.out().startsWith("reconciliation: 2 ANOMALIES"), run.out());

        JsonNode summary = JSON.readTree(Files.readString(file));
        assertFalse(summary.get("clean").asBoolean());
        assertEquals(2, summary.get("anomalies").asLong());
        assertEquals(lastReportId(), summary.get("reportId").asLong());
        String text = summary.get("summary").asText();
        assertTrue(text.startsWith("reconciliation: 2 ANOMALIES ("), text);
        assertTrue(text.contains("): asset_conservation asset 1 (USDT), balances: expected 0, actual 1; "
                + "balance_matches_ledger account " + f.carol + ", asset 1 (USDT), available: expected "), text);
        assertFalse(text.endsWith("..."), "both anomalies fit: " + text);
    }

    @Test
    void aRunThatCannotStartStillWritesItsReason() throws Exception {
        Path file = dir.resolve("summary.json");
        Output usage = new Output();
        assertEquals(2, usage.run(config, "--summary-file", file.toString(), "--yaml"));
        JsonNode summary = JSON.readTree(Files.readString(file));
        assertFalse(summary.get("clean").asBoolean());
        assertFalse(summary.has("anomalies"), "no conclusion, so no count");
        assertTrue(summary.get("error").asText().startsWith("unknown argument --yaml"), summary.toString());
        assertTrue(summary.get("summary").asText().startsWith("reconcile: unknown argument --yaml"), summary.toString());
        assertTrue(usage.err().startsWith("reconcile: unknown argument --yaml"), usage.err());

        EngineConfig missing = EngineConfig.from(Map.of("DB_URL", "jdbc:h2:file:" + dir.resolve("nothing-here"),
                "DB_USER", "sa"));
        Output noDb = new Output();
        assertEquals(2, noDb.run(missing, "--summary-file", file.toString()));
        JsonNode error = JSON.readTree(Files.readString(file));
        assertTrue(error.get("summary").asText().startsWith("reconcile: "), error.toString());
        assertEquals(1, noDb.err().lines().count(), noDb.err());
        assertFalse(Files.exists(dir.resolve("nothing-here.mv.db")), "the check never creates a database");
    }

    @Test
    void summaryFileNeedsAPath() {
        Output run = new Output();
        assertEquals(2, run.run(config, "--summary-file"));
        assertTrue(run.err().startsWith("reconcile: --summary-file needs a file path"), run.err());
        assertEquals("", run.out(), "nothing was checked");

        Output flagAsPath = new Output();
        assertEquals(2, flagAsPath.run(config, "--summary-file", "--json"), "a flag is not taken for the path");
        assertTrue(flagAsPath.err().startsWith("reconcile: --summary-file needs a file path"), flagAsPath.err());
        assertFalse(Files.exists(Path.of("--json")));
    }

    @Test
    void anUnwritableSummaryFileDoesNotHideTheOutcome() throws Exception {
        f.sql("UPDATE balances SET held = held + 1 WHERE account_id = ? AND asset_id = ?", f.alice, f.btc.id());
        Output run = new Output();
        assertEquals(1, run.run(config, "--summary-file", dir.resolve("no/such/dir/log").toString()),
                "the anomaly exit code survives a failed summary write");
        assertTrue(run.err().startsWith("reconcile: cannot write summary file "), run.err());
    }

    @Test
    void aHugeReportIsCutToTheTerminationMessageLimitAndStaysJson() throws Exception {
        Anomalies found = new Anomalies();
        for (int i = 0; i < 2_500; i++) {
            found.add(Check.BALANCE_MATCHES_LEDGER, "account " + i + ", asset 7 (ÉTÉ€), available", 0, i);
        }
        Instant t0 = Instant.parse("2025-01-02T03:04:05Z");
        ReconciliationReport report = new ReconciliationReport(t0, t0.plusMillis(5), 1, 2, 3, 4, found.found(),
                found.listed());
        String line = RunSummary.of(new Reconciler.Stored(99, report));
        assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= RunSummary.MAX_BYTES, line.length() + " chars");
        assertTrue(line.getBytes(StandardCharsets.UTF_8).length > RunSummary.MAX_BYTES - 200, "uses the room it has");
        JsonNode summary = JSON.readTree(line);
        assertEquals(2_500, summary.get("anomalies").asLong(), "the count is never cut");
        assertEquals(99, summary.get("reportId").asLong());
        String text = summary.get("summary").asText();
        assertTrue(text.startsWith("reconciliation: 2500 ANOMALIES ("), text);
        assertTrue(text.contains(": balance_matches_ledger account 0, asset 7 (ÉTÉ€), available: expected 0, actual 0; "),
                text);
        assertTrue(text.endsWith("; ..."), text);

        String error = "connection refused: " + "ö€😀".repeat(3_000);
        String failed = RunSummary.failed(error);
        assertTrue(failed.getBytes(StandardCharsets.UTF_8).length <= RunSummary.MAX_BYTES);
        JsonNode cut = JSON.readTree(failed);
        assertTrue(cut.get("error").asText().endsWith("…"), "cut on a character, marked");
        assertTrue(cut.get("summary").asText().startsWith("reconcile: connection refused: ö€😀"));
        assertFalse(cut.get("error").asText().contains("\uFFFD"), "no broken character");
    }

    private long lastReportId() throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(report_id) FROM reconciliation_reports")) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    /** Captures what the command prints. */
    private static final class Output {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();

        int run(EngineConfig config, String... args) {
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                return ReconcileCommand.run(config, args, o, e);
            }
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }
}
