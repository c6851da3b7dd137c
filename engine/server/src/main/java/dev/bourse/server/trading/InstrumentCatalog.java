package dev.bourse.server.trading;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.asset.Asset;
import dev.bourse.instrument.Instrument;
import dev.bourse.server.listing.InstrumentSpec;
import dev.bourse.server.store.Database;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every listed instrument of every shard as the trader API sees it: the core's {@link Instrument}
 * (scales, tick, lot), the owning shard and OKX's {@code instIdCode}. Read from the database; a lookup
 * that misses reloads at most once a second, because the control plane may list an instrument while
 * the pod runs. Rule changes and moves reach it through {@link #load()} (the pod that made them, and
 * every pod when it sees the instrument board move) and {@link #refresh(String)} (a shard answered that
 * it no longer holds the instrument).
 */
public final class InstrumentCatalog {
    private static final Logger LOG = Logger.getLogger(InstrumentCatalog.class.getName());
    private static final long RELOAD_INTERVAL_MILLIS = 1_000;
    /** {@link #refresh} reads the database at most this often, however many requests ask at once. */
    private static final long REFRESH_INTERVAL_MILLIS = 100;

    /** One listed instrument. */
    public record Listed(Instrument instrument, InstrumentSpec spec, int shardId, long instIdCode, long listedAt) {
        public String instId() {
            return instrument.instId();
        }
    }

    private record Snapshot(Map<String, Listed> byId, Map<Long, Listed> byCode, Map<String, Asset> assets) {
    }

    private final Database db;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Map.of());
    private volatile long loadedAt;

    public InstrumentCatalog(Database db) {
        this.db = db;
    }

    /** Loads the catalog now; throws if the database cannot be read. */
    public InstrumentCatalog load() throws SQLException {
        Map<String, Asset> assets = new LinkedHashMap<>();
        Map<String, Listed> byId = new LinkedHashMap<>();
        Map<Long, Listed> byCode = new LinkedHashMap<>();
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT asset_id, code, scale FROM assets ORDER BY asset_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assets.put(rs.getString(2), new Asset(rs.getInt(1), rs.getString(2), rs.getInt(3)));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT i.inst_id, b.code, q.code, i.tick_sz, i.lot_sz, i.min_sz, "
                    + "i.max_sz, i.band_bps, i.ref_px, i.breaker_bps, i.breaker_window_ms, i.maker_fee_rate, i.taker_fee_rate, "
                    + "i.shard_id, i.inst_id_code, i.created_at, i.price_scale FROM instruments i "
                    + "JOIN assets b ON b.asset_id = i.base_asset "
                    + "JOIN assets q ON q.asset_id = i.quote_asset ORDER BY i.created_at, i.inst_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int priceScale = rs.getInt(17);
                    if (rs.wasNull()) {
                        priceScale = -1; // listed before the price scale was recorded: the tick's decimals
                    }
                    InstrumentSpec spec = new InstrumentSpec(rs.getString(1), rs.getString(2), rs.getString(3), plain(rs, 4),
                            plain(rs, 5), plain(rs, 6), plain(rs, 7), rs.getInt(8), plain(rs, 9), rs.getInt(10), rs.getLong(11),
                            plain(rs, 12), plain(rs, 13), priceScale);
                    Listed l = new Listed(spec.toInstrument(assets), spec, rs.getInt(14), rs.getLong(15),
                            rs.getTimestamp(16).getTime());
                    byId.put(l.instId(), l);
                    byCode.put(l.instIdCode(), l);
                }
            }
        }
        snapshot = new Snapshot(Collections.unmodifiableMap(byId), Collections.unmodifiableMap(byCode),
                Collections.unmodifiableMap(assets));
        loadedAt = System.currentTimeMillis();
        return this;
    }

    public Listed byInstId(String instId) {
        Listed l = snapshot.byId.get(instId);
        return l != null || !reloadIfStale() ? l : snapshot.byId.get(instId);
    }

    /**
     * The instrument as the database says now (for example after a shard answered that it moved away);
     * the catalog is read again unless it was read within the last {@value #REFRESH_INTERVAL_MILLIS} ms.
     */
    public Listed refresh(String instId) {
        if (System.currentTimeMillis() - loadedAt >= REFRESH_INTERVAL_MILLIS) {
            synchronized (this) {
                if (System.currentTimeMillis() - loadedAt >= REFRESH_INTERVAL_MILLIS) {
                    try {
                        load();
                    } catch (SQLException | RuntimeException e) {
                        loadedAt = System.currentTimeMillis();
                        LOG.log(Level.WARNING, "instrument catalog reload failed", e);
                    }
                }
            }
        }
        return snapshot.byId.get(instId);
    }

    /** A listed asset by code, reloading (at most once a second) when it is unknown: assets are listed at runtime. */
    public Asset asset(String code) {
        Asset a = snapshot.assets.get(code);
        return a != null || !reloadIfStale() ? a : snapshot.assets.get(code);
    }

    public Listed byCode(long instIdCode) {
        Listed l = snapshot.byCode.get(instIdCode);
        return l != null || !reloadIfStale() ? l : snapshot.byCode.get(instIdCode);
    }

    /**
     * The instrument an order item names: its {@code instId} as given, else the instId of its OKX
     * {@code instIdCode}; null when it names none that is listed (the order entry then refuses it).
     */
    public String instIdOf(JsonNode args) {
        String instId = args.path("instId").asText("");
        if (!instId.isEmpty()) {
            return instId;
        }
        if (args.hasNonNull("instIdCode")) {
            Listed l = byCode(args.path("instIdCode").asLong(-1));
            return l == null ? null : l.instId();
        }
        return null;
    }

    public Collection<Listed> all() {
        return snapshot.byId.values();
    }

    public Map<String, Asset> assets() {
        return snapshot.assets;
    }

    public List<Listed> ofShard(int shardId) {
        List<Listed> out = new ArrayList<>();
        for (Listed l : snapshot.byId.values()) {
            if (l.shardId() == shardId) {
                out.add(l);
            }
        }
        return out;
    }

    private boolean reloadIfStale() {
        if (System.currentTimeMillis() - loadedAt < RELOAD_INTERVAL_MILLIS) {
            return false;
        }
        synchronized (this) {
            if (System.currentTimeMillis() - loadedAt < RELOAD_INTERVAL_MILLIS) {
                return true;
            }
            try {
                load();
            } catch (SQLException | RuntimeException e) {
                loadedAt = System.currentTimeMillis();
                LOG.log(Level.WARNING, "instrument catalog reload failed", e);
            }
            return true;
        }
    }

    private static String plain(ResultSet rs, int col) throws SQLException {
        BigDecimal v = rs.getBigDecimal(col).stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0).toPlainString() : v.toPlainString();
    }
}
