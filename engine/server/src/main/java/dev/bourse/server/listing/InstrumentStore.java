package dev.bourse.server.listing;

import dev.bourse.asset.Asset;
import dev.bourse.instrument.SymbolState;
import dev.bourse.server.store.Database;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stored instruments as the control plane administers them: definition, owning shard, the control
 * plane's generation and the market's trading state, plus the writes of a listing, a rule change and a
 * move. Writes run on the caller's connection, inside the owning shard's fenced transaction, and every
 * one of them bumps the instrument board ({@link #lockBoard} first, so changes are serialized).
 */
public final class InstrumentStore {
    private static final String LIVE = "state IN ('LIVE', 'PARTIALLY_FILLED')";

    /** One stored instrument. */
    public record Row(InstrumentSpec spec, int shard, long generation, SymbolState state, long instIdCode,
                      int baseScale, int quoteScale) {
        public String instId() {
            return spec.instId();
        }
    }

    private final Database db;

    public InstrumentStore(Database db) {
        this.db = db;
    }

    public List<Row> all() throws SQLException {
        try (Connection c = db.connection()) {
            return query(c, "", null);
        }
    }

    public Optional<Row> find(String instId) throws SQLException {
        try (Connection c = db.connection()) {
            return find(c, instId);
        }
    }

    /** The row on the caller's connection (after {@link #lockBoard} no other change can slip in). */
    public Optional<Row> find(Connection c, String instId) throws SQLException {
        return query(c, " WHERE i.inst_id = ?", instId).stream().findFirst();
    }

    /** Version of the instrument set; every pod polls it. */
    public long boardVersion() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT version FROM instrument_board WHERE board_id = 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Locks the board row: instrument changes of every pod are serialized behind it. */
    public void lockBoard(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM instrument_board WHERE board_id = 1 FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
        }
    }

    public void bumpBoard(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE instrument_board SET version = version + 1 WHERE board_id = 1")) {
            ps.executeUpdate();
        }
    }

    /** The asset with {@code code} as stored now, if any. */
    public Optional<Asset> asset(Connection c, String code) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT asset_id, code, scale FROM assets WHERE code = ?")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Asset(rs.getInt(1), rs.getString(2), rs.getInt(3))) : Optional.empty();
            }
        }
    }

    /** Lists an asset with a zero balance row for every account (as {@link Listing#addAsset} does). */
    public void insertAsset(Connection c, Asset a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO assets (asset_id, code, scale) VALUES (?, ?, ?)")) {
            ps.setInt(1, a.id());
            ps.setString(2, a.code());
            ps.setInt(3, a.scale());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO balances (account_id, asset_id, available, held, overdraft) "
                + "SELECT account_id, ?, 0, 0, kind = 'EXTERNAL' FROM accounts")) {
            ps.setInt(1, a.id());
            ps.executeUpdate();
        }
    }

    /** A new instrument owned by {@code shard}, with its market row in {@code state}. */
    public void insert(Connection c, InstrumentSpec s, Asset base, Asset quote, int shard, long generation, SymbolState state)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO instruments (inst_id, base_asset, quote_asset, tick_sz, "
                + "lot_sz, min_sz, max_sz, band_bps, ref_px, breaker_bps, breaker_window_ms, maker_fee_rate, taker_fee_rate, "
                + "shard_id, generation, price_scale) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.instId());
            ps.setInt(2, base.id());
            ps.setInt(3, quote.id());
            int i = rules(ps, s, 4);
            ps.setInt(i++, shard);
            ps.setLong(i++, generation);
            ps.setInt(i, s.effectivePriceScale());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO markets (inst_id, state) VALUES (?, ?)")) {
            ps.setString(1, s.instId());
            ps.setString(2, state.name());
            ps.executeUpdate();
        }
    }

    /** New rules for a listed instrument (assets and owner unchanged). */
    public void update(Connection c, InstrumentSpec s, long generation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE instruments SET tick_sz = ?, lot_sz = ?, min_sz = ?, max_sz = ?, "
                + "band_bps = ?, ref_px = ?, breaker_bps = ?, breaker_window_ms = ?, maker_fee_rate = ?, taker_fee_rate = ?, "
                + "generation = ?, price_scale = ? WHERE inst_id = ?")) {
            int i = rules(ps, s, 1);
            ps.setLong(i++, generation);
            ps.setInt(i++, s.effectivePriceScale());
            ps.setString(i, s.instId());
            ps.executeUpdate();
        }
    }

    public void setGeneration(Connection c, String instId, long generation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE instruments SET generation = ? WHERE inst_id = ?")) {
            ps.setLong(1, generation);
            ps.setString(2, instId);
            ps.executeUpdate();
        }
    }

    /** Live orders of {@code instId} stored for {@code shard}. */
    public int liveOrders(Connection c, String instId, int shard) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM orders WHERE shard_id = ? AND inst_id = ? AND " + LIVE)) {
            ps.setInt(1, shard);
            ps.setString(2, instId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Gives {@code instId} and its live orders to shard {@code to}. The orders' queue positions
     * ({@code queue_seq}, sequences of the old shard) are shifted, keeping their order, to at most the new
     * shard's last committed sequence: every order it sequences later is behind them, so its start-up
     * recovery (which sorts a shard's live orders by queue_seq) rebuilds the original time priority. On a
     * young shard that is 0 or below: queue_seq orders, it is no sequence that was ever executed.
     * Returns the number of orders moved.
     *
     * @param toLastSeq the new shard's last committed sequence, read in this transaction
     */
    public int move(Connection c, String instId, int from, int to, long toLastSeq, long generation) throws SQLException {
        long maxQueueSeq;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(queue_seq), 0) FROM orders WHERE shard_id = ? "
                + "AND inst_id = ? AND " + LIVE)) {
            ps.setInt(1, from);
            ps.setString(2, instId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                maxQueueSeq = rs.getLong(1);
            }
        }
        int moved;
        try (PreparedStatement ps = c.prepareStatement("UPDATE orders SET shard_id = ?, queue_seq = queue_seq - ? "
                + "WHERE shard_id = ? AND inst_id = ? AND " + LIVE)) {
            ps.setInt(1, to);
            ps.setLong(2, Math.max(0, maxQueueSeq - toLastSeq));
            ps.setInt(3, from);
            ps.setString(4, instId);
            moved = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE instruments SET shard_id = ?, generation = ? WHERE inst_id = ?")) {
            ps.setInt(1, to);
            ps.setLong(2, generation);
            ps.setString(3, instId);
            ps.executeUpdate();
        }
        return moved;
    }

    /** The last committed sequence of {@code shard}, or empty when no engine ever ran it (no lease row). */
    public Optional<Long> lastSeq(Connection c, int shard) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM shard_leases WHERE shard_id = ?")) {
            ps.setInt(1, shard);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static int rules(PreparedStatement ps, InstrumentSpec s, int i) throws SQLException {
        ps.setBigDecimal(i++, new BigDecimal(s.tickSz()));
        ps.setBigDecimal(i++, new BigDecimal(s.lotSz()));
        ps.setBigDecimal(i++, new BigDecimal(s.minSz()));
        ps.setBigDecimal(i++, new BigDecimal(s.maxSz()));
        ps.setInt(i++, s.bandBps());
        ps.setBigDecimal(i++, new BigDecimal(s.refPx()));
        ps.setInt(i++, s.breakerBps());
        ps.setLong(i++, s.breakerWindowMillis());
        ps.setBigDecimal(i++, new BigDecimal(s.makerFeeRate()));
        ps.setBigDecimal(i++, new BigDecimal(s.takerFeeRate()));
        return i;
    }

    private static List<Row> query(Connection c, String where, String instId) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.inst_id, b.code, q.code, i.tick_sz, i.lot_sz, i.min_sz, i.max_sz, "
                + "i.band_bps, i.ref_px, i.breaker_bps, i.breaker_window_ms, i.maker_fee_rate, i.taker_fee_rate, i.shard_id, "
                + "i.price_scale, i.generation, m.state, i.inst_id_code, b.scale, q.scale FROM instruments i "
                + "JOIN assets b ON b.asset_id = i.base_asset JOIN assets q ON q.asset_id = i.quote_asset "
                + "LEFT JOIN markets m ON m.inst_id = i.inst_id" + where + " ORDER BY i.created_at, i.inst_id")) {
            if (instId != null) {
                ps.setString(1, instId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int priceScale = rs.getInt(15);
                    if (rs.wasNull()) {
                        priceScale = -1; // listed before the price scale was recorded: the tick's decimals
                    }
                    InstrumentSpec spec = new InstrumentSpec(rs.getString(1), rs.getString(2), rs.getString(3),
                            Listing.plain(rs, 4), Listing.plain(rs, 5), Listing.plain(rs, 6), Listing.plain(rs, 7), rs.getInt(8),
                            Listing.plain(rs, 9), rs.getInt(10), rs.getLong(11), Listing.plain(rs, 12), Listing.plain(rs, 13),
                            priceScale);
                    String state = rs.getString(17);
                    out.add(new Row(spec, rs.getInt(14), rs.getLong(16),
                            state == null ? SymbolState.TRADING : SymbolState.valueOf(state), rs.getLong(18), rs.getInt(19),
                            rs.getInt(20)));
                }
            }
        }
        return out;
    }
}
