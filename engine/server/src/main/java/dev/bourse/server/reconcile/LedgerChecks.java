package dev.bourse.server.reconcile;

import dev.bourse.server.ledger.AccountKind;
import dev.bourse.server.ledger.LedgerRepair;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The ledger invariants: balanced posting sets, conservation per asset, balance rows equal to their
 * journal, no negative balances. Each is one set-based query whose rows are the violations, so a
 * clean ledger of any size returns nothing to the client.
 */
final class LedgerChecks {
    /*
     * A repaired set is checked together with its repairs (dev.bourse.server.ledger.LedgerRepair): a
     * SUPPLEMENT counts in the set its ref_key names, a REVERSAL in the set it reverses or, when it
     * reverses a repair, in the set that repair corrects. So a supplemented set must balance with its
     * supplements, a reversed set nets to zero with its reversal whether or not it balanced, and a reversal
     * of a balanced set is balanced on its own. Every other set is checked alone, as before. A repair
     * whose ref_key names no set keeps its own group, where it is unbalanced unless it nets to zero alone.
     * The join reads only the first leg of repair sets.
     */
    static final String UNBALANCED_POSTING_SETS = """
            SELECT set_key, asset_id, SUM(amount)
            FROM (
                SELECT CASE WHEN e.kind = '%1$s' THEN COALESCE(e.ref_key, e.posting_key)
                            WHEN e.kind = '%2$s' THEN COALESCE(r.ref_key, e.ref_key, e.posting_key)
                            ELSE e.posting_key END AS set_key,
                       e.asset_id, e.amount
                FROM ledger_entries e
                LEFT JOIN ledger_entries r
                       ON e.kind = '%2$s' AND r.posting_key = e.ref_key AND r.leg = 0
                      AND r.kind IN ('%1$s', '%2$s')
            ) t
            GROUP BY set_key, asset_id
            HAVING SUM(amount) <> 0""".formatted(LedgerRepair.SUPPLEMENT, LedgerRepair.REVERSAL);

    static final String LEDGER_TOTALS = """
            SELECT asset_id, SUM(amount)
            FROM ledger_entries
            GROUP BY asset_id
            HAVING SUM(amount) <> 0""";

    // Summed separately: available + held on a corrupted row could overflow BIGINT before the sum widens.
    static final String BALANCE_TOTALS = """
            SELECT asset_id, SUM(available) + SUM(held)
            FROM balances
            GROUP BY asset_id
            HAVING SUM(available) + SUM(held) <> 0""";

    /*
     * Balance rows and journal side by side per (account, asset). A UNION ALL aggregate rather than a
     * full outer join: one pass over each table, and H2 plans it as well as PostgreSQL does. has_row
     * finds journal entries without a balance row; other_bucket finds entries the two sums would miss.
     */
    static final String BALANCES_VERSUS_LEDGER = """
            SELECT account_id, asset_id, SUM(has_row), SUM(bal_available), SUM(bal_held),
                   SUM(led_available), SUM(led_held), SUM(other_bucket)
            FROM (
                SELECT account_id, asset_id, 1 AS has_row, available AS bal_available, held AS bal_held,
                       CAST(0 AS BIGINT) AS led_available, CAST(0 AS BIGINT) AS led_held, 0 AS other_bucket
                FROM balances
                UNION ALL
                SELECT account_id, asset_id, 0, CAST(0 AS BIGINT), CAST(0 AS BIGINT),
                       CASE WHEN bucket = 'available' THEN amount ELSE 0 END,
                       CASE WHEN bucket = 'held' THEN amount ELSE 0 END,
                       CASE WHEN bucket IN ('available', 'held') THEN 0 ELSE 1 END
                FROM ledger_entries
            ) t
            GROUP BY account_id, asset_id
            HAVING SUM(has_row) = 0 OR SUM(bal_available) <> SUM(led_available) OR SUM(bal_held) <> SUM(led_held)
                OR SUM(other_bucket) > 0""";

