package dev.bourse.server.ledger;

import dev.bourse.server.store.Database;
import dev.bourse.server.store.SqlStates;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Accounts and the postings that do not come from matching: funding (deposits) for now. Every change
 * is a balanced posting set written to the journal and applied to the balance rows in the same
 * transaction, through the same lock order as the shards' batches.
 */
public final class Ledger {
    private static final Logger LOG = Logger.getLogger(Ledger.class.getName());
    private final Database db;

    public Ledger(Database db) {
        this.db = db;
    }

    /**
     * Creates the system accounts (external, withdrawals in transit, wallet fees, the fee account of each
     * shard).
     */
    public void ensureSystemAccounts(int shardCount) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            ensureAccount(c, SystemAccounts.EXTERNAL, AccountKind.EXTERNAL, "external");
            ensureAccount(c, SystemAccounts.WITHDRAWALS_IN_TRANSIT, AccountKind.WITHDRAWALS_IN_TRANSIT,
                    "withdrawals-in-transit");
            ensureAccount(c, SystemAccounts.WALLET_FEES, AccountKind.WALLET_FEES, "wallet-fees");
            for (int s = 0; s < shardCount; s++) {
                ensureAccount(c, SystemAccounts.fees(s), AccountKind.FEES, "fees-shard-" + s);
            }
            c.commit();
        }
    }

    /** Ensures the wallet's fee account exists (for deployments whose system accounts predate it). */
    public void ensureWalletFeeAccount() throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            ensureAccount(c, SystemAccounts.WALLET_FEES, AccountKind.WALLET_FEES, "wallet-fees");
            c.commit();
        }
    }

    /** Ensures the fee account of one shard exists. */
    public void ensureFeeAccount(int shardId) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            ensureAccount(c, SystemAccounts.fees(shardId), AccountKind.FEES, "fees-shard-" + shardId);
            c.commit();
        }
    }

    /** Creates a user account with a zero balance row for every listed asset; returns its id. */
    public long createUser(String name) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            long id = createUser(c, name);
            c.commit();
            return id;
        }
    }

    /** As {@link #createUser(String)}, on {@code c} inside the caller's transaction (which it commits). */
    public long createUser(Connection c, String name) throws SQLException {
        long id;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + db.dialect().nextValue("user_account_ids"));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
        }
        insertAccount(c, id, AccountKind.USER, name);
        return id;
    }

    /** Id of the account called {@code name}, or -1. */
    public long accountId(String name) {
        return db.dbClient().execute().get("SELECT account_id FROM accounts WHERE name = ?", name)
                .map(r -> ((Number) r.column("account_id").get()).longValue()).orElse(-1L);
    }

    private static void ensureAccount(Connection c, long id, AccountKind kind, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM accounts WHERE account_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        insertAccount(c, id, kind, name);
    }

    private static void insertAccount(Connection c, long id, AccountKind kind, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (account_id, kind, name) VALUES (?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, kind.name());
            ps.setString(3, name);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO balances (account_id, asset_id, available, held, overdraft) "
                + "SELECT ?, asset_id, 0, 0, ? FROM assets")) {
            ps.setLong(1, id);
            ps.setBoolean(2, kind == AccountKind.EXTERNAL);
            ps.executeUpdate();
        }
    }

    /**
     * Credits {@code amount} (asset units) to a user from the external account. {@code key} makes it
     * idempotent: a deposit already posted under that key is not posted again (returns false).
     */
    public boolean deposit(String key, long accountId, int assetId, long amount) throws SQLException {
        if (amount <= 0) {
            throw new IllegalArgumentException("deposit amount must be positive");
        }
        String postingKey = "deposit:" + key;
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                if (exists(c, postingKey)) {
                    c.rollback();
                    return false;
                }
                List<LedgerEntry> entries = List.of(
                        new LedgerEntry(postingKey, 0, "DEPOSIT", SystemAccounts.EXTERNAL, assetId, "available", -amount,
                                null, null, null),
                        new LedgerEntry(postingKey, 1, "DEPOSIT", accountId, assetId, "available", amount,
                                null, null, null));
                LedgerWriter.insert(c, entries);
                BalanceDeltas deltas = new BalanceDeltas();
                entries.forEach(deltas::add);
                List<BalanceDeltas.Key> refused = BalanceWriter.apply(c, deltas);
                if (!refused.isEmpty()) {
                    throw new SQLException("deposit refused for " + refused + " (no balance row?)");
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (isUniqueViolation(e)) { // posted concurrently under the same key
                    LOG.fine(() -> "deposit " + key + " already posted");
                    return false;
                }
                throw e;
            }
        }
    }

    private static boolean exists(Connection c, String postingKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ledger_entries WHERE posting_key = ? AND leg = 0")) {
            ps.setString(1, postingKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public static boolean isUniqueViolation(Throwable e) {
        return SqlStates.any(e, Set.of(SqlStates.UNIQUE_VIOLATION));
    }

    /** Available and held of one balance row, or null. */
    public long[] balance(long accountId, int assetId) {
        return db.dbClient().execute()
                .get("SELECT available, held FROM balances WHERE account_id = ? AND asset_id = ?", accountId, assetId)
                .map(r -> new long[] {((Number) r.column("available").get()).longValue(),
                        ((Number) r.column("held").get()).longValue()})
                .orElse(null);
    }
}
