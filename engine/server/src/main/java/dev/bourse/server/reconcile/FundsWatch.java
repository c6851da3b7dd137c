package dev.bourse.server.reconcile;

import dev.bourse.server.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The funds-safety gauges the P0 alerts watch (runbook §1.1, §2 funds), refreshed on a schedule between
 * full reconciliations:
 * <ul>
 *   <li>{@code bourse_negative_balances}: balance rows the reconciler's non-negative check would report,
 *       counted live with the same query; must be 0;</li>
 *   <li>{@code bourse_reconciliation_anomalies}: the anomaly count of the latest stored reconciliation report;</li>
 *   <li>{@code bourse_reconciliation_last_run_timestamp_seconds}: when that report finished.</li>
 * </ul>
 * Unknown is -1 (no check has succeeded yet, or no report was ever stored) rather than 0, so an alert on
 * {@code > 0} never mistakes "not known" for "clean" and a staleness alert can tell the two apart. A
 * failed check keeps the previous values, counts {@code bourse_funds_watch_failures_total} and leaves
 * {@code bourse_funds_watch_last_check_timestamp_seconds} behind, which the staleness alert sees.
 *
 * <p>Each check is two small read queries in autocommit: the negative-balance query (a scan of
 * {@code balances}) and the newest report row. Every pod may run it; they all read the same database.
 */
public final class FundsWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FundsWatch.class.getName());

    /** {@code FUNDS_WATCH_INTERVAL_MS}: milliseconds between checks; 0 disables the watch. */
    public static final String INTERVAL_ENV = "FUNDS_WATCH_INTERVAL_MS";
    public static final long DEFAULT_INTERVAL_MS = 30_000;
    /** Below this a scan of the balances every few milliseconds would be load, not a watch. */
    static final long MIN_INTERVAL_MS = 1_000;
    private static final int QUERY_TIMEOUT_SECONDS = 20;

    static final String COUNT_NEGATIVE_BALANCES = "SELECT COUNT(*) FROM (" + LedgerChecks.NEGATIVE_BALANCES + ") n";
    static final String LATEST_REPORT = "SELECT anomalies, finished_at FROM reconciliation_reports "
            + "ORDER BY report_id DESC LIMIT 1";

    /** One check's outcome; -1 where unknown. */
    public record Reading(long negativeBalances, long reconciliationAnomalies, long lastReconciliationEpochSeconds) {
    }

    private final Database db;
    private final Clock clock;
    private final Counter failures;
    private volatile long negativeBalances = -1;
    private volatile long anomalies = -1;
    private volatile long lastReconciliation = -1;
    private volatile double lastCheck = 0;
    private ScheduledExecutorService timer;

    public FundsWatch(Database db, MeterRegistry meters) {
        this(db, meters, Clock.systemUTC());
    }

    FundsWatch(Database db, MeterRegistry meters, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        Gauge.builder("bourse_negative_balances", this, w -> w.negativeBalances)
                .description("balance rows that are negative or may overdraw outside the external account; must be 0 "
                        + "(-1 until the first check)")
                .register(meters);
        Gauge.builder("bourse_reconciliation_anomalies", this, w -> w.anomalies)
                .description("anomalies in the latest stored reconciliation report; must be 0 (-1 when none is stored)")
                .register(meters);
        Gauge.builder("bourse_reconciliation_last_run_timestamp_seconds", this, w -> w.lastReconciliation)
                .description("when the latest stored reconciliation report finished, Unix seconds (-1 when none)")
                .register(meters);
        Gauge.builder("bourse_funds_watch_last_check_timestamp_seconds", this, w -> w.lastCheck)
                .description("when the funds watch last read the database successfully, Unix seconds (0 never)")
                .register(meters);
        this.failures = Counter.builder("bourse_funds_watch_failures_total")
                .description("funds-watch checks that could not read the database (gauges keep their previous values)")
                .register(meters);
    }

    /**
     * The interval from {@code FUNDS_WATCH_INTERVAL_MS}: {@link #DEFAULT_INTERVAL_MS} when unset, 0 to
     * disable, otherwise at least {@link #MIN_INTERVAL_MS}. Anything else is refused with the variable's name.
     */
    public static long intervalFrom(Function<String, String> env) {
        String raw = env.apply(INTERVAL_ENV);
        if (raw == null || raw.isBlank()) {
            return DEFAULT_INTERVAL_MS;
        }
        long v;
        try {
            v = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(INTERVAL_ENV + " must be a whole number of milliseconds, got '" + raw + "'");
        }
        if (v != 0 && (v < MIN_INTERVAL_MS || v > TimeUnit.DAYS.toMillis(1))) {
            throw new IllegalArgumentException(INTERVAL_ENV + " must be 0 (off) or between " + MIN_INTERVAL_MS
                    + " and 86400000, got " + v);
        }
        return v;
    }

    /** Checks now and then every {@code intervalMillis} on a daemon thread; 0 does nothing. Call once. */
    public synchronized FundsWatch start(long intervalMillis) {
        if (timer != null) {
            throw new IllegalStateException("already started");
        }
        if (intervalMillis <= 0) {
            LOG.info("funds watch disabled (" + INTERVAL_ENV + "=0)");
            return this;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "funds-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::checkQuietly, 0, intervalMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One check: reads both figures, then publishes them together. Throws if the database cannot be read. */
    public Reading check() throws SQLException {
        long negative;
        long found = -1;
        long finished = -1;
        try (Connection c = db.connection()) {
            try (Statement s = c.createStatement()) {
                s.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                try (ResultSet rs = s.executeQuery(COUNT_NEGATIVE_BALANCES)) {
                    rs.next();
                    negative = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(LATEST_REPORT)) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        found = rs.getInt(1);
                        // stored as UTC in a TIMESTAMP without time zone (see ReportStore)
                        finished = rs.getObject(2, LocalDateTime.class).toEpochSecond(ZoneOffset.UTC);
                    }
                }
            }
        }
        boolean changed = negative != negativeBalances || found != anomalies;
        negativeBalances = negative;
        anomalies = found;
        lastReconciliation = finished;
        lastCheck = clock.millis() / 1000.0;
        if (changed && (negative > 0 || found > 0)) { // once per change, not every interval
            LOG.severe("FUNDS SAFETY: " + negative + " negative balance row(s), latest reconciliation report has "
                    + found + " anomaly(ies); see docs/runbook.md#p0-reconciliation-anomaly");
        }
        return new Reading(negative, found, finished);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (SQLException | RuntimeException e) {
            failures.increment();
            LOG.log(Level.WARNING, "funds watch check failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
