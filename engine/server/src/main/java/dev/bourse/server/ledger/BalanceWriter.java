package dev.bourse.server.ledger;

import dev.bourse.server.store.Dialect;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies {@link BalanceDeltas} to balance rows inside the caller's transaction: one conditional
 * update per row, in lock order, sent as one JDBC batch. An update that would take a balance below
 * zero matches no row; the caller must then roll back.
 *
 * <p>On PostgreSQL the same change is two statements however many rows it touches: the rows are
 * locked first, sorted in lock order ({@code ORDER BY … FOR UPDATE} locks as it returns rows), then
 * updated by one {@code UPDATE … FROM unnest(…)} whose {@code RETURNING} names the rows that took it.
 * A batch of a thousand balance rows was a thousand statements on the server before.
 */
public final class BalanceWriter {
    private static final String UPDATE = "UPDATE balances SET available = available + ?, held = held + ? "
            + "WHERE account_id = ? AND asset_id = ? AND (available + ? >= 0 OR overdraft) AND held + ? >= 0";

    private static final String LOCK_PG = "SELECT b.account_id FROM balances b "
            + "JOIN unnest(?::bigint[], ?::int[]) AS k(account_id, asset_id) "
            + "ON b.account_id = k.account_id AND b.asset_id = k.asset_id "
            + "ORDER BY b.account_id, b.asset_id FOR UPDATE OF b";
    private static final String UPDATE_PG = "UPDATE balances b SET available = b.available + u.d_available, "
            + "held = b.held + u.d_held "
            + "FROM unnest(?::bigint[], ?::int[], ?::bigint[], ?::bigint[]) AS u(account_id, asset_id, d_available, d_held) "
            + "WHERE b.account_id = u.account_id AND b.asset_id = u.asset_id "
            + "AND (b.available + u.d_available >= 0 OR b.overdraft) AND b.held + u.d_held >= 0 "
            + "RETURNING b.account_id, b.asset_id";

    private BalanceWriter() {
    }

    /** As {@link #apply(Connection, BalanceDeltas)}, in two statements on PostgreSQL. */
    public static List<BalanceDeltas.Key> apply(Connection c, Dialect dialect, BalanceDeltas deltas) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return apply(c, deltas);
        }
        List<Map.Entry<BalanceDeltas.Key, long[]>> changes = changedInLockOrder(deltas);
        if (changes.isEmpty()) {
            return List.of();
        }
        int n = changes.size();
        Long[] accounts = new Long[n];
        Integer[] assets = new Integer[n];
        Long[] available = new Long[n];
        Long[] held = new Long[n];
        for (int i = 0; i < n; i++) {
            accounts[i] = changes.get(i).getKey().accountId();
            assets[i] = changes.get(i).getKey().assetId();
            available[i] = changes.get(i).getValue()[0];
            held[i] = changes.get(i).getValue()[1];
        }
        Array accountArray = c.createArrayOf("bigint", accounts);
        Array assetArray = c.createArrayOf("integer", assets);
        try (PreparedStatement lock = c.prepareStatement(LOCK_PG)) {
            lock.setArray(1, accountArray);
            lock.setArray(2, assetArray);
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    // the rows are locked as they are read
                }
            }
        }
        Set<BalanceDeltas.Key> applied = new HashSet<>(n * 2);
        try (PreparedStatement ps = c.prepareStatement(UPDATE_PG)) {
            ps.setArray(1, accountArray);
            ps.setArray(2, assetArray);
            ps.setArray(3, c.createArrayOf("bigint", available));
            ps.setArray(4, c.createArrayOf("bigint", held));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    applied.add(new BalanceDeltas.Key(rs.getLong(1), rs.getInt(2)));
                }
            }
        }
        if (applied.size() == n) {
            return List.of();
        }
        List<BalanceDeltas.Key> refused = new ArrayList<>();
        for (Map.Entry<BalanceDeltas.Key, long[]> e : changes) {
            if (!applied.contains(e.getKey())) {
                refused.add(e.getKey());
            }
        }
        return refused;
    }

    /** Returns the rows that refused the change (insufficient funds or no such row); empty if all applied. */
    public static List<BalanceDeltas.Key> apply(Connection c, BalanceDeltas deltas) throws SQLException {
        List<Map.Entry<BalanceDeltas.Key, long[]>> changes = changedInLockOrder(deltas);
        if (changes.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (Map.Entry<BalanceDeltas.Key, long[]> e : changes) {
                long[] d = e.getValue();
                ps.setLong(1, d[0]);
                ps.setLong(2, d[1]);
                ps.setLong(3, e.getKey().accountId());
                ps.setInt(4, e.getKey().assetId());
                ps.setLong(5, d[0]);
                ps.setLong(6, d[1]);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            List<BalanceDeltas.Key> refused = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    refused.add(changes.get(i).getKey());
                }
            }
            return refused;
        }
    }

    /** The rows whose change is not zero, in lock order (a net-zero row need not be locked or written). */
    private static List<Map.Entry<BalanceDeltas.Key, long[]>> changedInLockOrder(BalanceDeltas deltas) {
        List<Map.Entry<BalanceDeltas.Key, long[]>> changes = new ArrayList<>(deltas.size());
        for (Map.Entry<BalanceDeltas.Key, long[]> e : deltas.inLockOrder()) {
            if (e.getValue()[0] != 0 || e.getValue()[1] != 0) {
                changes.add(e);
            }
        }
        return changes;
    }
}
