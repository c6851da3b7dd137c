package dev.bourse.server.ledger;

import dev.bourse.server.listing.Listing;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import dev.bourse.server.support.TestDatabases.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The balance writer on both databases: on PostgreSQL the bulk path (rows locked in lock order, then one
 * UPDATE … FROM unnest with RETURNING), on H2 the JDBC batch. Both must apply every change that keeps a
 * row non-negative and name exactly the rows that refused.
 */
class BalanceWriterIT {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void appliesEveryRowAndNamesTheOnesThatRefuse(String kind) throws Exception {
        try (TestDb testDb = TestDatabases.create(kind); Database db = testDb.open()) {
            Listing listing = new Listing(db);
            int usdt = listing.addAsset("USDT", 6).id();
            int btc = listing.addAsset("BTC", 8).id();
            Ledger ledger = new Ledger(db);
            ledger.ensureSystemAccounts(1);
            long[] users = new long[300];
            for (int i = 0; i < users.length; i++) {
                users[i] = ledger.createUser("u" + i);
                assertTrue(ledger.deposit("dep-" + i, users[i], usdt, 1_000));
            }

            // all within funds: 300 rows move 400 from available to held in one statement
            BalanceDeltas hold = new BalanceDeltas();
            for (long u : users) {
                hold.add(u, usdt, false, -400);
                hold.add(u, usdt, true, 400);
            }
            assertEquals(List.of(), apply(db, hold, true));
            for (long u : users) {
                assertArrayEquals(new long[] {600, 400}, ledger.balance(u, usdt));
            }

            // one debit beyond available, one below held, one row that does not exist: exactly those refuse
            BalanceDeltas mixed = new BalanceDeltas();
            mixed.add(users[0], usdt, false, -600);         // exactly to zero: fine
            mixed.add(users[7], usdt, false, -601);         // 1 short
            mixed.add(users[8], usdt, true, -401);          // held below zero
            mixed.add(users[9], btc, false, 5);             // a credit: fine
            mixed.add(999_999_999L, usdt, false, 5);        // no such account
            mixed.add(users[10], usdt, false, 0);           // nothing to do: not sent
            List<BalanceDeltas.Key> refused = apply(db, mixed, false);
            assertEquals(List.of(new BalanceDeltas.Key(users[7], usdt), new BalanceDeltas.Key(users[8], usdt),
                    new BalanceDeltas.Key(999_999_999L, usdt)), refused);
            // the caller rolled back: nothing changed, not even the row that fitted
            assertArrayEquals(new long[] {600, 400}, ledger.balance(users[0], usdt));
            assertArrayEquals(new long[] {600, 400}, ledger.balance(users[7], usdt));
            assertArrayEquals(new long[] {0, 0}, ledger.balance(users[9], btc));
        }
    }

    private static List<BalanceDeltas.Key> apply(Database db, BalanceDeltas deltas, boolean commit) throws Exception {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            List<BalanceDeltas.Key> refused = BalanceWriter.apply(c, db.dialect(), deltas);
            if (commit && refused.isEmpty()) {
                c.commit();
            } else {
                c.rollback();
            }
            return refused;
        }
    }
}
