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
        append(c, new AuditRecord(actor, action, target, null, detail, null));
    }

    /** Appends {@code r} on {@code c} (whose transaction the caller commits); a failure is counted and rethrown. */
    public void append(Connection c, AuditRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (actor, action, target, detail, "
                + "before_state, after_state, request_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.actor());
            ps.setString(2, r.action());
            ps.setString(3, clip(r.target(), 256));
            ps.setString(4, clip(r.after(), MAX_DETAIL));
            ps.setString(5, clip(r.before(), MAX_DETAIL));
            ps.setString(6, clip(r.after(), MAX_DETAIL));
            ps.setString(7, clip(r.requestId(), 64));
            ps.executeUpdate();
        } catch (SQLException e) {
            failures.increment();
            LOG.log(Level.SEVERE, "audit write failed for " + r.action() + " " + r.target() + " by " + r.actor()
                    + " (the change is rolled back): " + e.getMessage());
            throw e;
        }
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
