package dev.bourse.server.shard;

import dev.bourse.matching.MatchingEngine;
import dev.bourse.matching.OrderBook;
import dev.bourse.server.ledger.BalanceDeltas;
import dev.bourse.server.ledger.BalanceWriter;
import dev.bourse.server.ledger.LedgerWriter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Writes one batch inside the caller's transaction, in an order chosen for locking: first the shard's
 * own lease row (the fence), then inserts of new keys, and the shared balance rows last, in lock order
 * ({@link BalanceDeltas}). See docs/adr/0004-shared-balances-across-shards.md.
 */
final class BatchWriter {
    private static final String FENCE = "UPDATE shard_leases SET last_seq = ?, last_order_id = ?, last_trade_id = ?, "
            + "updated_at = CURRENT_TIMESTAMP WHERE shard_id = ? AND epoch = ? AND last_seq = ?";
    private static final String INSERT_ORDER = "INSERT INTO orders (ord_id, shard_id, inst_id, user_id, cl_ord_id, side, "
            + "ord_type, stp_mode, tgt_ccy, px, sz, filled_sz, filled_quote, remaining_sz, held, fee, state, cancel_reason, "
            + "queue_seq, created_seq, updated_seq, created_at, updated_at, tag) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_ORDER = "UPDATE orders SET px = ?, sz = ?, filled_sz = ?, filled_quote = ?, "
            + "remaining_sz = ?, held = ?, fee = ?, state = ?, cancel_reason = ?, queue_seq = ?, updated_seq = ?, "
            + "updated_at = ? WHERE ord_id = ?";
    private static final String INSERT_FILL = "INSERT INTO fills (trade_id, shard_id, seq, inst_id, px, sz, quote_amt, "
            + "taker_side, taker_ord_id, taker_user_id, maker_ord_id, maker_user_id, taker_fee, taker_fee_asset, maker_fee, "
            + "maker_fee_asset, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_MARKET = "UPDATE markets SET state = ?, last_trade_px = ?, book_seq_id = ?, "
            + "updated_seq = ? WHERE inst_id = ?";
    private static final String INSERT_BATCH = "INSERT INTO batches (shard_id, first_seq, last_seq, epoch, commands, rejected) "
            + "VALUES (?, ?, ?, ?, ?, ?)";

    private BatchWriter() {
    }

    static void write(Connection c, int shardId, long epoch, long prevSeq, MatchingEngine engine, BatchRecorder r,
                      int commands) throws SQLException, ShardFencedException, BatchConflictException {
        long lastSeq = engine.lastSequence();
        fence(c, shardId, epoch, prevSeq, lastSeq, engine);
        writeOrders(c, r);
        writeFills(c, r.fills);
        LedgerWriter.insert(c, r.entries);
        writeMarkets(c, engine, r, lastSeq);
        try (PreparedStatement ps = c.prepareStatement(INSERT_BATCH)) {
            ps.setInt(1, shardId);
            ps.setLong(2, prevSeq + 1);
            ps.setLong(3, lastSeq);
            ps.setLong(4, epoch);
            ps.setInt(5, commands);
            ps.setInt(6, r.rejected);
            ps.executeUpdate();
        }
        List<BalanceDeltas.Key> refused = BalanceWriter.apply(c, r.deltas);
        if (!refused.isEmpty()) {
            throw new BatchConflictException("balance changed by another writer: " + refused, null);
        }
    }

