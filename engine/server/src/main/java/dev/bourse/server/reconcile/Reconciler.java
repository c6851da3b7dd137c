package dev.bourse.server.reconcile;

import dev.bourse.server.listing.Listing;
import dev.bourse.server.store.Database;
import dev.bourse.server.store.Dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Verifies the ledger and order invariants ({@link Check}) against one consistent snapshot of the
 * database, then records the outcome in {@code reconciliation_reports}.
 *
 * <p>All checks read inside a single read-only transaction, so postings committed while the run is in
 * progress can never appear half-applied to it. The snapshot is MVCC: it takes no row locks and never
 * blocks the shards' batch writers, so it can run against a trading exchange. It needs two pool
 * connections at once (the snapshot, and the listing lookups).
 */
public final class Reconciler {
    /*
     * PostgreSQL's REPEATABLE READ is snapshot isolation: one snapshot of every table, taken at the first
     * statement. H2's REPEATABLE READ fixes each table's view only when the transaction first reads that
     * table, so a table first read by a later check (accounts, say) would show commits the earlier checks
     * did not see; H2's SNAPSHOT level is the equivalent of PostgreSQL's.
     */
    private static final int H2_SNAPSHOT = org.h2.engine.Constants.TRANSACTION_SNAPSHOT;

    private static final String COUNTS = "SELECT (SELECT COUNT(DISTINCT posting_key) FROM ledger_entries), "
            + "(SELECT COUNT(*) FROM balances), (SELECT COUNT(*) FROM orders), (SELECT COUNT(*) FROM fills)";

    private final Database db;
    private final Runnable insideSnapshot;
    private final Clock clock;

    public Reconciler(Database db) {
        this(db, () -> { });
    }

    /**
     * @param insideSnapshot called once the snapshot is taken and before the checks read it; tests use it
     *                       to write concurrently and show that the run neither blocks nor sees the write
     */
    Reconciler(Database db, Runnable insideSnapshot) {
        this.db = Objects.requireNonNull(db, "db");
        this.insideSnapshot = Objects.requireNonNull(insideSnapshot, "insideSnapshot");
        this.clock = Clock.systemUTC();
    }

    /** Runs every check and stores the report; throws if the database cannot be read or the report not stored. */
    public ReconciliationReport run() throws SQLException {
        return runAndStore().report();
    }

    /** As {@link #run()}, also returning the {@code report_id} of the stored row (the job's summary names it). */
    public Stored runAndStore() throws SQLException {
        Instant started = clock.instant();
        ReconciliationReport report;
        try (Connection c = db.connection()) {
            report = checkSnapshot(c, started);
        }
        return new Stored(ReportStore.save(db, report), report);
    }

    /** A report and the {@code reconciliation_reports} row that holds it. */
    public record Stored(long reportId, ReconciliationReport report) {
    }

    private ReconciliationReport checkSnapshot(Connection c, Instant started) throws SQLException {
        c.setAutoCommit(false);
        c.setReadOnly(true);
        c.setTransactionIsolation(db.dialect() == Dialect.H2 ? H2_SNAPSHOT : Connection.TRANSACTION_REPEATABLE_READ);
        try {
            // The first statement fixes the snapshot: everything below reads the database as of this moment.
            long[] counts = new long[4];
            Sql.forEachRow(c, COUNTS, rs -> {
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = rs.getLong(i + 1);
                }
            });
            insideSnapshot.run();
            Catalog catalog = Catalog.load(new Listing(db));
            Anomalies found = new Anomalies();
            LedgerChecks.run(c, catalog, found);
            OrderChecks.run(c, catalog, found);
            return new ReconciliationReport(started, clock.instant(), counts[0], counts[1], counts[2], counts[3],
                    found.found(), found.listed());
        } finally {
            // Nothing to keep; ending the transaction at once releases the snapshot, which on PostgreSQL
            // otherwise holds back vacuum for as long as it stays open.
            c.rollback();
        }
    }
}
