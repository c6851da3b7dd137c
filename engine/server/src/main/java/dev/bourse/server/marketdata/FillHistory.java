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
 * Reads the {@link MarketHistory} the projection rebuilds from after a restart out of the {@code fills}
 * table (the projection's memory is a cache of committed data like everything else). The database, not
 * the event replay, is the source of the day: a shard's stream keeps only its last
 * {@code EVENT_REPLAY_COUNT} batches, seconds of trading under load, while the 24 h ticker and the
 * 1440 one-minute bars need the whole day. The replay fills the moments after this read.
 */
public final class FillHistory {
    private static final String COLUMNS = "trade_id, shard_id, seq, inst_id, px, sz, quote_amt, taker_side, taker_ord_id, "
            + "taker_user_id, maker_ord_id, maker_user_id, taker_fee, taker_fee_asset, maker_fee, maker_fee_asset, ts";
    /**
     * Sums of each instrument's fills per minute (and shard: trade ids grow per shard). Open and close are
     * the first and last fill by (ts, trade_id), as the live projection sees them.
     */
    static final String MINUTE_BARS = "SELECT inst_id, shard_id, m, MIN(o), MAX(px), MIN(px), MIN(c), SUM(sz), "
            + "SUM(quote_amt), MAX(trade_id) FROM (SELECT inst_id, shard_id, ts / 60000 AS m, px, sz, quote_amt, trade_id, "
            + "FIRST_VALUE(px) OVER (PARTITION BY inst_id, shard_id, ts / 60000 ORDER BY ts, trade_id) AS o, "
            + "FIRST_VALUE(px) OVER (PARTITION BY inst_id, shard_id, ts / 60000 ORDER BY ts DESC, trade_id DESC) AS c "
            + "FROM fills WHERE ts >= ?) x GROUP BY inst_id, shard_id, m ORDER BY inst_id, m, shard_id";

    private final Database db;

    public FillHistory(Database db) {
        this.db = db;
    }

    /**
     * The minute bars of fills with {@code ts >= sinceMillis} and the newest {@code tradesPerInstrument}
     * trades of every listed instrument (whatever their age: the last price stays the last price), in
     * one repeatable-read transaction so that both describe the same set of fills.
     */
    public MarketHistory load(long sinceMillis, int tradesPerInstrument) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                List<MarketHistory.MinuteBar> bars = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(MINUTE_BARS)) {
                    ps.setLong(1, sinceMillis);
                    ps.setFetchSize(10_000);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            bars.add(new MarketHistory.MinuteBar(rs.getString(1), rs.getInt(2), rs.getLong(3) * 60_000L,
                                    rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                                    rs.getLong(10)));
                        }
                    }
                }
                List<String> instIds = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT inst_id FROM instruments ORDER BY inst_id");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        instIds.add(rs.getString(1));
                    }
                }
                List<FillRecord> trades = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                        + " FROM fills WHERE inst_id = ? ORDER BY trade_id DESC LIMIT ?")) {
                    for (String instId : instIds) {
                        ps.setString(1, instId);
                        ps.setInt(2, tradesPerInstrument);
                        List<FillRecord> newestFirst = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                newestFirst.add(fill(rs));
                            }
                        }
                        Collections.reverse(newestFirst);
                        trades.addAll(newestFirst);
                    }
                }
                return new MarketHistory(List.copyOf(bars), List.copyOf(trades));
            } finally {
                c.rollback(); // read-only: nothing to keep
            }
        }
    }

    private static FillRecord fill(ResultSet rs) throws SQLException {
        return new FillRecord(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                rs.getLong(7), side(rs.getString(8)), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12),
                rs.getLong(13), rs.getInt(14), rs.getLong(15), rs.getInt(16), rs.getLong(17));
    }

    private static Side side(String s) {
        return switch (s) {
            case "buy", "BUY" -> Side.BUY;
            case "sell", "SELL" -> Side.SELL;
            default -> throw new IllegalStateException("fills.taker_side " + s);
        };
    }
}
