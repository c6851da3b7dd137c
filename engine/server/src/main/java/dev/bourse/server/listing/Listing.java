package dev.bourse.server.listing;

import dev.bourse.asset.Asset;
import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;
import dev.bourse.server.store.Database;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assets and instruments as stored, turned into the core's model. An instrument definition goes
 * through the core's builder before it is stored, so the database never holds one the core rejects.
 */
public final class Listing {
    private final Database db;

    public Listing(Database db) {
        this.db = db;
    }

    /** Lists an asset (idempotent on code) and gives every account a zero balance row for it. */
    public Asset addAsset(String code, int scale) throws SQLException {
        Map<String, Asset> existing = assets();
        Asset have = existing.get(code);
        if (have != null) {
            if (have.scale() != scale) {
                throw new IllegalArgumentException("asset " + code + " is listed with scale " + have.scale());
            }
            return have;
        }
        int id = existing.values().stream().mapToInt(Asset::id).max().orElse(-1) + 1;
        Asset asset = new Asset(id, code, scale);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO assets (asset_id, code, scale) VALUES (?, ?, ?)")) {
                ps.setInt(1, id);
                ps.setString(2, code);
                ps.setInt(3, scale);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO balances (account_id, asset_id, available, held, overdraft) "
                    + "SELECT account_id, ?, 0, 0, kind = 'EXTERNAL' FROM accounts")) {
                ps.setInt(1, id);
                ps.executeUpdate();
            }
            c.commit();
        }
        return asset;
    }

    /** Listed assets by code, in id order. */
    public Map<String, Asset> assets() throws SQLException {
        Map<String, Asset> out = new LinkedHashMap<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT asset_id, code, scale FROM assets ORDER BY asset_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(2), new Asset(rs.getInt(1), rs.getString(2), rs.getInt(3)));
            }
        }
        return out;
    }

    /** Stores an instrument (validated by the core's builder) owned by {@code shardId}, with its market row. */
    public void addInstrument(InstrumentSpec spec, int shardId) throws SQLException {
        Map<String, Asset> assets = assets();
        Instrument ins = spec.toInstrument(assets); // throws on an inexact definition
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO instruments (inst_id, base_asset, quote_asset, tick_sz, "
                    + "lot_sz, min_sz, max_sz, band_bps, ref_px, breaker_bps, breaker_window_ms, maker_fee_rate, "
                    + "taker_fee_rate, shard_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, spec.instId());
                ps.setInt(2, ins.base().id());
                ps.setInt(3, ins.quote().id());
                ps.setBigDecimal(4, new BigDecimal(spec.tickSz()));
                ps.setBigDecimal(5, new BigDecimal(spec.lotSz()));
                ps.setBigDecimal(6, new BigDecimal(spec.minSz()));
                ps.setBigDecimal(7, new BigDecimal(spec.maxSz()));
                ps.setInt(8, spec.bandBps());
                ps.setBigDecimal(9, new BigDecimal(spec.refPx()));
                ps.setInt(10, spec.breakerBps());
                ps.setLong(11, spec.breakerWindowMillis());
                ps.setBigDecimal(12, new BigDecimal(spec.makerFeeRate()));
                ps.setBigDecimal(13, new BigDecimal(spec.takerFeeRate()));
                ps.setInt(14, shardId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO markets (inst_id, state) VALUES (?, ?)")) {
                ps.setString(1, spec.instId());
                ps.setString(2, SymbolState.TRADING.name());
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    /** The instruments owned by a shard, in listing order. */
    public List<InstrumentSpec> instruments(int shardId) throws SQLException {
        try (Connection c = db.connection()) {
            return query(c, "WHERE shard_id = ?", shardId, null);
        }
    }

    /** Every instrument. */
    public List<InstrumentSpec> instruments() throws SQLException {
        try (Connection c = db.connection()) {
            return query(c, "", null, null);
        }
    }

    /** The instruments owned by a shard, read on the caller's connection (inside its transaction). */
    public List<InstrumentSpec> instruments(Connection c, int shardId) throws SQLException {
        return query(c, "WHERE shard_id = ?", shardId, null);
    }

    /** {@code instId} if {@code shardId} owns it, read on the caller's connection (inside its transaction). */
    public java.util.Optional<InstrumentSpec> instrument(Connection c, String instId, int shardId) throws SQLException {
        return query(c, "WHERE i.inst_id = ? AND i.shard_id = ?", shardId, instId).stream().findFirst();
    }

    /**
     * Every instrument of every shard in the core's model, by instId: what shard-independent readers such
     * as the market-data projection and the WebSocket gateway need (scales, assets).
     */
    public Map<String, Instrument> allInstruments() throws SQLException {
        Map<String, Asset> assets = assets();
        Map<String, Instrument> out = new LinkedHashMap<>();
        for (InstrumentSpec spec : instruments()) {
            out.put(spec.instId(), spec.toInstrument(assets));
        }
        return out;
    }

    private static List<InstrumentSpec> query(Connection c, String where, Integer shardId, String instId)
            throws SQLException {
        List<InstrumentSpec> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT i.inst_id, b.code, q.code, i.tick_sz, i.lot_sz, i.min_sz, i.max_sz, "
                     + "i.band_bps, i.ref_px, i.breaker_bps, i.breaker_window_ms, i.maker_fee_rate, i.taker_fee_rate, i.shard_id, "
                     + "i.price_scale FROM instruments i JOIN assets b ON b.asset_id = i.base_asset JOIN assets q ON q.asset_id = i.quote_asset "
                     + where + " ORDER BY i.created_at, i.inst_id")) {
            int p = 1;
            if (instId != null) {
                ps.setString(p++, instId);
            }
            if (shardId != null) {
                ps.setInt(p, shardId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int priceScale = rs.getInt(15);
                    if (rs.wasNull()) {
                        priceScale = -1; // listed before the price scale was recorded: the tick's decimals
                    }
                    out.add(new InstrumentSpec(rs.getString(1), rs.getString(2), rs.getString(3), plain(rs, 4), plain(rs, 5),
                            plain(rs, 6), plain(rs, 7), rs.getInt(8), plain(rs, 9), rs.getInt(10), rs.getLong(11),
                            plain(rs, 12), plain(rs, 13), priceScale));
                }
            }
        }
        return out;
    }

    /** A stored decimal in its canonical text: no exponent, no trailing zeros ("30000", "0.1"). */
    public static String plain(ResultSet rs, int col) throws SQLException {
        BigDecimal v = rs.getBigDecimal(col).stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0).toPlainString() : v.toPlainString();
    }
}
