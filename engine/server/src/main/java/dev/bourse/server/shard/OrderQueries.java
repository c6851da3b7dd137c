package dev.bourse.server.shard;

import dev.bourse.order.CancelReason;
import dev.bourse.order.OrderState;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;
import dev.bourse.server.store.Database;
import io.helidon.dbclient.DbRow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads committed orders. */
public final class OrderQueries {
    public static final String SELECT = "SELECT ord_id, shard_id, inst_id, user_id, cl_ord_id, side, ord_type, stp_mode, tgt_ccy, px, sz, "
            + "filled_sz, filled_quote, remaining_sz, held, fee, state, cancel_reason, queue_seq, created_seq, updated_seq, "
            + "created_at, updated_at, tag FROM orders";

    private final Database db;

    public OrderQueries(Database db) {
        this.db = db;
    }

    public static OrderRecord read(ResultSet rs) throws SQLException {
        String reason = rs.getString(18);
        return new OrderRecord(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                rs.getString(24), Side.valueOf(rs.getString(6)), OrderType.valueOf(rs.getString(7)), StpMode.valueOf(rs.getString(8)),
                TargetCurrency.valueOf(rs.getString(9)), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13),
                rs.getLong(14), rs.getLong(15), rs.getLong(16), OrderState.valueOf(rs.getString(17)),
                reason == null ? null : CancelReason.valueOf(reason), rs.getLong(19), rs.getLong(20), rs.getLong(21),
                rs.getLong(22), rs.getLong(23));
    }

    /** The committed order, through Helidon's DbClient (queries off the hot path). */
    public Optional<OrderRecord> byId(long ordId) {
        return db.dbClient().execute().get(SELECT + " WHERE ord_id = ?", ordId).map(OrderQueries::read);
    }

    static OrderRecord read(DbRow r) {
        String reason = r.column("cancel_reason").get(String.class);
        return new OrderRecord(num(r, "ord_id"), (int) num(r, "shard_id"), r.column("inst_id").get(String.class),
                num(r, "user_id"), r.column("cl_ord_id").get(String.class), r.column("tag").get(String.class),
                Side.valueOf(r.column("side").get(String.class)),
                OrderType.valueOf(r.column("ord_type").get(String.class)), StpMode.valueOf(r.column("stp_mode").get(String.class)),
                TargetCurrency.valueOf(r.column("tgt_ccy").get(String.class)), num(r, "px"), num(r, "sz"), num(r, "filled_sz"),
                num(r, "filled_quote"), num(r, "remaining_sz"), num(r, "held"), num(r, "fee"),
                OrderState.valueOf(r.column("state").get(String.class)), reason == null ? null : CancelReason.valueOf(reason),
                num(r, "queue_seq"), num(r, "created_seq"), num(r, "updated_seq"), num(r, "created_at"), num(r, "updated_at"));
    }

    private static long num(DbRow r, String column) {
        return ((Number) r.column(column).get()).longValue();
    }

    /** All orders of a shard in id order (tests and tools). */
    public List<OrderRecord> ofShard(int shardId) throws SQLException {
        List<OrderRecord> out = new ArrayList<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(SELECT + " WHERE shard_id = ? ORDER BY ord_id")) {
            ps.setInt(1, shardId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }
}
