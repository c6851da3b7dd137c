package dev.bourse.server.reconcile;

import dev.bourse.server.ledger.SystemAccounts;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import dev.bourse.server.support.TestDatabases.TestDb;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static dev.bourse.server.reconcile.ReconcileFixture.available;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The funds-safety gauges against real databases: unknown (-1) before anything is known, 0 on the
 * consistent fixture, 1 as soon as a negative balance row exists, the latest report's anomaly count, and
 * the exposition names the alert rules use.
 */
class FundsWatchIT {
    @FunctionalInterface
    interface Scenario {
        void run(ReconcileFixture f) throws Exception;
    }

    private static void withExchange(String kind, Scenario scenario) throws Exception {
        try (TestDb testDb = TestDatabases.create(kind)) {
            Database db = testDb.open();
            try {
                scenario.run(ReconcileFixture.seed(db));
            } finally {
                db.close();
            }
        }
    }

    private static double gauge(PrometheusMeterRegistry meters, String name) {
        return meters.get(name).gauge().value();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void gaugesFollowTheDatabase(String kind) throws Exception {
        withExchange(kind, f -> {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            FundsWatch watch = new FundsWatch(f.db, meters);
            // nothing checked yet: unknown, not clean
            assertEquals(-1.0, gauge(meters, "bourse_negative_balances"));
            assertEquals(-1.0, gauge(meters, "bourse_reconciliation_anomalies"));
            assertEquals(0.0, gauge(meters, "bourse_funds_watch_last_check_timestamp_seconds"));

            long before = Instant.now().getEpochSecond();
            FundsWatch.Reading r = watch.check();
            assertEquals(new FundsWatch.Reading(0, -1, -1), r, "consistent fixture, no report stored yet");
            assertEquals(0.0, gauge(meters, "bourse_negative_balances"));
            assertEquals(-1.0, gauge(meters, "bourse_reconciliation_anomalies"));
            assertEquals(-1.0, gauge(meters, "bourse_reconciliation_last_run_timestamp_seconds"));
            assertTrue(gauge(meters, "bourse_funds_watch_last_check_timestamp_seconds") >= before);

            ReconciliationReport clean = new Reconciler(f.db).run();
            assertTrue(clean.clean());
            watch.check();
            assertEquals(0.0, gauge(meters, "bourse_reconciliation_anomalies"));
            double finished = gauge(meters, "bourse_reconciliation_last_run_timestamp_seconds");
            assertEquals(clean.finished().getEpochSecond(), (long) finished, "the stored report's finish time, UTC");

            // a user overdrawn by 5 units: only possible with the schema's backstop gone
            f.sql("ALTER TABLE balances DROP CONSTRAINT balances_never_negative");
            long overdrawn = f.balance(f.alice, f.btc)[0] + 5;
            f.journalOnly("withdrawal:1", "WITHDRAWAL", available(f.alice, f.btc, -overdrawn),
                    available(SystemAccounts.EXTERNAL, f.btc, overdrawn));
            f.sql("UPDATE balances SET available = available + CASE WHEN account_id = ? THEN ? ELSE ? END "
                    + "WHERE asset_id = ? AND account_id IN (?, ?)", f.alice, -overdrawn, overdrawn, f.btc.id(), f.alice,
                    SystemAccounts.EXTERNAL);
            assertEquals(1, watch.check().negativeBalances());
            assertEquals(1.0, gauge(meters, "bourse_negative_balances"));
            // the stored report is still the clean one until the next reconciliation
            assertEquals(0.0, gauge(meters, "bourse_reconciliation_anomalies"));

            ReconciliationReport dirty = new Reconciler(f.db).run();
            assertTrue(dirty.anomalyCount() > 0);
            watch.check();
            assertEquals((double) dirty.anomalyCount(), gauge(meters, "bourse_reconciliation_anomalies"));

            // the overdraft flag on a user is counted too, as the reconciler counts it
            f.sql("UPDATE balances SET overdraft = TRUE WHERE account_id = ? AND asset_id = ?", f.bob, f.usdt.id());
            assertEquals(2, watch.check().negativeBalances());

            String scrape = meters.scrape();
            assertTrue(scrape.contains("\nbourse_negative_balances 2.0\n"), scrape);
            assertTrue(scrape.contains("\nbourse_reconciliation_anomalies " + (double) dirty.anomalyCount() + "\n"), scrape);
            assertTrue(scrape.contains("# TYPE bourse_reconciliation_last_run_timestamp_seconds gauge"), scrape);
            assertTrue(scrape.contains("\nbourse_funds_watch_failures_total 0.0\n"), scrape);
        });
    }

    /** The schedule runs the first check at once; a database that cannot be read counts a failure and keeps values. */
    @Test
    void scheduledChecksAndFailures() throws Exception {
        withExchange("postgres", f -> {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (FundsWatch watch = new FundsWatch(f.db, meters).start(FundsWatch.MIN_INTERVAL_MS)) {
                await(() -> gauge(meters, "bourse_negative_balances") == 0.0, "the first scheduled check");
            }

            PrometheusMeterRegistry broken = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (TestDb other = TestDatabases.postgres()) {
                Database gone = other.open();
                gone.close(); // every connection() now fails
                try (FundsWatch watch = new FundsWatch(gone, broken).start(FundsWatch.MIN_INTERVAL_MS)) {
                    await(() -> broken.get("bourse_funds_watch_failures_total").counter().count() >= 1, "a failed check");
                    assertEquals(-1.0, gauge(broken, "bourse_negative_balances"), "unknown stays unknown");
                    assertEquals(0.0, gauge(broken, "bourse_funds_watch_last_check_timestamp_seconds"));
                }
            }

            PrometheusMeterRegistry off = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (FundsWatch watch = new FundsWatch(f.db, off).start(0)) {
                Thread.sleep(300);
                assertEquals(-1.0, gauge(off, "bourse_negative_balances"), "0 disables the schedule");
            }
        });
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
