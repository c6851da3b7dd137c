package dev.bourse.server.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.server.config.EngineConfig;
import dev.bourse.server.ledger.SystemAccounts;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import dev.bourse.server.support.TestDatabases.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.bourse.server.reconcile.ReconcileFixture.LOT;
import static dev.bourse.server.reconcile.ReconcileFixture.available;
import static dev.bourse.server.reconcile.ReconcileFixture.held;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reconciliation against real databases. Each corruption test starts from the consistent
 * {@link ReconcileFixture}, breaks exactly one thing and checks that the invariant it breaks is the one
 * reported, about the right subject, with the right expected and actual values.
 */
class ReconcilerIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FunctionalInterface
    interface Scenario {
        void run(ReconcileFixture f) throws Exception;
    }

    /** A fresh migrated database of the kind, seeded with the fixture; dropped afterwards. */
    private static void withExchange(String kind, Scenario scenario) throws Exception {
        TestDb testDb = TestDatabases.create(kind);
        try {
            Database db = testDb.open();
            try {
                scenario.run(ReconcileFixture.seed(db));
            } finally {
                db.close();
            }
        } finally {
            testDb.close();
        }
    }

    /** Runs a reconciliation and checks that the row it stored describes the same report. */
    private static ReconciliationReport reconcile(ReconcileFixture f) throws Exception {
        ReconciliationReport report = new Reconciler(f.db).run();
        assertStored(f.db, report);
        return report;
    }

    private static void assertStored(Database db, ReconciliationReport report) throws Exception {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT anomalies, clean, report, started_at, finished_at "
                     + "FROM reconciliation_reports ORDER BY report_id DESC");
             ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next(), "a report row");
            assertEquals(report.anomalyCount(), rs.getInt(1));
            assertEquals(report.clean(), rs.getBoolean(2));
            JsonNode json = JSON.readTree(rs.getString(3));
            assertEquals(report.clean(), json.get("clean").asBoolean());
            assertEquals(report.anomalyCount(), json.get("anomalyCount").asLong());
            assertEquals(report.anomalies().size(), json.get("anomalies").size());
            assertFalse(rs.getTimestamp(5).before(rs.getTimestamp(4)), "finished_at >= started_at");
        }
    }

    private static Set<Check> failing(ReconciliationReport report) {
        Set<Check> out = EnumSet.noneOf(Check.class);
        report.perCheck().forEach((check, n) -> {
            if (n > 0) {
                out.add(check);
            }
        });
        return out;
    }

    private static Set<String> subjects(ReconciliationReport report, Check check) {
        Set<String> out = new TreeSet<>();
        report.anomalies().stream().filter(a -> a.check() == check).forEach(a -> out.add(a.subject()));
        return out;
    }

    private static Anomaly anomaly(ReconciliationReport report, Check check, String subject) {
        return report.anomalies().stream().filter(a -> a.check() == check && a.subject().equals(subject))
                .findFirst().orElseThrow(() -> new AssertionError("no " + check.id() + " anomaly for " + subject
                        + " in\n" + report.toText()));
    }

    private static void assertOnly(ReconciliationReport report, Check... checks) {
        Set<Check> expected = EnumSet.noneOf(Check.class);
        expected.addAll(List.of(checks));
        assertEquals(expected, failing(report), report.toText());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void consistentExchangeIsCleanAndTheReportIsStored(String kind) throws Exception {
        withExchange(kind, f -> {
            ReconciliationReport report = reconcile(f);
            assertTrue(report.clean(), report.toText());
            assertEquals(0, report.anomalyCount());
            assertTrue(report.anomalies().isEmpty());
            // 3 deposits, 5 holds, 1 fill, 1 release; 7 accounts (3 users, 4 system) x 2 assets; 5 orders; 1 fill
            assertEquals(10, report.postingSets());
            assertEquals(14, report.balances());
            assertEquals(5, report.orders());
            assertEquals(1, report.fills());
            assertTrue(report.toText().startsWith("reconciliation: CLEAN (10 posting sets, 14 balances, 5 orders, "
                    + "1 fills"), report.toText());
            try (Connection c = f.db.connection();
                 PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM reconciliation_reports");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        });
    }

    /** (a) A transfer written as two one-legged sets: each set is unbalanced, yet the totals still agree. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void postingSetThatDoesNotBalance(String kind) throws Exception {
        withExchange(kind, f -> {
            f.post("split:1", "TRANSFER", null, null, available(f.alice, f.btc, -5));
            f.post("split:2", "TRANSFER", null, null, available(f.bob, f.btc, 5));
            ReconciliationReport report = reconcile(f);
            assertOnly(report, Check.POSTING_SET_BALANCE);
            assertEquals(Set.of("posting set split:1, asset 0 (BTC)", "posting set split:2, asset 0 (BTC)"),
                    subjects(report, Check.POSTING_SET_BALANCE));
            Anomaly a = anomaly(report, Check.POSTING_SET_BALANCE, "posting set split:1, asset 0 (BTC)");
            assertEquals("0", a.expected());
            assertEquals("-5", a.actual());
        });
    }

    /**
     * (b) Money minted by a one-legged posting applied to the balance: conservation sees it in both the
     * ledger and the balance totals. Conservation can only fail together with another check (a total is
     * the sum of posting sets and of balance rows), here the unbalanced set itself.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void assetNotConserved(String kind) throws Exception {
        withExchange(kind, f -> {
            f.post("mint:1", "ADJUSTMENT", null, null, available(f.carol, f.usdt, 7));
            ReconciliationReport report = reconcile(f);
            assertOnly(report, Check.ASSET_CONSERVATION, Check.POSTING_SET_BALANCE);
            assertEquals(Set.of("asset 1 (USDT), ledger", "asset 1 (USDT), balances"),
                    subjects(report, Check.ASSET_CONSERVATION));
            Anomaly balances = anomaly(report, Check.ASSET_CONSERVATION, "asset 1 (USDT), balances");
            assertEquals("0", balances.expected());
            assertEquals("7", balances.actual());
            assertEquals("7", anomaly(report, Check.ASSET_CONSERVATION, "asset 1 (USDT), ledger").actual());
        });
    }

    /** (c) One unit moved between two balance rows without a posting: totals agree, the rows do not. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void balanceThatDoesNotMatchItsLedger(String kind) throws Exception {
        withExchange(kind, f -> {
            long aliceBefore = f.balance(f.alice, f.btc)[0];
            assertEquals(2, f.sql("UPDATE balances SET available = available + CASE WHEN account_id = ? THEN -1 ELSE 1 END "
                    + "WHERE asset_id = ? AND account_id IN (?, ?)", f.alice, f.btc.id(), f.alice, f.bob));
            ReconciliationReport report = reconcile(f);
            assertOnly(report, Check.BALANCE_MATCHES_LEDGER);
            String alice = f.subject(f.alice, f.btc, "available");
            assertEquals(Set.of(alice, f.subject(f.bob, f.btc, "available")), subjects(report, Check.BALANCE_MATCHES_LEDGER));
            Anomaly a = anomaly(report, Check.BALANCE_MATCHES_LEDGER, alice);
            assertEquals(Long.toString(aliceBefore), a.expected());
            assertEquals(Long.toString(aliceBefore - 1), a.actual());
        });
    }

    /** (c) Journal entries for an (account, asset) that has no balance row at all. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void ledgerEntriesWithoutABalanceRow(String kind) throws Exception {
        withExchange(kind, f -> {
            long dave = f.ledger.createUser("dave");
            f.sql("DELETE FROM balances WHERE account_id = ? AND asset_id = ?", dave, f.btc.id());
            f.journalOnly("orphan:1", "TRANSFER", available(dave, f.btc, 5), held(dave, f.btc, -5));
            ReconciliationReport report = reconcile(f);
            assertOnly(report, Check.BALANCE_MATCHES_LEDGER);
            String subject = "account " + dave + ", asset 0 (BTC)";
            assertEquals(Set.of(subject), subjects(report, Check.BALANCE_MATCHES_LEDGER));
            Anomaly a = anomaly(report, Check.BALANCE_MATCHES_LEDGER, subject);
            assertEquals("a balance row (ledger: available 5, held -5)", a.expected());
            assertEquals("no balance row", a.actual());
        });
    }

    /**
     * (d) A withdrawal of more than alice had, journaled and applied consistently; only possible once the
     * schema's CHECK backstop is gone, which is exactly the failure this check exists for.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void negativeAvailableOnAUser(String kind) throws Exception {
        withExchange(kind, f -> {
            f.sql("ALTER TABLE balances DROP CONSTRAINT balances_never_negative");
            long overdrawn = f.balance(f.alice, f.btc)[0] + 5;
            f.journalOnly("withdrawal:1", "WITHDRAWAL", available(f.alice, f.btc, -overdrawn),
                    available(SystemAccounts.EXTERNAL, f.btc, overdrawn));
            f.sql("UPDATE balances SET available = available + CASE WHEN account_id = ? THEN ? ELSE ? END "
                    + "WHERE asset_id = ? AND account_id IN (?, ?)", f.alice, -overdrawn, overdrawn, f.btc.id(), f.alice,
                    SystemAccounts.EXTERNAL);
            ReconciliationReport report = reconcile(f);
            assertOnly(report, Check.NON_NEGATIVE_BALANCE);
            String subject = f.subject(f.alice, f.btc, "available");
            assertEquals(Set.of(subject), subjects(report, Check.NON_NEGATIVE_BALANCE));
            Anomaly a = anomaly(report, Check.NON_NEGATIVE_BALANCE, subject);
            assertEquals(">= 0", a.expected());
            assertEquals("-5", a.actual());
        });
    }

    /** (d) The overdraft flag on a user's row would let that user go negative unnoticed. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void overdraftAllowedOnAUser(String kind) throws Exception {
        withExchange(kind, f -> {
            f.sql("UPDATE balances SET overdraft = TRUE WHERE account_id = ? AND asset_id = ?", f.bob, f.usdt.id());
            ReconciliationReport report = reconcile(f);
            assertOnly(report, Check.NON_NEGATIVE_BALANCE);
            assertEquals(Set.of(f.subject(f.bob, f.usdt, "overdraft")), subjects(report, Check.NON_NEGATIVE_BALANCE));
        });
    }

    /** (e) A filled order whose filled size is one lot more than its fills. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void filledSizeThatDoesNotMatchTheFills(String kind) throws Exception {
        withExchange(kind, f -> {
            f.sql("UPDATE orders SET filled_sz = filled_sz + ? WHERE ord_id = ?", LOT, ReconcileFixture.FILLED_BUY);
            ReconciliationReport report = reconcile(f);
            assertOnly(report, Check.ORDER_FILLS);
            assertEquals(Set.of("order 4"), subjects(report, Check.ORDER_FILLS));
            Anomaly a = anomaly(report, Check.ORDER_FILLS, "order 4");
            assertEquals("filled_sz 10000000 (sum of fills)", a.expected());
            assertEquals("filled_sz 10010000", a.actual());
        });
    }

    /** (f) A live buy holding one unit less than its price x remaining size: the order and bob's held balance. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void liveBuyHoldingTheWrongAmount(String kind) throws Exception {
        withExchange(kind, f -> {
            f.sql("UPDATE orders SET held = held - 1 WHERE ord_id = ?", ReconcileFixture.LIVE_BUY);
            ReconciliationReport report = reconcile(f);
            assertOnly(report, Check.ORDER_HOLDS);
            String account = f.subject(f.bob, f.usdt, "held");
            assertEquals(Set.of("order 2", account), subjects(report, Check.ORDER_HOLDS));
            long required = f.instrument.quoteAmount(490_000, 50_000_000);
            Anomaly order = anomaly(report, Check.ORDER_HOLDS, "order 2");
            assertEquals("held " + required + " (quote amount of remaining 50000000 at px 490000)", order.expected());
            assertEquals("held " + (required - 1), order.actual());
            Anomaly balance = anomaly(report, Check.ORDER_HOLDS, account);
            assertEquals("held " + (required - 1) + " (sum of live orders)", balance.expected());
            assertEquals("held " + required, balance.actual());
        });
    }

    /** (f) A live sell whose remaining size shrank by a lot while its hold did not. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void liveSellHoldingMoreThanItsRemainingSize(String kind) throws Exception {
        withExchange(kind, f -> {
            f.sql("UPDATE orders SET remaining_sz = remaining_sz - ? WHERE ord_id = ?", LOT, ReconcileFixture.LIVE_SELL);
            ReconciliationReport report = reconcile(f);
            assertOnly(report, Check.ORDER_HOLDS);
            assertEquals(Set.of("order 1"), subjects(report, Check.ORDER_HOLDS));
            Anomaly a = anomaly(report, Check.ORDER_HOLDS, "order 1");
            assertEquals("held 99990000 (remaining size of a live sell)", a.expected());
            assertEquals("held 100000000", a.actual());
        });
    }

    /**
     * Orders naming an account or an instrument that does not exist. PostgreSQL only: there the orders
     * table has no foreign keys (docs/adr/0005-bulk-batch-writes.md), so reconciliation is what reports
     * such a row; H2 keeps the foreign keys and refuses the update itself.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgres"})
    void orderNamingAnUnknownAccountOrInstrument(String kind) throws Exception {
        withExchange(kind, f -> {
            f.sql("UPDATE orders SET user_id = ? WHERE ord_id = ?", 987_654_321L, ReconcileFixture.CANCELED_BUY);
            f.sql("UPDATE orders SET inst_id = ? WHERE ord_id = ?", "NOPE-USDT", ReconcileFixture.FILLED_BUY);
            ReconciliationReport report = reconcile(f);
            assertOnly(report, Check.ORDER_REFERENCES);
            assertEquals(Set.of("order 4", "order 5"), subjects(report, Check.ORDER_REFERENCES));
            assertEquals("account 987654321", anomaly(report, Check.ORDER_REFERENCES, "order 5").actual());
            assertEquals("instrument NOPE-USDT", anomaly(report, Check.ORDER_REFERENCES, "order 4").actual());
        });
    }

    /** (f) A canceled order that still claims a hold. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void finishedOrderStillHolding(String kind) throws Exception {
        withExchange(kind, f -> {
            f.sql("UPDATE orders SET held = 7 WHERE ord_id = ?", ReconcileFixture.CANCELED_BUY);
            ReconciliationReport report = reconcile(f);
            assertOnly(report, Check.ORDER_HOLDS);
            assertEquals(Set.of("order 5"), subjects(report, Check.ORDER_HOLDS));
            assertEquals("held 0 (CANCELED)", anomaly(report, Check.ORDER_HOLDS, "order 5").expected());
        });
    }

    /** (f) A balanced HOLD posting for no order: the journal and the rows agree, the live orders do not. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void heldBalanceWithoutALiveOrder(String kind) throws Exception {
        withExchange(kind, f -> {
            f.post("hold:orphan", "HOLD", null, null, available(f.alice, f.btc, -5), held(f.alice, f.btc, 5));
            ReconciliationReport report = reconcile(f);
            assertOnly(report, Check.ORDER_HOLDS);
            String subject = f.subject(f.alice, f.btc, "held");
            assertEquals(Set.of(subject), subjects(report, Check.ORDER_HOLDS));
            Anomaly a = anomaly(report, Check.ORDER_HOLDS, subject);
            assertEquals("held 100000000 (sum of live orders)", a.expected());
            assertEquals("held 100000005", a.actual());
        });
    }

    /**
     * While the snapshot is open another connection writes a one-legged posting (a new journal row and an
     * updated balance row) and commits: the write must not wait for the reconciliation, and the
     * reconciliation must see neither the new row nor the update, because it reads one snapshot. The
     * posting mints money, so the next run, with a new snapshot, reports it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void runNeitherBlocksNorSeesAConcurrentWriter(String kind) throws Exception {
        withExchange(kind, f -> {
            AtomicReference<Throwable> writerFailure = new AtomicReference<>(new AssertionError("hook not called"));
            Runnable writeDuringSnapshot = () -> {
                CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                    try {
                        f.post("mint:concurrent", "ADJUSTMENT", null, null, available(f.alice, f.btc, 1));
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                try {
                    write.get(5, TimeUnit.SECONDS);
                    writerFailure.set(null);
                } catch (Exception e) { // TimeoutException: the writer was blocked by the snapshot
                    write.cancel(true);
                    writerFailure.set(e);
                }
            };
            ReconciliationReport during = new Reconciler(f.db, writeDuringSnapshot).run();
            assertNull(writerFailure.get(), () -> "concurrent writer failed or blocked: " + writerFailure.get());
            assertTrue(during.clean(), during.toText());
            assertEquals(10, during.postingSets());

            ReconciliationReport after = reconcile(f);
            assertOnly(after, Check.POSTING_SET_BALANCE, Check.ASSET_CONSERVATION);
            assertEquals(Set.of("posting set mint:concurrent, asset 0 (BTC)"), subjects(after, Check.POSTING_SET_BALANCE));
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void commandExitsZeroWhenCleanAndOneOnAnomalies(String kind) throws Exception {
        TestDb testDb = TestDatabases.create(kind);
        try {
            Database db = testDb.open();
            try {
                ReconcileFixture f = ReconcileFixture.seed(db);
                EngineConfig config = EngineConfig.from(Map.of("DB_URL", testDb.url(), "DB_USER", testDb.user()));

                Output clean = new Output();
                assertEquals(0, clean.run(config, "--json"), clean.err());
                JsonNode json = JSON.readTree(clean.out());
                assertTrue(json.get("clean").asBoolean());
                assertEquals(5, json.get("checked").get("orders").asLong());
                assertEquals("", clean.err());

                f.sql("UPDATE balances SET available = available + 1 WHERE account_id = ? AND asset_id = ?",
                        f.carol, f.usdt.id());
                Output dirty = new Output();
                assertEquals(1, dirty.run(config), dirty.err());
                List<String> lines = dirty.out().lines().toList();
                assertTrue(lines.get(0).startsWith("reconciliation: 2 ANOMALIES ("), dirty.out());
                assertEquals(3, lines.size(), dirty.out());
                assertTrue(lines.get(1).contains("asset_conservation  asset 1 (USDT), balances: expected 0, actual 1"),
                        dirty.out());

                Output usage = new Output();
                assertEquals(2, usage.run(config, "--yaml"));
                assertTrue(usage.err().startsWith("reconcile: unknown argument --yaml"), usage.err());

                try (Connection c = db.connection();
                     PreparedStatement ps = c.prepareStatement("SELECT clean FROM reconciliation_reports ORDER BY report_id");
                     ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertTrue(rs.getBoolean(1));
                    assertTrue(rs.next());
                    assertFalse(rs.getBoolean(1));
                    assertFalse(rs.next());
                }
            } finally {
                db.close();
            }
        } finally {
            testDb.close();
        }
    }

    /** Against a database that was never migrated the command neither migrates nor crashes: exit 2, one line. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void commandRefusesADatabaseWithoutTheSchema(String kind) throws Exception {
        TestDb testDb = TestDatabases.create(kind); // created but never opened, so never migrated
        try {
            EngineConfig config = EngineConfig.from(Map.of("DB_URL", testDb.url(), "DB_USER", testDb.user()));
            Output out = new Output();
            assertEquals(2, out.run(config));
            assertEquals("", out.out());
            List<String> lines = out.err().lines().toList();
            assertEquals(1, lines.size(), out.err());
            assertTrue(lines.get(0).startsWith("reconcile: "), out.err());
            assertFalse(out.err().contains("\tat "), out.err());
            if ("postgres".equals(kind)) {
                assertTrue(lines.get(0).contains("cannot read table assets"), out.err());
            }
        } finally {
            testDb.close();
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
