package dev.bourse.server.reconcile;

import dev.bourse.server.admin.AuditLog;
import dev.bourse.server.ledger.LedgerRepair;
import dev.bourse.server.ledger.SystemAccounts;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import dev.bourse.server.support.TestDatabases.TestDb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.bourse.server.reconcile.ReconcileFixture.available;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The posting-set check with ledger repairs, on both databases: a repaired set is checked together with
 * its repairs, and nothing else is relaxed (a repair that does not net is still an anomaly).
 */
class RepairReconciliationIT {
    private static final LedgerRepair.Caller OPS = new LedgerRepair.Caller("ops", "req-1");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void repairsReconcileAndForgedRepairsDoNot(String kind) throws Exception {
        TestDb testDb = TestDatabases.create(kind);
        try {
            Database db = testDb.open();
            try {
                run(ReconcileFixture.seed(db));
            } finally {
                db.close();
            }
        } finally {
            testDb.close();
        }
    }

    private static void run(ReconcileFixture f) throws Exception {
        LedgerRepair repair = new LedgerRepair(f.db, new AuditLog(new SimpleMeterRegistry()));
        assertClean(f);

        // an unbalanced set, reversed: the set and its reversal net to zero
        f.post("bug:a", "TRANSFER", null, null, available(f.alice, f.btc, 7));
        assertEquals(Set.of("posting set bug:a, asset 0 (BTC)"), unbalanced(f));
        repair.reverse("bug:a", "credited without a debit", null, false, OPS);
        assertClean(f);

        // an unbalanced set, supplemented with its missing leg
        f.post("bug:b", "TRANSFER", null, null, available(f.carol, f.usdt, 5));
        assertEquals(Set.of("posting set bug:b, asset 1 (USDT)"), unbalanced(f));
        repair.supplement("bug:b", "missing debit", "fix-b", List.of(new LedgerRepair.Leg(SystemAccounts.EXTERNAL,
                f.usdt.id(), "available", -5)), OPS);
        assertClean(f);

        // the supplement reversed: the set it completed is unbalanced again, and reported as such
        repair.reverse(LedgerRepair.supplementKey("fix-b"), "wrong account", null, true, OPS);
        assertEquals(Set.of("posting set bug:b, asset 1 (USDT)"), unbalanced(f));
        repair.supplement("bug:b", "missing debit, right account", "fix-b2",
                List.of(new LedgerRepair.Leg(SystemAccounts.EXTERNAL, f.usdt.id(), "available", -5)), OPS);
        assertClean(f);

        // a balanced set reversed (a double posting), then the reversal undone
        long bobBtc = f.balance(f.bob, f.btc)[0];
        f.ledger.deposit("dup", f.bob, f.btc.id(), 3);
        repair.reverse("deposit:dup", "double posting", null, false, OPS);
        assertEquals(bobBtc, f.balance(f.bob, f.btc)[0]);
        assertClean(f);
        repair.reverse(LedgerRepair.reversalKey("deposit:dup"), "it was not a double posting", null, true, OPS);
        assertEquals(bobBtc + 3, f.balance(f.bob, f.btc)[0]);
        assertClean(f);

        // forged repairs are not excused: a "reversal" that does not negate its set, a "supplement" that
        // does not complete one
        f.sql("INSERT INTO ledger_entries (posting_key, leg, kind, account_id, asset_id, bucket, amount, ref_key) "
                + "VALUES ('forged:1', 0, 'REVERSAL', ?, ?, 'available', -1, 'deposit:alice-btc')", f.alice, f.btc.id());
        f.sql("UPDATE balances SET available = available - 1 WHERE account_id = ? AND asset_id = ?", f.alice, f.btc.id());
        f.sql("INSERT INTO ledger_entries (posting_key, leg, kind, account_id, asset_id, bucket, amount, ref_key) "
                + "VALUES ('forged:2', 0, 'SUPPLEMENT', ?, ?, 'available', 1, 'fill:1')", f.carol, f.usdt.id());
        f.sql("UPDATE balances SET available = available + 1 WHERE account_id = ? AND asset_id = ?", f.carol, f.usdt.id());
        assertEquals(Set.of("posting set deposit:alice-btc, asset 0 (BTC)", "posting set fill:1, asset 1 (USDT)"),
                unbalanced(f));
    }

    private static Set<String> unbalanced(ReconcileFixture f) throws Exception {
        ReconciliationReport report = new Reconciler(f.db).run();
        Set<String> out = new TreeSet<>();
        for (Anomaly a : report.anomalies()) {
            if (a.check() == Check.POSTING_SET_BALANCE) {
                out.add(a.subject());
            } else {
                assertEquals(Check.ASSET_CONSERVATION, a.check(), report.toText());
            }
        }
        return out;
    }

    private static void assertClean(ReconcileFixture f) throws Exception {
        ReconciliationReport report = new Reconciler(f.db).run();
        assertTrue(report.clean(), report.toText());
    }
}
