package dev.bourse.server.shard;

import dev.bourse.asset.Asset;
import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;
import dev.bourse.matching.MatchingEngine;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.server.ledger.SystemAccounts;
import dev.bourse.server.listing.InstrumentSpec;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.store.Database;
import org.agrona.collections.Long2LongHashMap;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * A shard's in-memory state, rebuilt from the database: the engine with its books, the shard's holds
 * and the queue position of every live order. Built at start-up and again whenever a batch rolls back,
 * since the database is the system of record and memory only a cache of it.
 */
final class ShardState {
    final MatchingEngine engine;
    final ShardBalances balances;
    final BatchRecorder recorder;
    final Long2LongHashMap queueSeq;
    final int liveOrders;

    private ShardState(MatchingEngine engine, ShardBalances balances, BatchRecorder recorder, Long2LongHashMap queueSeq,
                       int liveOrders) {
        this.engine = engine;
        this.balances = balances;
        this.recorder = recorder;
        this.queueSeq = queueSeq;
        this.liveOrders = liveOrders;
    }

    static ShardState load(Database db, int shardId) throws SQLException {
        Listing listing = new Listing(db);
        Map<String, Asset> assets = listing.assets();
        int assetCount = assets.values().stream().mapToInt(Asset::id).max().orElse(-1) + 1;
        ShardBalances balances = new ShardBalances(Math.max(1, assetCount));
        // queue positions of orders moved here from another shard can be 0 or negative (InstrumentStore.move)
        Long2LongHashMap queueSeq = new Long2LongHashMap(Long.MIN_VALUE);
        BatchRecorder recorder = new BatchRecorder(shardId, queueSeq);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // one consistent picture
            long lastSeq;
            long lastOrderId;
            long lastTradeId;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT last_seq, last_order_id, last_trade_id FROM shard_leases WHERE shard_id = ?")) {
                ps.setInt(1, shardId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("shard " + shardId + " has no lease row");
                    }
                    lastSeq = rs.getLong(1);
                    lastOrderId = rs.getLong(2);
                    lastTradeId = rs.getLong(3);
                }
            }
            MatchingEngine engine = new MatchingEngine(balances, recorder, SystemAccounts.fees(shardId), lastSeq, lastOrderId,
                    lastTradeId);
            recorder.bind(engine);
            // in the same snapshot as the orders: a symbol moving in or out is wholly here or wholly not
            for (InstrumentSpec spec : listing.instruments(c, shardId)) {
                engine.addInstrument(spec.toInstrument(assets));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT m.inst_id, m.state, m.last_trade_px, m.book_seq_id FROM markets m "
                    + "JOIN instruments i ON i.inst_id = m.inst_id WHERE i.shard_id = ?")) {
                ps.setInt(1, shardId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int symbolId = engine.symbolId(rs.getString(1));
                        engine.restoreMarket(symbolId, SymbolState.valueOf(rs.getString(2)), rs.getLong(3), rs.getLong(4));
                    }
                }
            }
            int live;
            try (PreparedStatement ps = c.prepareStatement(LIVE_ORDERS + " ORDER BY queue_seq, ord_id")) {
                ps.setInt(1, shardId);
                live = restoreOrders(ps, shardId, engine, balances, queueSeq, recorder);
            }
            c.commit();
            return new ShardState(engine, balances, recorder, queueSeq, live);
        }
    }

    private static final String LIVE_ORDERS = "SELECT ord_id, user_id, inst_id, cl_ord_id, side, ord_type, stp_mode, px, sz, "
            + "filled_sz, filled_quote, held, fee, created_at, updated_at, queue_seq, tag FROM orders "
            + "WHERE shard_id = ? AND state IN ('LIVE', 'PARTIALLY_FILLED')";

    /**
     * Loads one instrument this shard owns but does not hold yet (it moved here) into this state: its
     * market as stored and its live orders in queue order, read in one consistent snapshot. Returns the
     * number of resting orders, or -1 when the database does not list {@code instId} on this shard. On
     * failure part of the orders may be in the engine: the caller takes the symbol off again.
     */
    int loadSymbol(Database db, int shardId, String instId) throws SQLException {
        Listing listing = new Listing(db);
        Map<String, Asset> assets = listing.assets();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                java.util.Optional<InstrumentSpec> spec = listing.instrument(c, instId, shardId);
                if (spec.isEmpty()) {
                    return -1;
                }
                int symbolId = engine.addInstrument(spec.get().toInstrument(assets));
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT state, last_trade_px, book_seq_id FROM markets WHERE inst_id = ?")) {
                    ps.setString(1, instId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            engine.restoreMarket(symbolId, SymbolState.valueOf(rs.getString(1)), rs.getLong(2), rs.getLong(3));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(LIVE_ORDERS + " AND inst_id = ? ORDER BY queue_seq, ord_id")) {
                    ps.setInt(1, shardId);
                    ps.setString(2, instId);
                    return restoreOrders(ps, shardId, engine, balances, queueSeq, recorder);
                }
            } finally {
                c.rollback(); // read only
            }
        }
    }

    /**
     * Restores the live orders {@code ps} selects, in its order (queue order within each price level).
     * An order created by another shard (its id is from that shard's range: the symbol moved here) is
     * adopted, one of this shard's restored against its counters.
     */
    private static int restoreOrders(PreparedStatement ps, int shardId, MatchingEngine engine, ShardBalances balances,
                                     Long2LongHashMap queueSeq, BatchRecorder recorder) throws SQLException {
        int live = 0;
        ps.setFetchSize(10_000);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long ordId = rs.getLong(1);
                long userId = rs.getLong(2);
                int symbolId = engine.symbolId(rs.getString(3));
                if (symbolId < 0) {
                    throw new SQLException("live order " + ordId + " is on " + rs.getString(3)
                            + ", which shard " + shardId + " does not own");
                }
                Side side = Side.valueOf(rs.getString(5));
                long held = rs.getLong(12);
                boolean foreign = (ordId - 1) / ShardLease.ID_RANGE_PER_SHARD != shardId;
                if (foreign) {
                    engine.adoptOrder(ordId, userId, symbolId, rs.getString(4), side, OrderType.valueOf(rs.getString(6)),
                            StpMode.valueOf(rs.getString(7)), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                            held, rs.getLong(13), rs.getLong(14), rs.getLong(15));
                } else {
                    engine.restoreOrder(ordId, userId, symbolId, rs.getString(4), side, OrderType.valueOf(rs.getString(6)),
                            StpMode.valueOf(rs.getString(7)), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                            held, rs.getLong(13), rs.getLong(14), rs.getLong(15));
                }
                Instrument ins = engine.instrument(symbolId);
                balances.addHeld(userId, side == Side.BUY ? ins.quote().id() : ins.base().id(), held);
                queueSeq.put(ordId, rs.getLong(16));
                recorder.restoreTag(ordId, rs.getString(17));
                live++;
            }
        }
        return live;
    }
}
