package dev.bourse.server.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies {@link BalanceDeltas} to balance rows inside the caller's transaction: one conditional
 * update per row, in lock order, sent as one JDBC batch. An update that would take a balance below
 * zero matches no row; the caller must then roll back.
 */
public final class BalanceWriter {
    private static final String UPDATE = "UPDATE balances SET available = available + ?, held = held + ? "
            + "WHERE account_id = ? AND asset_id = ? AND (available + ? >= 0 OR overdraft) AND held + ? >= 0";

    private BalanceWriter() {
    }

    /** Returns the rows that refused the change (insufficient funds or no such row); empty if all applied. */
    public static List<BalanceDeltas.Key> apply(Connection c, BalanceDeltas deltas) throws SQLException {
        if (deltas.isEmpty()) {
            return List.of();
        }
        List<BalanceDeltas.Key> keys = new ArrayList<>(deltas.size());
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (Map.Entry<BalanceDeltas.Key, long[]> e : deltas.inLockOrder()) {
                long[] d = e.getValue();
                if (d[0] == 0 && d[1] == 0) {
                    continue;
                }
                ps.setLong(1, d[0]);
                ps.setLong(2, d[1]);
                ps.setLong(3, e.getKey().accountId());
                ps.setInt(4, e.getKey().assetId());
                ps.setLong(5, d[0]);
                ps.setLong(6, d[1]);
                ps.addBatch();
                keys.add(e.getKey());
            }
            int[] counts = ps.executeBatch();
            List<BalanceDeltas.Key> refused = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    refused.add(keys.get(i));
                }
            }
            return refused;
        }
    }
}
