package dev.bourse.server.marketdata;

import dev.bourse.order.Side;
import dev.bourse.server.shard.FillRecord;
import dev.bourse.server.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Recent fills from the {@code fills} table, to rebuild trades, candles and tickers after a restart
 * (the projection's memory is a cache of committed data like everything else).
 */
public final class FillHistory {
    private final Database db;

    public FillHistory(Database db) {
        this.db = db;
    }

    /** Fills with {@code ts >= sinceMillis}, at most {@code limit} of the newest, oldest first. */
    public List<FillRecord> recent(long sinceMillis, int limit) throws SQLException {
        List<FillRecord> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT trade_id, shard_id, seq, inst_id, px, sz, quote_amt, taker_side, "
                     + "taker_ord_id, taker_user_id, maker_ord_id, maker_user_id, taker_fee, taker_fee_asset, maker_fee, "
                     + "maker_fee_asset, ts FROM fills WHERE ts >= ? ORDER BY ts DESC, trade_id DESC LIMIT ?")) {
            ps.setLong(1, sinceMillis);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FillRecord(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), side(rs.getString(8)), rs.getLong(9), rs.getLong(10),
                            rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getInt(14), rs.getLong(15), rs.getInt(16),
                            rs.getLong(17)));
                }
            }
        }
        Collections.reverse(out); // oldest first
        out.sort(java.util.Comparator.comparingLong(FillRecord::ts).thenComparingLong(FillRecord::tradeId));
        return out;
    }

    private static Side side(String s) {
        return switch (s) {
            case "buy", "BUY" -> Side.BUY;
            case "sell", "SELL" -> Side.SELL;
            default -> throw new IllegalStateException("fills.taker_side " + s);
        };
    }
}
