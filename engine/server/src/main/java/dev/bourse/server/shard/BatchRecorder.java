package dev.bourse.server.shard;

import dev.bourse.funds.Bucket;
import dev.bourse.funds.PostingSet;
import dev.bourse.instrument.SymbolState;
import dev.bourse.matching.Command;
import dev.bourse.matching.EngineListener;
import dev.bourse.matching.FillView;
import dev.bourse.matching.MatchingEngine;
import dev.bourse.matching.RejectReason;
import dev.bourse.matching.StateChangeReason;
import dev.bourse.order.CancelReason;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;
import dev.bourse.server.events.EngineEvent;
import dev.bourse.server.ledger.BalanceDeltas;
import dev.bourse.server.ledger.LedgerEntry;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Collects everything one batch must write, from the engine's events: the final state of every order
 * it touched, its fills, its ledger entries and their net balance deltas, the markets it changed, and
 * the events to publish once the batch has committed.
 */
final class BatchRecorder implements EngineListener {
    private final int shardId;
    private MatchingEngine engine;
    /** Sequence at which each live order last joined its price queue (kept across batches). */
    private final Long2LongHashMap queueSeq;
    /** OKX tags of live orders (kept across batches; rebuilt with the state from the orders table). */
    private final Long2ObjectHashMap<String> tags = new Long2ObjectHashMap<>();
    /** The tag of the place command the engine executes next (null for other commands). */
    private String placingTag;

    final Map<Long, OrderRecord> orders = new LinkedHashMap<>();
    final Map<Long, Long> createdSeq = new LinkedHashMap<>(); // orders created in this batch -> seq
    final List<FillRecord> fills = new ArrayList<>();
    final List<LedgerEntry> entries = new ArrayList<>();
    final BalanceDeltas deltas = new BalanceDeltas();
    final TreeSet<Integer> touchedSymbols = new TreeSet<>();
    final List<EngineEvent> events = new ArrayList<>();
    int rejected;

    private long postingSeq = -1;
    private int postingSetNo;

    BatchRecorder(int shardId, Long2LongHashMap queueSeq) {
        this.shardId = shardId;
        this.queueSeq = queueSeq;
    }

    void bind(MatchingEngine engine) {
        this.engine = engine;
    }

    void reset() {
        orders.clear();
        createdSeq.clear();
        fills.clear();
        entries.clear();
        deltas.clear();
        touchedSymbols.clear();
        events.clear();
        rejected = 0;
        postingSeq = -1;
    }

    /** Tells the recorder the tag of the command about to execute: a new order takes it. */
    void placing(String tag) {
        placingTag = tag;
    }

    /** A live order's tag read back from the orders table. */
    void restoreTag(long ordId, String tag) {
        if (tag != null) {
            tags.put(ordId, tag);
        }
    }

    private String instId(int symbolId) {
        return engine.instrument(symbolId).instId();
    }

    private void record(long seq, OrderView o, CancelReason reason) {
        long id = o.orderId();
        long qs = queueSeq.get(id);
        OrderRecord r = OrderRecord.of(o, shardId, instId(o.symbolId()), tags.get(id), reason,
                qs == queueSeq.missingValue() ? seq : qs, createdSeq.getOrDefault(id, 0L), seq);
        if (r.state().done()) {
            queueSeq.remove(id);
            tags.remove(id);
        }
        orders.put(id, r);
        touchedSymbols.add(o.symbolId());
        events.add(new EngineEvent.OrderEvent(seq, r));
    }

    @Override
    public void onCommandRejected(long seq, Command command, RejectReason reason) {
        rejected++;
    }

    @Override
    public void onOrderAccepted(long seq, OrderView order) {
        createdSeq.put(order.orderId(), seq);
        queueSeq.put(order.orderId(), seq);
        if (placingTag != null) {
            tags.put(order.orderId(), placingTag);
            placingTag = null; // one place creates one order
        }
        record(seq, order, null);
    }

    @Override
    public void onOrderAmended(long seq, OrderView order, boolean keptPriority) {
        if (!keptPriority) {
            queueSeq.put(order.orderId(), seq);
        }
        record(seq, order, null);
    }

    @Override
    public void onOrderUpdated(long seq, OrderView order) {
        record(seq, order, null);
    }

    @Override
    public void onOrderCanceled(long seq, OrderView order, CancelReason reason) {
        record(seq, order, reason);
    }

    @Override
    public void onFill(long seq, FillView fill) {
        FillRecord f = FillRecord.of(fill, shardId, seq, instId(fill.symbolId()));
        fills.add(f);
        touchedSymbols.add(fill.symbolId());
        events.add(new EngineEvent.TradeEvent(seq, f));
    }

    @Override
    public void onBookLevel(long seq, int symbolId, Side side, long price, long size, int orderCount, long bookSeqId) {
        touchedSymbols.add(symbolId);
        events.add(new EngineEvent.BookLevelEvent(seq, instId(symbolId), side, price, size, orderCount, bookSeqId));
    }

    @Override
    public void onPostings(long seq, PostingSet p) {
        if (seq != postingSeq) {
            postingSeq = seq;
            postingSetNo = 0;
        }
        String key = "s" + shardId + ":" + seq + ":" + postingSetNo++;
        Long ordId = p.orderId() == 0 ? null : p.orderId();
        Long tradeId = p.tradeId() == 0 ? null : p.tradeId();
        for (int i = 0; i < p.size(); i++) {
            LedgerEntry e = new LedgerEntry(key, i, p.kind().name(), p.account(i), p.asset(i),
                    p.bucket(i) == Bucket.HELD ? "held" : "available", p.amount(i), ordId, tradeId, null);
            entries.add(e);
            deltas.add(e);
        }
    }

    @Override
    public void onSymbolState(long seq, int symbolId, SymbolState from, SymbolState to, StateChangeReason reason) {
        touchedSymbols.add(symbolId);
        events.add(new EngineEvent.SymbolStateEvent(seq, instId(symbolId), from, to, reason.name()));
    }
}
