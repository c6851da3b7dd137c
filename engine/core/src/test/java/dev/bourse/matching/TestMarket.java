package dev.bourse.matching;

import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.funds.InMemoryBalances;
import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;
import dev.bourse.order.OrderType;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;

import java.util.List;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Shared fixture for the example-based matching tests: assets BTC(8) / USDT(6) / ETH(8), the symbol
 * BTC-USDT (tick 0.1, lot = min 0.00001, max 1000; no band, no fees, no breaker unless a test
 * customises the builder), funded users and helpers that take decimal text.
 *
 * <p>Units: a BTC-USDT price "100" is 1000 (scale 1), a size "1" is 100_000_000 sat, and a quote amount
 * is price * size / 1000 USDT micro-units ("100" USDT = 100_000_000).
 */
final class TestMarket {
    static final Asset BTC = new Asset(0, "BTC", 8);
    static final Asset USDT = new Asset(1, "USDT", 6);
    static final Asset ETH = new Asset(2, "ETH", 8);
    static final int B = BTC.id();
    static final int Q = USDT.id();
    static final int E = ETH.id();
    static final long FEES = MatchingEngine.DEFAULT_FEE_ACCOUNT;

    /** Users funded by the constructor with {@link #START_BTC} and {@link #START_USDT}. */
    static final long U1 = 1, U2 = 2, U3 = 3, U4 = 4;
    static final String START_BTC = "10";
    static final String START_USDT = "100000";

    final InMemoryBalances balances = new InMemoryBalances(3);
    final EventRecorder rec = new EventRecorder();
    final MatchingEngine engine = new MatchingEngine(balances, rec);
    final int sym;
    final Command cmd = new Command();
    /** Timestamp given to the next commands. */
    long clock = 1_000;

    static Instrument.Builder btcUsdt() {
        return Instrument.builder("BTC-USDT", BTC, USDT).tickSize("0.1").lotSize("0.00001").minSize("0.00001")
                .maxSize("1000");
    }

    TestMarket() {
        this(UnaryOperator.identity());
    }

    TestMarket(UnaryOperator<Instrument.Builder> customize) {
        sym = engine.addInstrument(customize.apply(btcUsdt()).build());
        for (long u = U1; u <= U4; u++) {
            fund(u, START_BTC, START_USDT);
        }
    }

    // ------------------------------------------------------------------ units

    static long px(String text) {
        return Decimals.parse(text, 1);
    }

    static long sz(String text) {
        return Decimals.parse(text, BTC.scale());
    }

    static long usdt(String text) {
        return Decimals.parse(text, USDT.scale());
    }

    static long btc(String text) {
        return Decimals.parse(text, BTC.scale());
    }

    void fund(long user, String btc, String usdt) {
        balances.deposit(user, B, btc(btc));
        balances.deposit(user, Q, usdt(usdt));
    }

    long avail(long user, int asset) {
        return balances.available(user, asset);
    }

    long held(long user, int asset) {
        return balances.held(user, asset);
    }

    OrderBook book() {
        return engine.book(sym);
    }

    OrderView live(long orderId) {
        return engine.liveOrder(orderId);
    }

    // ------------------------------------------------------------------ commands

    /** Places with full control; returns the reject reason (null if accepted). Order id: {@link #lastId()}. */
    RejectReason place(long user, Side side, OrderType type, String price, String size, String clOrdId, StpMode stp) {
        return engine.execute(cmd.place(user, sym, side, type, price == null ? 0 : px(price), size == null ? 0 : sz(size),
                clOrdId, stp, clock));
    }

    RejectReason place(long user, Side side, OrderType type, String price, String size) {
        return place(user, side, type, price, size, null, null);
    }

    /** Order id the last command created or acted on. */
    long lastId() {
        return cmd.resultOrderId();
    }

    /** Places an order that must be accepted; returns its id. */
    long accept(long user, Side side, OrderType type, String price, String size, StpMode stp) {
        RejectReason r = place(user, side, type, price, size, null, stp);
        assertNull(r, () -> "rejected: " + r);
        return cmd.resultOrderId();
    }

    long buy(long user, String price, String size) {
        return accept(user, Side.BUY, OrderType.LIMIT, price, size, null);
    }

    long sell(long user, String price, String size) {
        return accept(user, Side.SELL, OrderType.LIMIT, price, size, null);
    }

    RejectReason marketQuote(long user, Side side, String quoteBudget) {
        return engine.execute(cmd.place(user, sym, side, OrderType.MARKET, 0, usdt(quoteBudget), null, null, clock)
                .targetCurrency(TargetCurrency.QUOTE_CCY));
    }

    RejectReason cancel(long user, long orderId) {
        return engine.execute(cmd.cancel(user, sym, orderId, null, clock));
    }

    RejectReason cancelByClOrdId(long user, String clOrdId) {
        return engine.execute(cmd.cancel(user, sym, 0, clOrdId, clock));
    }

