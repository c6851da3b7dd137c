package dev.bourse.server.ledger;

import dev.bourse.server.store.CopyRows;
import dev.bourse.server.store.Dialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Appends ledger entries inside the caller's transaction: one JDBC batch, or on PostgreSQL one
 * {@code COPY} (the batch writer's largest table: about three legs per command).
 */
public final class LedgerWriter {
    static final String INSERT = "INSERT INTO ledger_entries (posting_key, leg, kind, account_id, asset_id, bucket, amount, "
            + "ord_id, trade_id, ref_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String COPY_COLUMNS = "ledger_entries (posting_key, leg, kind, account_id, asset_id, bucket, "
            + "amount, ord_id, trade_id, ref_key)";

    private LedgerWriter() {
    }

    /** As {@link #insert(Connection, List)}, by {@code COPY} on PostgreSQL. */
    public static void insert(Connection c, Dialect dialect, List<LedgerEntry> entries) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            insert(c, entries);
            return;
        }
        CopyRows rows = new CopyRows(COPY_COLUMNS);
        for (LedgerEntry e : entries) {
            rows.add(e.postingKey()).add(e.leg()).add(e.kind()).add(e.accountId()).add(e.assetId()).add(e.bucket())
                    .add(e.amount()).add(e.ordId()).add(e.tradeId()).add(e.refKey()).endRow();
        }
        rows.copyTo(c);
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
