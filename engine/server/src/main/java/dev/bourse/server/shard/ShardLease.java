package dev.bourse.server.shard;

import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Ownership of a shard through its {@code shard_leases} row. Taking the shard increments the epoch;
 * every batch then commits only while the row still carries that epoch (see {@link BatchWriter}), so
 * a paused or partitioned former owner cannot commit after a new owner took over. An owner takes a
 * lease that has expired, or one recorded under its own name: a restarted process (the same
 * StatefulSet pod) takes its shard back at once instead of waiting for the expiry.
 */
public final class ShardLease {
    /** Order and trade ids of shard N start above N * 10^12, so ids are unique across shards. */
    public static final long ID_RANGE_PER_SHARD = 1_000_000_000_000L;

    private final Database db;
    private final int shardId;
    private final String owner;
    private final long ttlMillis;
    private volatile long epoch = -1;

    public ShardLease(Database db, int shardId, String owner, long ttlMillis) {
        this.db = db;
        this.shardId = shardId;
        this.owner = owner;
        this.ttlMillis = ttlMillis;
    }

    public long epoch() {
        return epoch;
    }

    public String owner() {
        return owner;
    }

    /** Tries once to take the shard; returns true and sets the epoch if it did. */
    public boolean tryAcquire() throws SQLException {
        ensureRow();
        String now = db.dialect().nowMillis();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE shard_leases SET owner = ?, epoch = epoch + 1, expires_at_ms = "
                    + now + " + ?, updated_at = CURRENT_TIMESTAMP WHERE shard_id = ? AND (owner IS NULL OR owner = ? OR expires_at_ms < "
                    + now + ")")) {
                ps.setString(1, owner);
                ps.setLong(2, ttlMillis);
                ps.setInt(3, shardId);
                ps.setString(4, owner);
                if (ps.executeUpdate() != 1) {
                    c.rollback();
                    return false;
                }
            }
            long e;
            try (PreparedStatement ps = c.prepareStatement("SELECT epoch FROM shard_leases WHERE shard_id = ?")) {
                ps.setInt(1, shardId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    e = rs.getLong(1);
                }
            }
            c.commit();
            epoch = e;
            return true;
        }
    }

    /** Extends the lease; throws if another owner has taken the shard. */
    public void renew() throws SQLException, ShardFencedException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE shard_leases SET expires_at_ms = " + db.dialect().nowMillis()
                     + " + ? WHERE shard_id = ? AND epoch = ? AND owner = ?")) {
            ps.setLong(1, ttlMillis);
            ps.setInt(2, shardId);
            ps.setLong(3, epoch);
            ps.setString(4, owner);
            if (ps.executeUpdate() != 1) {
                throw new ShardFencedException("shard " + shardId + " lease at epoch " + epoch + " was taken over");
            }
        }
    }

    /** Lets the lease expire now (graceful shutdown), so the next owner need not wait. */
    public void release() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE shard_leases SET expires_at_ms = 0 WHERE shard_id = ? AND epoch = ?")) {
            ps.setInt(1, shardId);
            ps.setLong(2, epoch);
            ps.executeUpdate();
        }
    }

    private void ensureRow() throws SQLException {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM shard_leases WHERE shard_id = ?")) {
                ps.setInt(1, shardId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO shard_leases (shard_id, epoch, last_seq, last_order_id, "
                    + "last_trade_id) VALUES (?, 0, 0, ?, ?)")) {
                ps.setInt(1, shardId);
                ps.setLong(2, shardId * ID_RANGE_PER_SHARD);
                ps.setLong(3, shardId * ID_RANGE_PER_SHARD);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!Ledger.isUniqueViolation(e)) { // another process created it first: fine
                    throw e;
                }
            }
        }
    }
}
