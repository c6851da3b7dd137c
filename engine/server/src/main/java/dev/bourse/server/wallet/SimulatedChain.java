package dev.bourse.server.wallet;

import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.store.Database;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A deterministic, in-process chain for tests and the dev profile. Blocks advance only through
 * {@link #mine} (called by tests, the admin API, or the dev profile's timer); a transfer (injected deposit
 * or payout) goes into the next block, so it has 0 confirmations until one block is mined. Addresses are
 * a hash of (user, asset); tx ids are {@code sim-in-N} / {@code sim-out-<wdId>}. Payouts can be made to
 * fail: the next one ({@link #failNextPayout}) or a given one not yet mined ({@link #failPayout}).
 *
 * <p>Its memory (height, transfers, the fail-next counter) lives in {@code sim_chain_*} tables, so a
 * restarted dev engine finds the same chain its wallet tables refer to. Several pods on one database
 * share one simulated chain.
 */
public final class SimulatedChain implements ChainAdapter {
    public static final String NAME = "sim";
    private final Database db;

    public SimulatedChain(Database db) throws SQLException {
        this.db = db;
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO sim_chain_blocks (chain_name, height, fail_next) "
                     + "SELECT ?, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM sim_chain_blocks WHERE chain_name = ?)")) {
            ps.setString(1, NAME);
            ps.setString(2, NAME);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!Ledger.isUniqueViolation(e)) { // another pod created the row first
                throw e;
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String chain(String asset) {
        return asset + "-Sim";
    }

    @Override
    public String newDepositAddress(long userId, String asset) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(("bourse-sim:" + userId + ":" + asset).getBytes(StandardCharsets.UTF_8));
            return "sim1" + HexFormat.of().formatHex(h, 0, 19);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long tipHeight() throws SQLException {
        try (Connection c = db.connection()) {
            return tip(c);
        }
    }

    private static long tip(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT height FROM sim_chain_blocks WHERE chain_name = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("simulated chain has no block row");
                }
                return rs.getLong(1);
            }
        }
    }

    /** Mines {@code blocks} blocks; returns the new height. */
    public long mine(int blocks) throws SQLException {
        if (blocks < 1 || blocks > 10_000) {
            throw new IllegalArgumentException("blocks must be 1..10000");
        }
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE sim_chain_blocks SET height = height + ? WHERE chain_name = ?")) {
                ps.setInt(1, blocks);
                ps.setString(2, NAME);
                ps.executeUpdate();
            }
            long h = tip(c);
            c.commit();
            return h;
        }
    }

    /** Puts a deposit of {@code amount} to {@code address} into the next block; returns its tx id. */
    public String injectDeposit(String asset, String address, long amount) throws SQLException {
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            long n;
            try (PreparedStatement ps = c.prepareStatement("SELECT nextval('wallet_ids')");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                n = rs.getLong(1);
            }
            String txId = "sim-in-" + n;
            insert(c, txId, "IN", asset, address, amount, tip(c) + 1, null, false);
            c.commit();
            return txId;
        }
    }

    private static void insert(Connection c, String txId, String kind, String asset, String address, long amount,
                               long height, Long wdId, boolean failed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sim_chain_transfers (tx_id, kind, asset, address, "
                + "amount, block_height, wd_id, failed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, txId);
            ps.setString(2, kind);
            ps.setString(3, asset);
            ps.setString(4, address);
            ps.setLong(5, amount);
            ps.setLong(6, height);
            if (wdId == null) {
                ps.setNull(7, java.sql.Types.BIGINT);
            } else {
                ps.setLong(7, wdId);
            }
            ps.setBoolean(8, failed);
            ps.executeUpdate();
        }
    }

    @Override
    public List<IncomingTransfer> incoming(long fromHeight, long toHeight) throws SQLException {
        List<IncomingTransfer> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT tx_id, asset, address, amount, block_height FROM sim_chain_transfers "
                     + "WHERE kind = 'IN' AND block_height BETWEEN ? AND ? ORDER BY block_height, tx_id")) {
            ps.setLong(1, fromHeight);
            ps.setLong(2, toHeight);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new IncomingTransfer(rs.getString(1), 0, rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5)));
                }
            }
        }
        return out;
    }

    @Override
    public String broadcast(long wdId, String asset, String address, long amount) throws SQLException {
        String txId = "sim-out-" + wdId;
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                PayoutStatus have = status(c, wdId);
                if (have != null) {
                    c.rollback();
                    return have.txId();
                }
                boolean fail;
                try (PreparedStatement ps = c.prepareStatement("UPDATE sim_chain_blocks SET fail_next = fail_next - 1 "
                        + "WHERE chain_name = ? AND fail_next > 0")) {
                    ps.setString(1, NAME);
                    fail = ps.executeUpdate() == 1;
                }
                insert(c, txId, "OUT", asset, address, amount, tip(c) + 1, wdId, fail);
                c.commit();
                return txId;
            } catch (SQLException e) {
                c.rollback();
                if (Ledger.isUniqueViolation(e)) { // a concurrent broadcast of the same withdrawal won
                    return txId;
                }
                throw e;
            }
        }
    }

    @Override
    public PayoutStatus payoutStatus(long wdId) throws SQLException {
        try (Connection c = db.connection()) {
            return status(c, wdId);
        }
    }

    private static PayoutStatus status(Connection c, long wdId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT tx_id, failed, block_height FROM sim_chain_transfers "
                + "WHERE wd_id = ?")) {
            ps.setLong(1, wdId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long confirmations = Math.max(0, tip(c) - rs.getLong(3) + 1);
                return new PayoutStatus(rs.getString(1), rs.getBoolean(2), rs.getBoolean(2) ? 0 : confirmations);
            }
        }
    }

    /** The next payout broadcast will fail. */
    public void failNextPayout() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE sim_chain_blocks SET fail_next = fail_next + 1 WHERE chain_name = ?")) {
            ps.setString(1, NAME);
            ps.executeUpdate();
        }
    }

    /** Fails the payout of {@code wdId} if it was broadcast and is not mined yet; returns whether it did. */
    public boolean failPayout(long wdId) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE sim_chain_transfers SET failed = TRUE "
                    + "WHERE wd_id = ? AND NOT failed AND block_height > ?")) {
                ps.setLong(1, wdId);
                ps.setLong(2, tip(c));
                n = ps.executeUpdate();
            }
            c.commit();
            return n == 1;
        }
    }

    @Override
    public long hotWalletBalance(String asset) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(CASE WHEN kind = 'IN' THEN amount ELSE -amount END), 0) "
                     + "FROM sim_chain_transfers WHERE asset = ? AND ((kind = 'IN' AND block_height <= ?) "
                     + "OR (kind = 'OUT' AND NOT failed))")) {
            ps.setString(1, asset);
            ps.setLong(2, tip(c));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
