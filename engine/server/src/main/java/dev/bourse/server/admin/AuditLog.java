package dev.bourse.server.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The append-only audit trail ({@code audit_log}). Rows are written on the caller's connection, inside
 * the transaction of the change they describe: the change and its record commit together or not at
 * all, and a failed audit write fails the change. Details never carry secrets.
 */
public final class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    private static final int MAX_DETAIL = 4000;
    private final Counter failures;

    public AuditLog(MeterRegistry meters) {
        this.failures = Counter.builder("bourse_audit_write_failures_total")
                .description("Audit rows that could not be written (the audited change was rolled back)")
                .register(meters);
    }

    /** Appends one row on {@code c} (whose transaction the caller commits). */
    public void append(Connection c, String actor, String action, String target, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_log (actor, action, target, detail) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, actor);
            ps.setString(2, action);
            ps.setString(3, target);
            ps.setString(4, detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL));
            ps.executeUpdate();
        } catch (SQLException e) {
            failures.increment();
            LOG.log(Level.SEVERE, "audit write failed for " + action + " " + target + " by " + actor
                    + " (the change is rolled back): " + e.getMessage());
            throw e;
        }
    }
}
