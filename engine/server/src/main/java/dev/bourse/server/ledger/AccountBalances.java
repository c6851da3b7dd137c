package dev.bourse.server.ledger;

import dev.bourse.server.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A user's current balance rows, read by the {@code account} WebSocket channel and REST {@code account/balance}. */
@FunctionalInterface
public interface AccountBalances {

    /** @param available, held in units of 10^-scale of {@code ccy} */
    record Balance(int assetId, String ccy, int scale, long available, long held) {
    }

    List<Balance> of(long userId) throws Exception;

    /** The {@code balances} table (shared by all shards: the rows are the truth, events only say what changed). */
    public static AccountBalances from(Database db) {
        return userId -> {
            List<Balance> out = new ArrayList<>();
            try (Connection c = db.connection();
                 PreparedStatement ps = c.prepareStatement("SELECT b.asset_id, a.code, a.scale, b.available, b.held "
                         + "FROM balances b JOIN assets a ON a.asset_id = b.asset_id WHERE b.account_id = ? ORDER BY b.asset_id")) {
                ps.setLong(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Balance(rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5)));
                    }
                }
            } catch (SQLException e) {
                throw new SQLException("balances of " + userId + ": " + e.getMessage(), e);
            }
            return out;
        };
    }
}
