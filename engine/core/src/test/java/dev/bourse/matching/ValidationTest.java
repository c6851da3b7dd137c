package dev.bourse.matching;

import dev.bourse.instrument.SymbolState;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.bourse.matching.TestMarket.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every {@link RejectReason} reached through {@link MatchingEngine#execute}, each checked for its OKX code
 * and for leaving balances, books, counters and the event stream unchanged apart from one "rejected" line.
 */
class ValidationTest {
    private static final long BROKE = 9; // an account without funds

    /**
     * BTC-USDT with tick 0.5, min size 0.001, a ±10 % band around 100, and a book: U2 bids 1 @ 99,
     * U3 asks 1 @ 101 (mid 100: band [90, 110]), U1 bids 0.5 @ 95 as "dup1", U4 has a post-only bid
     * 1 @ 98 (order 4).
     */
    private static TestMarket standard() {
        TestMarket m = new TestMarket(b -> b.tickSize("0.5").minSize("0.001").bandBps(1_000).referencePrice("100")
                .fees("0.0002", "0.0005"));
        m.buy(U2, "99", "1");
        m.sell(U3, "101", "1");
        assertNull(m.place(U1, Side.BUY, OrderType.LIMIT, "95", "0.5", "dup1", null));
        m.accept(U4, Side.BUY, OrderType.POST_ONLY, "98", "1", null);
        assertEquals(px("100"), m.engine.referencePrice(m.sym));
        return m;
    }

    /** The default fixture (tick 0.1, no band) with U2 bidding 1 @ 99 and U3 asking 1 @ 101. */
    private static TestMarket noBand() {
        TestMarket m = new TestMarket();
        m.buy(U2, "99", "1");
        m.sell(U3, "101", "1");
        return m;
    }

    private record Case(String name, RejectReason reason, Supplier<TestMarket> market,
                        Function<TestMarket, Command> command) {
    }

    private static Command place(TestMarket m, long user, Side side, OrderType type, long price, long size, String clOrdId,
                                 StpMode stp) {
        return m.cmd.place(user, m.sym, side, type, price, size, clOrdId, stp, m.clock);
    }

    private static Command limit(TestMarket m, long user, Side side, String price, String size) {
        return place(m, user, side, OrderType.LIMIT, px(price), sz(size), null, null);
    }

    private static Supplier<TestMarket> after(Supplier<TestMarket> base, SymbolState state) {
        return () -> {
            TestMarket m = base.get();
            assertNull(m.setState(state));
            return m;
        };
    }

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        Supplier<TestMarket> std = ValidationTest::standard;
        Supplier<TestMarket> free = ValidationTest::noBand;

        c.add(new Case("place on an unknown symbol", RejectReason.INSTRUMENT_NOT_FOUND, std,
                m -> m.cmd.place(U1, 9, Side.BUY, OrderType.LIMIT, px("100"), sz("1"), null, null, 1)));
        c.add(new Case("place on a negative symbol id", RejectReason.INSTRUMENT_NOT_FOUND, std,
                m -> m.cmd.place(U1, -1, Side.BUY, OrderType.LIMIT, px("100"), sz("1"), null, null, 1)));
        c.add(new Case("state change of an unknown symbol", RejectReason.INSTRUMENT_NOT_FOUND, std,
                m -> m.cmd.setSymbolState(3, SymbolState.HALTED, 1)));
        c.add(new Case("mass cancel on an unknown symbol", RejectReason.INSTRUMENT_NOT_FOUND, std,
                m -> m.cmd.massCancel(U1, 3, 1)));
        c.add(new Case("place while halted", RejectReason.SYMBOL_HALTED, after(std, SymbolState.HALTED),
                m -> limit(m, U1, Side.BUY, "99", "1")));
        c.add(new Case("amend while halted", RejectReason.SYMBOL_HALTED, after(std, SymbolState.HALTED),
                m -> m.cmd.amend(U2, m.sym, 1, null, sz("0.5"), 0, 1)));
        c.add(new Case("place while cancel-only", RejectReason.SYMBOL_CANCEL_ONLY, after(std, SymbolState.CANCEL_ONLY),
                m -> limit(m, U1, Side.SELL, "105", "1")));
        c.add(new Case("price change while cancel-only", RejectReason.SYMBOL_CANCEL_ONLY,
                after(std, SymbolState.CANCEL_ONLY), m -> m.cmd.amend(U2, m.sym, 1, null, 0, px("98.5"), 1)));
        c.add(new Case("no side", RejectReason.INVALID_SIDE, std,
                m -> place(m, U1, null, OrderType.LIMIT, px("99"), sz("1"), null, null)));
        c.add(new Case("no order type", RejectReason.INVALID_ORDER_TYPE, std,
                m -> place(m, U1, Side.BUY, null, px("99"), sz("1"), null, null)));
        c.add(new Case("zero size", RejectReason.INVALID_SIZE, std,
                m -> place(m, U1, Side.BUY, OrderType.LIMIT, px("99"), 0, null, null)));
        c.add(new Case("negative size", RejectReason.INVALID_SIZE, std,
                m -> place(m, U1, Side.BUY, OrderType.LIMIT, px("99"), -100_000, null, null)));
        c.add(new Case("zero quote budget", RejectReason.INVALID_SIZE, std,
                m -> place(m, U1, Side.BUY, OrderType.MARKET, 0, 0, null, null).targetCurrency(TargetCurrency.QUOTE_CCY)));
        c.add(new Case("negative amend size", RejectReason.INVALID_SIZE, std,
                m -> m.cmd.amend(U2, m.sym, 1, null, -100_000, 0, 1)));
        c.add(new Case("zero price", RejectReason.INVALID_PRICE, std,
                m -> place(m, U1, Side.BUY, OrderType.LIMIT, 0, sz("1"), null, null)));
        c.add(new Case("negative price", RejectReason.INVALID_PRICE, std,
                m -> place(m, U1, Side.SELL, OrderType.IOC, -5, sz("1"), null, null)));
        c.add(new Case("clOrdId with a dash", RejectReason.INVALID_CL_ORD_ID, std,
                m -> place(m, U1, Side.BUY, OrderType.LIMIT, px("99"), sz("1"), "bad-id", null)));
        c.add(new Case("empty clOrdId", RejectReason.INVALID_CL_ORD_ID, std,
                m -> place(m, U1, Side.BUY, OrderType.LIMIT, px("99"), sz("1"), "", null)));
        c.add(new Case("33-character clOrdId", RejectReason.INVALID_CL_ORD_ID, std,
                m -> place(m, U1, Side.BUY, OrderType.LIMIT, px("99"), sz("1"), "a".repeat(33), null)));
        c.add(new Case("quote_ccy market sell", RejectReason.INVALID_TGT_CCY, std,
                m -> place(m, U1, Side.SELL, OrderType.MARKET, 0, usdt("50"), null, null)
                        .targetCurrency(TargetCurrency.QUOTE_CCY)));
        c.add(new Case("quote_ccy limit buy", RejectReason.INVALID_TGT_CCY, std,
                m -> place(m, U1, Side.BUY, OrderType.LIMIT, px("99"), sz("1"), null, null)
                        .targetCurrency(TargetCurrency.QUOTE_CCY)));
        c.add(new Case("base-size market buy without band", RejectReason.MARKET_BUY_UNBOUNDED, free,
                m -> place(m, U1, Side.BUY, OrderType.MARKET, 0, sz("0.5"), null, null)));
        c.add(new Case("price off the 0.5 tick", RejectReason.PRICE_NOT_ON_TICK, std,
                m -> limit(m, U1, Side.BUY, "99.1", "1")));
        c.add(new Case("size off the lot", RejectReason.SIZE_NOT_ON_LOT, std,
                m -> limit(m, U1, Side.BUY, "99", "0.010015")));
        c.add(new Case("amend size off the lot", RejectReason.SIZE_NOT_ON_LOT, std,
                m -> m.cmd.amend(U2, m.sym, 1, null, 1_500, 0, 1)));
        c.add(new Case("size below the 0.001 minimum", RejectReason.SIZE_BELOW_MIN, std,
                m -> limit(m, U1, Side.BUY, "99", "0.0005")));
        c.add(new Case("size above the 1000 maximum", RejectReason.SIZE_ABOVE_MAX, std,
                m -> limit(m, U1, Side.SELL, "101", "1000.00001")));
        c.add(new Case("market size above the maximum", RejectReason.SIZE_ABOVE_MAX, std,
                m -> place(m, U1, Side.SELL, OrderType.MARKET, 0, sz("1000.001"), null, null)));
        // 10,000,000.0 is 1e8 price units; x 1000 BTC = 1e11 sat: 1e19 > 2^63
        c.add(new Case("buy whose quote amount overflows", RejectReason.AMOUNT_OVERFLOW, free,
                m -> limit(m, U1, Side.BUY, "10000000", "1000")));
        c.add(new Case("sell whose quote amount overflows", RejectReason.AMOUNT_OVERFLOW, free,
                m -> place(m, U1, Side.SELL, OrderType.LIMIT, Long.MAX_VALUE / 10, sz("1"), null, null)));
        c.add(new Case("amend whose quote amount overflows", RejectReason.AMOUNT_OVERFLOW, free,
                m -> m.cmd.amend(U2, m.sym, 1, null, sz("1000"), px("10000000"), 1)));
        c.add(new Case("amend of a sell whose quote amount overflows", RejectReason.AMOUNT_OVERFLOW, free,
                m -> m.cmd.amend(U3, m.sym, 2, null, 0, Long.MAX_VALUE / 10, 1)));
        c.add(new Case("buy above the band", RejectReason.PRICE_OUT_OF_BAND, std,
                m -> limit(m, U1, Side.BUY, "110.5", "1")));
        c.add(new Case("sell below the band", RejectReason.PRICE_OUT_OF_BAND, std,
                m -> limit(m, U1, Side.SELL, "89.5", "1")));
        c.add(new Case("post-only beyond the band", RejectReason.PRICE_OUT_OF_BAND, std,
                m -> place(m, U1, Side.SELL, OrderType.POST_ONLY, px("111"), sz("1"), null, null)));
        // U1 has 100000 USDT of which 47.5 are held: 1000 x 100 = 100000 is too much
        c.add(new Case("buy beyond the available quote", RejectReason.INSUFFICIENT_BALANCE, std,
                m -> limit(m, U1, Side.BUY, "100", "1000")));
        c.add(new Case("sell beyond the available base", RejectReason.INSUFFICIENT_BALANCE, std,
                m -> limit(m, U1, Side.SELL, "105", "10.001")));
        c.add(new Case("account without funds", RejectReason.INSUFFICIENT_BALANCE, std,
                m -> limit(m, BROKE, Side.BUY, "99", "0.001")));
        c.add(new Case("quote budget beyond the available quote", RejectReason.INSUFFICIENT_BALANCE, std,
                m -> place(m, U1, Side.BUY, OrderType.MARKET, 0, usdt("99952.500001"), null, null)
                        .targetCurrency(TargetCurrency.QUOTE_CCY)));
        // U1's 0.5 @ 95 bid (order 3) to 1000 @ 100.5 needs 100500 - 47.5 = 100452.5 more, 99952.5 are free
        c.add(new Case("amend increase beyond the available quote", RejectReason.INSUFFICIENT_BALANCE, std,
                m -> m.cmd.amend(U1, m.sym, 3, null, sz("1000"), px("100.5"), 1)));
        c.add(new Case("post-only that would take", RejectReason.POST_ONLY_WOULD_TAKE, std,
                m -> place(m, U1, Side.BUY, OrderType.POST_ONLY, px("101"), sz("1"), null, null)));
        c.add(new Case("fill-or-kill larger than the book", RejectReason.FOK_NOT_FILLABLE, std,
                m -> place(m, U1, Side.BUY, OrderType.FOK, px("101"), sz("1.001"), null, null)));
        c.add(new Case("fill-or-kill with cancel_both", RejectReason.STP_FOK_CANCEL_BOTH, std,
                m -> place(m, U1, Side.BUY, OrderType.FOK, px("101"), sz("0.5"), null, StpMode.CANCEL_BOTH)));
        c.add(new Case("duplicate live clOrdId", RejectReason.DUPLICATE_CL_ORD_ID, std,
                m -> place(m, U1, Side.SELL, OrderType.LIMIT, px("105"), sz("1"), "dup1", null)));
        c.add(new Case("cancel without ids", RejectReason.ORDER_ID_REQUIRED, std,
                m -> m.cmd.cancel(U1, m.sym, 0, null, 1)));
        c.add(new Case("amend without ids", RejectReason.ORDER_ID_REQUIRED, std,
                m -> m.cmd.amend(U1, m.sym, 0, null, sz("1"), 0, 1)));
        c.add(new Case("cancel of another user's order", RejectReason.CANCEL_ORDER_NOT_FOUND, std,
                m -> m.cmd.cancel(U1, m.sym, 1, null, 1)));
        c.add(new Case("amend of an unknown order", RejectReason.AMEND_ORDER_NOT_FOUND, std,
                m -> m.cmd.amend(U1, m.sym, 77, null, sz("1"), 0, 1)));
        c.add(new Case("amend of nothing", RejectReason.AMEND_NOTHING, std,
                m -> m.cmd.amend(U2, m.sym, 1, null, 0, 0, 1)));
        c.add(new Case("post-only amend that would take", RejectReason.AMEND_POST_ONLY_WOULD_TAKE, std,
                m -> m.cmd.amend(U4, m.sym, 4, null, 0, px("101"), 1)));
        c.add(new Case("state change to nothing", RejectReason.INVALID_STATE, std,
                m -> m.cmd.setSymbolState(m.sym, null, 1)));
        c.add(new Case("command without a type", RejectReason.UNKNOWN_COMMAND, std, m -> new Command()));
        return c;
    }

    @TestFactory
    List<DynamicTest> everyRejectionChangesNothingButTheEventStream() {
        return cases().stream().map(k -> DynamicTest.dynamicTest(k.name() + " -> " + k.reason(), () -> {
            TestMarket m = k.market().get();
            String before = m.snapshot();
            int lines = m.rec.lines().size();
            long seq = m.engine.lastSequence();
            Command c = k.command().apply(m);

            RejectReason r = m.engine.execute(c);

            assertEquals(k.reason(), r);
            assertEquals(k.reason(), c.rejectReason());
            assertEquals(seq + 1, c.sequence(), "a rejected command still takes a sequence number");
            assertEquals(seq + 1, m.engine.lastSequence());
            if (c.type() == CommandType.PLACE) {
                assertEquals(0, c.resultOrderId());
            }
            assertEquals(before, m.snapshot());
            assertEquals(lines + 1, m.rec.lines().size(), () -> m.rec.lines().subList(lines, m.rec.lines().size()).toString());
            assertEquals("rejected seq=" + (seq + 1) + " " + c.type() + " user=" + c.userId() + " reason=" + k.reason()
                    + " code=" + k.reason().okxCode(), m.rec.lines().get(lines));
        })).toList();
    }

    @Test
    void everyRejectReasonIsCovered() {
        Set<RejectReason> covered = EnumSet.noneOf(RejectReason.class);
        cases().forEach(k -> covered.add(k.reason()));
        assertEquals(EnumSet.allOf(RejectReason.class), covered);
    }

    @Test
    void okxCodes() {
        Map<RejectReason, String> expected = new EnumMap<>(RejectReason.class);
        expected.put(RejectReason.INSTRUMENT_NOT_FOUND, "51001");
        expected.put(RejectReason.SYMBOL_HALTED, "50033");
        expected.put(RejectReason.SYMBOL_CANCEL_ONLY, "51056");
        expected.put(RejectReason.INVALID_SIDE, "51000");
        expected.put(RejectReason.INVALID_ORDER_TYPE, "51000");
        expected.put(RejectReason.INVALID_SIZE, "51000");
        expected.put(RejectReason.INVALID_PRICE, "51000");
        expected.put(RejectReason.INVALID_CL_ORD_ID, "51000");
        expected.put(RejectReason.INVALID_TGT_CCY, "51000");
        expected.put(RejectReason.MARKET_BUY_UNBOUNDED, "51000");
        expected.put(RejectReason.PRICE_NOT_ON_TICK, "51150");
        expected.put(RejectReason.SIZE_NOT_ON_LOT, "51121");
        expected.put(RejectReason.SIZE_BELOW_MIN, "51020");
        expected.put(RejectReason.SIZE_ABOVE_MAX, "51203");
        expected.put(RejectReason.AMOUNT_OVERFLOW, "51202");
        expected.put(RejectReason.PRICE_OUT_OF_BAND, "51006");
        expected.put(RejectReason.INSUFFICIENT_BALANCE, "51008");
        expected.put(RejectReason.POST_ONLY_WOULD_TAKE, "51511");
        expected.put(RejectReason.FOK_NOT_FILLABLE, "51140");
        expected.put(RejectReason.STP_FOK_CANCEL_BOTH, "54036");
        expected.put(RejectReason.DUPLICATE_CL_ORD_ID, "51016");
        expected.put(RejectReason.ORDER_ID_REQUIRED, "51407");
        expected.put(RejectReason.CANCEL_ORDER_NOT_FOUND, "51400");
        expected.put(RejectReason.AMEND_ORDER_NOT_FOUND, "51503");
        expected.put(RejectReason.AMEND_NOTHING, "51500");
        expected.put(RejectReason.AMEND_POST_ONLY_WOULD_TAKE, "51511");
        expected.put(RejectReason.INVALID_STATE, "51000");
        expected.put(RejectReason.UNKNOWN_COMMAND, "51000");
        for (RejectReason r : RejectReason.values()) {
            assertEquals(expected.get(r), r.okxCode(), r.name());
            assertFalse(r.message().isBlank(), r.name());
        }
    }

    @Test
    void validClientOrderIdsAreAccepted() {
        TestMarket m = standard();
        assertNull(m.place(U1, Side.BUY, OrderType.LIMIT, "90", "0.001", "a", null));
        assertNull(m.place(U1, Side.BUY, OrderType.LIMIT, "90", "0.001", "Z".repeat(32), null));
        assertNull(m.place(U1, Side.BUY, OrderType.LIMIT, "90", "0.001", "Ab09zZ", null));
        // another user may use the same client id
        assertNull(m.place(U2, Side.BUY, OrderType.LIMIT, "90", "0.001", "dup1", null));
    }

    @Test
    void clientOrderIdOfAFinishedOrderMayBeReused() {
        TestMarket m = standard();
        assertNull(m.place(U1, Side.BUY, OrderType.IOC, "90", "0.001", "once", null)); // canceled at once
        assertNull(m.place(U1, Side.BUY, OrderType.LIMIT, "90", "0.001", "once", null));
        assertEquals(RejectReason.DUPLICATE_CL_ORD_ID, m.place(U1, Side.BUY, OrderType.LIMIT, "90", "0.001", "once", null));
    }

    @Test
    void boundaryValuesAreAccepted() {
        TestMarket m = standard();
        // band edges 90 and 110 themselves, the minimum and maximum sizes
        assertNull(m.place(U1, Side.BUY, OrderType.LIMIT, "90", "0.001", null, null));
        assertNull(m.place(U2, Side.SELL, OrderType.LIMIT, "110", "1", null, null));
        m.balances.deposit(U4, B, btc("1000"));
        assertNull(m.place(U4, Side.SELL, OrderType.LIMIT, "110", "1000", null, null));
    }

    @Test
    void overflowGuardKeepsQuoteBudgetBuysSafe() {
        // an ask whose one-lot value cannot be represented must never reach the book: a quote-budget
        // market buy sizes its fills with price x lot
        TestMarket m = noBand();
        assertEquals(RejectReason.AMOUNT_OVERFLOW,
                m.engine.execute(place(m, U1, Side.SELL, OrderType.LIMIT, Long.MAX_VALUE - 7, sz("0.00001"), null, null)));
        // buys U3's 1 BTC at 101 and finds nothing else
        assertNull(m.marketQuote(U4, Side.BUY, "1000"));
        String last = m.lastOrderLine(m.lastId());
        assertTrue(last.startsWith("canceled seq=4 reason=MARKET_REMAINDER ") && last.contains(" filled=100000000 "), last);
        assertEquals(usdt("99899"), m.avail(U4, Q));
    }
}