    /*
     * The overdraft flag is trusted only on the external account: a flag set on any other row would
     * otherwise hide a user who spent money they never had.
     */
    static final String NEGATIVE_BALANCES = """
            SELECT b.account_id, b.asset_id, b.available, b.held, b.overdraft, a.kind
            FROM balances b JOIN accounts a ON a.account_id = b.account_id
            WHERE b.held < 0
               OR (b.available < 0 AND NOT (b.overdraft AND a.kind = '%1$s'))
               OR (b.overdraft AND a.kind <> '%1$s')""".formatted(AccountKind.EXTERNAL.name());

    private LedgerChecks() {
    }

    static void run(Connection c, Catalog catalog, Anomalies found) throws SQLException {
        postingSetsBalance(c, catalog, found);
        assetsConserved(c, catalog, found);
        balancesMatchLedger(c, catalog, found);
        noNegativeBalances(c, catalog, found);
    }

    private static void postingSetsBalance(Connection c, Catalog catalog, Anomalies found) throws SQLException {
        Sql.forEachRow(c, UNBALANCED_POSTING_SETS, rs -> found.add(Check.POSTING_SET_BALANCE,
                "posting set " + rs.getString(1) + ", " + catalog.asset(rs.getInt(2)), 0, Sql.sum(rs, 3)));
    }

    private static void assetsConserved(Connection c, Catalog catalog, Anomalies found) throws SQLException {
        Sql.forEachRow(c, LEDGER_TOTALS, rs -> found.add(Check.ASSET_CONSERVATION,
                catalog.asset(rs.getInt(1)) + ", ledger", 0, Sql.sum(rs, 2)));
        Sql.forEachRow(c, BALANCE_TOTALS, rs -> found.add(Check.ASSET_CONSERVATION,
                catalog.asset(rs.getInt(1)) + ", balances", 0, Sql.sum(rs, 2)));
    }

    private static void balancesMatchLedger(Connection c, Catalog catalog, Anomalies found) throws SQLException {
        Sql.forEachRow(c, BALANCES_VERSUS_LEDGER, rs -> {
            long account = rs.getLong(1);
            int asset = rs.getInt(2);
            BigInteger ledgerAvailable = Sql.sum(rs, 6);
            BigInteger ledgerHeld = Sql.sum(rs, 7);
            if (rs.getLong(3) == 0) {
                found.add(Check.BALANCE_MATCHES_LEDGER, catalog.balance(account, asset),
                        "a balance row (ledger: available " + ledgerAvailable + ", held " + ledgerHeld + ")",
                        "no balance row");
                return;
            }
            BigInteger available = Sql.sum(rs, 4);
            BigInteger held = Sql.sum(rs, 5);
            if (!available.equals(ledgerAvailable)) {
                found.add(Check.BALANCE_MATCHES_LEDGER, catalog.balance(account, asset, "available"),
                        ledgerAvailable, available);
            }
            if (!held.equals(ledgerHeld)) {
                found.add(Check.BALANCE_MATCHES_LEDGER, catalog.balance(account, asset, "held"), ledgerHeld, held);
            }
            long otherBucket = rs.getLong(8);
            if (otherBucket > 0) {
                found.add(Check.BALANCE_MATCHES_LEDGER, catalog.balance(account, asset, "bucket"),
                        "entries in available or held only", otherBucket + " entries in another bucket");
            }
        });
    }

    private static void noNegativeBalances(Connection c, Catalog catalog, Anomalies found) throws SQLException {
        Sql.forEachRow(c, NEGATIVE_BALANCES, rs -> {
            long account = rs.getLong(1);
            int asset = rs.getInt(2);
            long available = rs.getLong(3);
            long held = rs.getLong(4);
            boolean overdraft = rs.getBoolean(5);
            boolean external = AccountKind.EXTERNAL.name().equals(rs.getString(6));
            if (held < 0) {
                found.add(Check.NON_NEGATIVE_BALANCE, catalog.balance(account, asset, "held"), ">= 0", held);
            }
            if (available < 0 && !(overdraft && external)) {
                found.add(Check.NON_NEGATIVE_BALANCE, catalog.balance(account, asset, "available"), ">= 0", available);
            }
            if (overdraft && !external) {
                found.add(Check.NON_NEGATIVE_BALANCE, catalog.balance(account, asset, "overdraft"),
                        "false (only the external account may overdraw)", true);
            }
        });
    }
}
