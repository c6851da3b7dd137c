package dev.bourse.server.shard;

import dev.bourse.matching.MatchingEngine;
import dev.bourse.matching.OrderBook;
import dev.bourse.server.ledger.BalanceDeltas;
import dev.bourse.server.ledger.BalanceWriter;
import dev.bourse.server.ledger.LedgerWriter;
import dev.bourse.server.store.CopyRows;
import dev.bourse.server.store.Dialect;

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
 *
 * <p>On PostgreSQL the rows go in bulk: orders, fills and ledger entries by {@code COPY}, the batch's
 * order updates as one {@code UPDATE … FROM unnest(…)}, its balance rows likewise (after locking them in
 * lock order). The per-statement work of a JDBC batch was most of a durable batch's time
 * (docs/performance.md, "Durable orders through the sequencer"). H2 keeps plain JDBC batches.
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

    private static final String COPY_ORDERS = "orders (ord_id, shard_id, inst_id, user_id, cl_ord_id, side, ord_type, "
            + "stp_mode, tgt_ccy, px, sz, filled_sz, filled_quote, remaining_sz, held, fee, state, cancel_reason, queue_seq, "
            + "created_seq, updated_seq, created_at, updated_at, tag)";
    private static final String UPDATE_ORDERS_PG = "UPDATE orders o SET px = u.px, sz = u.sz, filled_sz = u.filled_sz, "
            + "filled_quote = u.filled_quote, remaining_sz = u.remaining_sz, held = u.held, fee = u.fee, state = u.state, "
            + "cancel_reason = u.cancel_reason, queue_seq = u.queue_seq, updated_seq = u.updated_seq, updated_at = u.updated_at "
            + "FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], "
            + "?::bigint[], ?::varchar[], ?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[]) AS u(ord_id, px, sz, "
            + "filled_sz, filled_quote, remaining_sz, held, fee, state, cancel_reason, queue_seq, updated_seq, updated_at) "
            + "WHERE o.ord_id = u.ord_id";
    private static final String COPY_FILLS = "fills (trade_id, shard_id, seq, inst_id, px, sz, quote_amt, taker_side, "
            + "taker_ord_id, taker_user_id, maker_ord_id, maker_user_id, taker_fee, taker_fee_asset, maker_fee, "
            + "maker_fee_asset, ts)";

    private BatchWriter() {
    }

    static void write(Connection c, Dialect dialect, int shardId, long epoch, long prevSeq, MatchingEngine engine,
                      BatchRecorder r, int commands) throws SQLException, ShardFencedException, BatchConflictException {
        long lastSeq = engine.lastSequence();
        fence(c, shardId, epoch, prevSeq, lastSeq, engine);
        if (dialect == Dialect.POSTGRESQL) {
            copyOrders(c, r);
            updateOrders(c, r);
            copyFills(c, r.fills);
        } else {
            writeOrders(c, r);
            writeFills(c, r.fills);
        }
        LedgerWriter.insert(c, dialect, r.entries);
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
        List<BalanceDeltas.Key> refused = BalanceWriter.apply(c, dialect, r.deltas);
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

    private static void copyOrders(Connection c, BatchRecorder r) throws SQLException {
        CopyRows rows = new CopyRows(COPY_ORDERS);
        for (OrderRecord o : r.orders.values()) {
            Long created = r.createdSeq.get(o.ordId());
            if (created == null) {
                continue;
            }
            rows.add(o.ordId()).add(o.shardId()).add(o.instId()).add(o.userId()).add(o.clOrdId()).add(o.side().name())
                    .add(o.type().name()).add(o.stp().name()).add(o.tgtCcy().name()).add(o.px()).add(o.sz())
                    .add(o.filledSz()).add(o.filledQuote()).add(o.remainingSz()).add(o.held()).add(o.fee())
                    .add(o.state().name()).add(o.cancelReason() == null ? null : o.cancelReason().name())
                    .add(o.queueSeq()).add(created).add(o.updatedSeq()).add(o.createdAt()).add(o.updatedAt())
                    .add(o.tag()).endRow();
        }
        rows.copyTo(c);
    }

    private static void updateOrders(Connection c, BatchRecorder r) throws SQLException {
        int n = 0;
        for (OrderRecord o : r.orders.values()) {
            if (!r.createdSeq.containsKey(o.ordId())) {
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        Long[][] longs = new Long[11][n];
        String[] states = new String[n];
        String[] reasons = new String[n];
        int i = 0;
        for (OrderRecord o : r.orders.values()) {
            if (r.createdSeq.containsKey(o.ordId())) {
                continue;
            }
            longs[0][i] = o.ordId();
            longs[1][i] = o.px();
            longs[2][i] = o.sz();
            longs[3][i] = o.filledSz();
            longs[4][i] = o.filledQuote();
            longs[5][i] = o.remainingSz();
            longs[6][i] = o.held();
            longs[7][i] = o.fee();
            longs[8][i] = o.queueSeq();
            longs[9][i] = o.updatedSeq();
            longs[10][i] = o.updatedAt();
            states[i] = o.state().name();
            reasons[i] = o.cancelReason() == null ? null : o.cancelReason().name();
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(UPDATE_ORDERS_PG)) {
            for (int col = 0; col < 8; col++) { // ord_id … fee
                ps.setArray(col + 1, c.createArrayOf("bigint", longs[col]));
            }
            ps.setArray(9, c.createArrayOf("varchar", states));
            ps.setArray(10, c.createArrayOf("varchar", reasons));
            ps.setArray(11, c.createArrayOf("bigint", longs[8]));
            ps.setArray(12, c.createArrayOf("bigint", longs[9]));
            ps.setArray(13, c.createArrayOf("bigint", longs[10]));
            int updated = ps.executeUpdate();
            if (updated != n) {
                throw new SQLException("the engine updated " + n + " orders, the orders table matched " + updated);
            }
        }
    }

    private static void copyFills(Connection c, List<FillRecord> fills) throws SQLException {
        CopyRows rows = new CopyRows(COPY_FILLS);
        for (FillRecord f : fills) {
            rows.add(f.tradeId()).add(f.shardId()).add(f.seq()).add(f.instId()).add(f.px()).add(f.sz()).add(f.quoteAmt())
                    .add(f.takerSide().name()).add(f.takerOrdId()).add(f.takerUserId()).add(f.makerOrdId())
                    .add(f.makerUserId()).add(f.takerFee()).add(f.takerFeeAsset()).add(f.makerFee())
                    .add(f.makerFeeAsset()).add(f.ts()).endRow();
        }
        rows.copyTo(c);
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