    private static void fence(Connection c, int shardId, long epoch, long prevSeq, long lastSeq, MatchingEngine engine)
            throws SQLException, ShardFencedException {
        try (PreparedStatement ps = c.prepareStatement(FENCE)) {
            ps.setLong(1, lastSeq);
            ps.setLong(2, engine.lastOrderId());
            ps.setLong(3, engine.lastTradeId());
            ps.setInt(4, shardId);
            ps.setLong(5, epoch);
            ps.setLong(6, prevSeq);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT epoch, owner, last_seq FROM shard_leases WHERE shard_id = ?")) {
            ps.setInt(1, shardId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ShardFencedException("shard " + shardId + " has no lease row");
                }
                throw new ShardFencedException("shard " + shardId + " fenced: lease is at epoch " + rs.getLong(1) + " owned by "
                        + rs.getString(2) + " (last_seq " + rs.getLong(3) + "), this process holds epoch " + epoch
                        + " at last_seq " + prevSeq);
            }
        }
    }

    private static void writeOrders(Connection c, BatchRecorder r) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement(INSERT_ORDER);
             PreparedStatement upd = c.prepareStatement(UPDATE_ORDER)) {
            int inserts = 0;
            int updates = 0;
            for (OrderRecord o : r.orders.values()) {
                Long created = r.createdSeq.get(o.ordId());
                if (created != null) {
                    ins.setLong(1, o.ordId());
                    ins.setInt(2, o.shardId());
                    ins.setString(3, o.instId());
                    ins.setLong(4, o.userId());
                    if (o.clOrdId() == null) {
                        ins.setNull(5, Types.VARCHAR);
                    } else {
                        ins.setString(5, o.clOrdId());
                    }
                    ins.setString(6, o.side().name());
                    ins.setString(7, o.type().name());
                    ins.setString(8, o.stp().name());
                    ins.setString(9, o.tgtCcy().name());
                    ins.setLong(10, o.px());
                    ins.setLong(11, o.sz());
                    ins.setLong(12, o.filledSz());
                    ins.setLong(13, o.filledQuote());
                    ins.setLong(14, o.remainingSz());
                    ins.setLong(15, o.held());
                    ins.setLong(16, o.fee());
                    ins.setString(17, o.state().name());
                    setReason(ins, 18, o);
                    ins.setLong(19, o.queueSeq());
                    ins.setLong(20, created);
                    ins.setLong(21, o.updatedSeq());
                    ins.setLong(22, o.createdAt());
                    ins.setLong(23, o.updatedAt());
                    if (o.tag() == null) {
                        ins.setNull(24, Types.VARCHAR);
                    } else {
                        ins.setString(24, o.tag());
                    }
                    ins.addBatch();
                    inserts++;
                } else {
                    upd.setLong(1, o.px());
                    upd.setLong(2, o.sz());
                    upd.setLong(3, o.filledSz());
                    upd.setLong(4, o.filledQuote());
                    upd.setLong(5, o.remainingSz());
                    upd.setLong(6, o.held());
                    upd.setLong(7, o.fee());
                    upd.setString(8, o.state().name());
                    setReason(upd, 9, o);
                    upd.setLong(10, o.queueSeq());
                    upd.setLong(11, o.updatedSeq());
                    upd.setLong(12, o.updatedAt());
                    upd.setLong(13, o.ordId());
                    upd.addBatch();
                    updates++;
                }
            }
            if (inserts > 0) {
                ins.executeBatch();
            }
            if (updates > 0) {
                for (int n : upd.executeBatch()) {
                    if (n == 0) {
                        throw new SQLException("an order the engine updated is missing from the orders table");
                    }
                }
            }
        }
    }

    private static void setReason(PreparedStatement ps, int i, OrderRecord o) throws SQLException {
        if (o.cancelReason() == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, o.cancelReason().name());
        }
    }

    private static void writeFills(Connection c, List<FillRecord> fills) throws SQLException {
        if (fills.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_FILL)) {
            for (FillRecord f : fills) {
                ps.setLong(1, f.tradeId());
                ps.setInt(2, f.shardId());
                ps.setLong(3, f.seq());
                ps.setString(4, f.instId());
                ps.setLong(5, f.px());
                ps.setLong(6, f.sz());
                ps.setLong(7, f.quoteAmt());
                ps.setString(8, f.takerSide().name());
                ps.setLong(9, f.takerOrdId());
                ps.setLong(10, f.takerUserId());
                ps.setLong(11, f.makerOrdId());
                ps.setLong(12, f.makerUserId());
                ps.setLong(13, f.takerFee());
                ps.setInt(14, f.takerFeeAsset());
                ps.setLong(15, f.makerFee());
                ps.setInt(16, f.makerFeeAsset());
                ps.setLong(17, f.ts());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void writeMarkets(Connection c, MatchingEngine engine, BatchRecorder r, long lastSeq) throws SQLException {
        if (r.touchedSymbols.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPDATE_MARKET)) {
            for (int symbolId : r.touchedSymbols) {
                OrderBook book = engine.book(symbolId);
                ps.setString(1, engine.symbolState(symbolId).name());
                ps.setLong(2, engine.lastTradePrice(symbolId));
                ps.setLong(3, book.seqId());
                ps.setLong(4, lastSeq);
                ps.setString(5, engine.instrument(symbolId).instId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
