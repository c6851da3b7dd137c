package dev.bourse.matching;

import dev.bourse.funds.PostingSet;
import dev.bourse.instrument.SymbolState;
import dev.bourse.order.CancelReason;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;

import java.util.ArrayList;
import java.util.List;

/**
 * Records every engine event as one canonical text line, so tests can assert on the exact stream
 * and compare two runs byte for byte.
 */
public final class EventRecorder implements EngineListener {
    private final List<String> lines = new ArrayList<>();
    private final List<PostingSnapshot> postingSets = new ArrayList<>();

    /** A copy of one posting set. */
    public record PostingSnapshot(long seq, String kind, long orderId, long tradeId, long[] accounts, String[] buckets,
                                  int[] assets, long[] amounts, boolean balanced) {
    }

    public List<String> lines() {
        return lines;
    }

    public List<PostingSnapshot> postingSets() {
        return postingSets;
    }

    public void clear() {
        lines.clear();
        postingSets.clear();
    }

    /** Lines starting with {@code prefix} (e.g. "fill", "canceled"). */
    public List<String> linesStartingWith(String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    /** The whole stream as one string, for byte-for-byte comparisons. */
    public String transcript() {
        return String.join("\n", lines);
    }

    private static String order(OrderView o) {
        return "ord=" + o.orderId() + " user=" + o.userId() + " sym=" + o.symbolId() + " clOrdId=" + o.clOrdId()
                + " " + o.side() + " " + o.type() + " stp=" + o.stpMode() + " tgt=" + o.targetCurrency()
                + " px=" + o.price() + " sz=" + o.size() + " filled=" + o.filledSize() + " filledQuote="
                + o.filledQuote() + " rem=" + o.remainingSize() + " held=" + o.held() + " fee=" + o.fee()
                + " state=" + o.state() + " c=" + o.createdAt() + " u=" + o.updatedAt();
    }

    @Override
    public void onCommandRejected(long seq, Command command, RejectReason reason) {
        lines.add("rejected seq=" + seq + " " + command.type() + " user=" + command.userId() + " reason=" + reason
                + " code=" + reason.okxCode());
    }

    @Override
    public void onOrderAccepted(long seq, OrderView order) {
        lines.add("accepted seq=" + seq + " " + order(order));
    }

    @Override
    public void onOrderAmended(long seq, OrderView order, boolean keptPriority) {
        lines.add("amended seq=" + seq + " keptPriority=" + keptPriority + " " + order(order));
    }

    @Override
    public void onOrderUpdated(long seq, OrderView order) {
        lines.add("updated seq=" + seq + " " + order(order));
    }

    @Override
    public void onOrderCanceled(long seq, OrderView order, CancelReason reason) {
        lines.add("canceled seq=" + seq + " reason=" + reason + " " + order(order));
    }

    @Override
    public void onFill(long seq, FillView f) {
        lines.add("fill seq=" + seq + " trade=" + f.tradeId() + " sym=" + f.symbolId() + " px=" + f.price() + " sz="
                + f.size() + " quote=" + f.quoteAmount() + " takerSide=" + f.takerSide() + " taker=" + f.takerOrderId()
                + "/" + f.takerUserId() + " maker=" + f.makerOrderId() + "/" + f.makerUserId() + " takerFee="
                + f.takerFee() + "@" + f.takerFeeAsset() + " makerFee=" + f.makerFee() + "@" + f.makerFeeAsset()
                + " ts=" + f.timestamp());
    }

    @Override
    public void onBookLevel(long seq, int symbolId, Side side, long price, long size, int orderCount, long bookSeqId) {
        lines.add("level seq=" + seq + " sym=" + symbolId + " " + side + " px=" + price + " sz=" + size + " n="
                + orderCount + " bookSeq=" + bookSeqId);
    }

    @Override
    public void onPostings(long seq, PostingSet p) {
        int n = p.size();
        long[] accounts = new long[n];
        String[] buckets = new String[n];
        int[] assets = new int[n];
        long[] amounts = new long[n];
        StringBuilder sb = new StringBuilder("postings seq=").append(seq).append(' ').append(p.kind())
                .append(" ord=").append(p.orderId()).append(" trade=").append(p.tradeId());
        for (int i = 0; i < n; i++) {
            accounts[i] = p.account(i);
            buckets[i] = p.bucket(i).name();
            assets[i] = p.asset(i);
            amounts[i] = p.amount(i);
            sb.append(' ').append(accounts[i]).append('/').append(buckets[i]).append('/').append(assets[i]).append('=')
                    .append(amounts[i]);
        }
        postingSets.add(new PostingSnapshot(seq, p.kind().name(), p.orderId(), p.tradeId(), accounts, buckets, assets,
                amounts, p.isBalanced()));
        lines.add(sb.toString());
    }

    @Override
    public void onSymbolState(long seq, int symbolId, SymbolState from, SymbolState to, StateChangeReason reason) {
        lines.add("state seq=" + seq + " sym=" + symbolId + " " + from + "->" + to + " reason=" + reason);
    }
}