    /** Amend with decimal text; null leaves a field unchanged. */
    RejectReason amend(long user, long orderId, String newSize, String newPrice) {
        return engine.execute(cmd.amend(user, sym, orderId, null, newSize == null ? 0 : sz(newSize),
                newPrice == null ? 0 : px(newPrice), clock));
    }

    RejectReason massCancel(long user, int symbolId) {
        return engine.execute(cmd.massCancel(user, symbolId, clock));
    }

    RejectReason setState(SymbolState state) {
        return engine.execute(cmd.setSymbolState(sym, state, clock));
    }

    // ------------------------------------------------------------------ observation

    long[] queue(Side side, String price) {
        return book().queueAt(side, px(price));
    }

    /** Recorded lines that mention {@code ord=<id>} as the order (accepted/updated/canceled/amended). */
    List<String> orderLines(long orderId) {
        return rec.lines().stream().filter(l -> !l.startsWith("fill") && !l.startsWith("postings")
                && l.contains(" ord=" + orderId + " ")).toList();
    }

    /** The last recorded line about {@code orderId} (its final state). */
    String lastOrderLine(long orderId) {
        List<String> l = orderLines(orderId);
        return l.isEmpty() ? null : l.get(l.size() - 1);
    }

    /** Lines of the last executed command (same engine sequence number). */
    List<String> linesOfLastCommand() {
        String tag = "seq=" + cmd.sequence() + " ";
        return rec.lines().stream().filter(l -> l.contains(tag)).toList();
    }

    /**
     * Everything a rejected command must leave alone, as text: every account's balances, both sides of
     * every book with each level's FIFO, the book sequence, the symbol state, the reference and last
     * trade price, the id counters and the number of live orders.
     */
    String snapshot() {
        StringBuilder sb = new StringBuilder();
        TreeMap<Long, String> rows = new TreeMap<>();
        balances.forEach((acct, row) -> rows.put(acct, java.util.Arrays.toString(row)));
        rows.forEach((a, r) -> sb.append("acct ").append(a).append(' ').append(r).append('\n'));
        for (int s = 0; s < engine.symbolCount(); s++) {
            OrderBook b = engine.book(s);
            sb.append("sym ").append(s).append(" state=").append(engine.symbolState(s)).append(" bookSeq=")
                    .append(b.seqId()).append(" ref=").append(engine.referencePrice(s)).append(" last=")
                    .append(engine.lastTradePrice(s)).append('\n');
            for (Side side : Side.values()) {
                int n = b.levelCount(side);
                long[] p = new long[n];
                long[] z = new long[n];
                int[] c = new int[n];
                b.depth(side, n, p, z, c);
                for (int i = 0; i < n; i++) {
                    sb.append("  ").append(side).append(' ').append(p[i]).append(' ').append(z[i]).append(' ')
                            .append(c[i]).append(' ').append(java.util.Arrays.toString(b.queueAt(side, p[i])));
                    for (long id : b.queueAt(side, p[i])) {
                        OrderView o = engine.liveOrder(id);
                        sb.append(" {").append(o.orderId()).append(' ').append(o.size()).append(' ')
                                .append(o.filledSize()).append(' ').append(o.remainingSize()).append(' ')
                                .append(o.held()).append(' ').append(o.state()).append('}');
                    }
                    sb.append('\n');
                }
            }
        }
        sb.append("lastOrderId=").append(engine.lastOrderId()).append(" lastTradeId=").append(engine.lastTradeId())
                .append(" live=").append(engine.liveOrderCount()).append('\n');
        return sb.toString();
    }

    /** Sum of available + held over all accounts, per asset. */
    long[] totals() {
        return new long[]{balances.total(B), balances.total(Q), balances.total(E)};
    }

    /** Asserts that the book level at {@code price} holds {@code size} in {@code orders} orders. */
    void assertLevel(Side side, String price, String size, int orders) {
        assertEquals(size == null ? 0 : sz(size), book().sizeAt(side, px(price)), side + " size at " + price);
        assertEquals(orders, book().ordersAt(side, px(price)), side + " orders at " + price);
    }

    /**
     * Runs {@code command} (which must go through {@link #cmd}) and asserts that it was rejected with
     * {@code reason} and OKX {@code code}, that nothing in the engine or the balances changed, and that
     * the only event was the exact "rejected" line.
     */
    static void assertRejectedUntouched(TestMarket m, RejectReason reason, String code, Runnable command) {
        String before = m.snapshot();
        int lines = m.rec.lines().size();
        command.run();
        assertEquals(reason, m.cmd.rejectReason());
        assertEquals(code, reason.okxCode());
        assertEquals(before, m.snapshot());
        assertEquals(lines + 1, m.rec.lines().size(), m.rec.lines()::toString);
        assertEquals("rejected seq=" + m.cmd.sequence() + " " + m.cmd.type() + " user=" + m.cmd.userId() + " reason="
                + reason + " code=" + code, m.rec.lines().get(lines));
    }
}
