package dev.bourse.server.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/** Appends ledger entries inside the caller's transaction, as one JDBC batch. */
public final class LedgerWriter {
    static final String INSERT = "INSERT INTO ledger_entries (posting_key, leg, kind, account_id, asset_id, bucket, amount, "
            + "ord_id, trade_id, ref_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private LedgerWriter() {
    }

    public static void insert(Connection c, List<LedgerEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (LedgerEntry e : entries) {
                ps.setString(1, e.postingKey());
                ps.setInt(2, e.leg());
                ps.setString(3, e.kind());
                ps.setLong(4, e.accountId());
                ps.setInt(5, e.assetId());
                ps.setString(6, e.bucket());
                ps.setLong(7, e.amount());
                setNullableLong(ps, 8, e.ordId());
                setNullableLong(ps, 9, e.tradeId());
                if (e.refKey() == null) {
                    ps.setNull(10, Types.VARCHAR);
                } else {
                    ps.setString(10, e.refKey());
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void setNullableLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }
}
