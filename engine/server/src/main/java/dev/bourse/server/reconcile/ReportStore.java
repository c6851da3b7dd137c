package dev.bourse.server.reconcile;

import dev.bourse.server.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Writes a finished report to {@code reconciliation_reports}, in its own short transaction after the
 * snapshot has closed, so the read-only snapshot stays read-only and the row commits in milliseconds.
 */
final class ReportStore {
    private static final String INSERT = "INSERT INTO reconciliation_reports (started_at, finished_at, anomalies, "
            + "clean, report) VALUES (?, ?, ?, ?, ?)";

    private ReportStore() {
    }

    /** Stores the report and returns its {@code report_id}. */
    static long save(Database db, ReconciliationReport report) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT, new String[] {"report_id"})) {
                ps.setObject(1, utc(report.started()));
                ps.setObject(2, utc(report.finished()));
                ps.setInt(3, (int) Math.min(report.anomalyCount(), Integer.MAX_VALUE));
                ps.setBoolean(4, report.clean());
                ps.setString(5, report.toJson());
                ps.executeUpdate();
                long id;
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("reconciliation_reports returned no report_id");
                    }
                    id = keys.getLong(1);
                }
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The columns are TIMESTAMP without time zone; they hold UTC so the value never depends on the host. */
    private static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
