package dev.bourse.matching;

import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.bourse.matching.TestMarket.*;
import static org.junit.jupiter.api.Assertions.*;

class FeesTest {

    /** Maker 0.02 %, taker 0.05 %. */
    private static TestMarket withFees() {
        return new TestMarket(b -> b.fees("0.0002", "0.0005"));
    }

    /** Maker rebate 0.01 %, taker 0.05 %. */
    private static TestMarket withRebate() {
        return new TestMarket(b -> b.fees("-0.0001", "0.0005"));
    }

    @Test
    void buyingTakerPaysInBaseSellingMakerPaysInQuote() {
        TestMarket m = withFees();
        long maker = m.sell(U2, "100", "1");
        long taker = m.buy(U1, "100", "1");

        // taker receives 1 BTC, pays 1 x 0.0005 = 0.0005 BTC; maker receives 100 USDT, pays 100 x 0.0002 = 0.02
        String fill = m.rec.linesStartingWith("fill").get(0);
        assertTrue(fill.contains(" takerFee=50000@0 makerFee=20000@1 "), fill);
        assertEquals("postings seq=2 FILL ord=" + taker + " trade=1 2/HELD/0=-100000000 1/AVAILABLE/0=99950000"
                + " 0/AVAILABLE/0=50000 1/HELD/1=-100000000 2/AVAILABLE/1=99980000 0/AVAILABLE/1=20000",
                m.rec.linesStartingWith("postings").get(2));
        assertEquals(btc("10.9995"), m.avail(U1, B));
        assertEquals(usdt("99900"), m.avail(U1, Q));
        assertEquals(usdt("100099.98"), m.avail(U2, Q));
        assertEquals(btc("9"), m.avail(U2, B));
        assertEquals(btc("0.0005"), m.avail(FEES, B));
        assertEquals(usdt("0.02"), m.avail(FEES, Q));
        assertTrue(m.lastOrderLine(taker).contains(" fee=50000 state=FILLED"), m.lastOrderLine(taker));
        assertTrue(m.lastOrderLine(maker).contains(" fee=20000 state=FILLED"), m.lastOrderLine(maker));
    }

    @Test
    void sellingTakerPaysInQuoteBuyingMakerPaysInBase() {
        TestMarket m = withFees();
        m.buy(U1, "100", "1");
        m.sell(U2, "100", "1");
        // taker: 100 x 0.0005 = 0.05 USDT; maker: 1 x 0.0002 = 0.0002 BTC
        assertTrue(m.rec.linesStartingWith("fill").get(0).contains(" takerFee=50000@1 makerFee=20000@0 "));
        assertEquals(usdt("100099.95"), m.avail(U2, Q));
        assertEquals(btc("10.9998"), m.avail(U1, B));
        assertEquals(usdt("0.05"), m.avail(FEES, Q));
        assertEquals(btc("0.0002"), m.avail(FEES, B));
    }

    @Test
    void feesRoundUp() {
        TestMarket m = withFees();
        m.sell(U2, "100", "0.00003");
        m.buy(U1, "100", "0.00003");
        // taker: 3000 sat x 0.0005 = 1.5 sat -> 2; maker: 0.003 USDT = 3000 micro x 0.0002 = 0.6 -> 1
        assertTrue(m.rec.linesStartingWith("fill").get(0).contains(" takerFee=2@0 makerFee=1@1 "),
                m.rec.linesStartingWith("fill").get(0));
        assertEquals(btc("10") + 3_000 - 2, m.avail(U1, B));
        assertEquals(usdt("100000") + 3_000 - 1, m.avail(U2, Q));
    }

    @Test
    void feesAccumulateOnTheOrderOverSeveralFills() {
        TestMarket m = withFees();
        m.sell(U2, "100", "0.00003");
        m.sell(U3, "100", "0.00003");
        long taker = m.buy(U1, "100", "0.00006");
        // each fill rounds up on its own: 2 + 2 = 4 sat (not ceil(6000 x 0.0005) = 3)
        assertTrue(m.lastOrderLine(taker).contains(" fee=4 state=FILLED"), m.lastOrderLine(taker));
        assertEquals(4, m.avail(FEES, B));
    }

    @Test
    void quoteBudgetBuyPaysItsFeeInBase() {
        TestMarket m = withFees();
        m.sell(U2, "100", "1");
        assertNull(m.marketQuote(U1, Side.BUY, "50"));
        // 50 USDT buys 0.5 BTC; fee 0.5 x 0.0005 = 0.00025 BTC
        assertEquals(btc("10.49975"), m.avail(U1, B));
        assertEquals(usdt("99950"), m.avail(U1, Q));
    }

    @Test
    void makerRebateIsPaidFromTheFeeAccount() {
        TestMarket m = withRebate();
        m.balances.deposit(FEES, Q, usdt("1"));
        long maker = m.sell(U2, "100", "1");
        long taker = m.buy(U1, "100", "1");
        // maker gets 100 x 0.0001 = 0.01 USDT on top; the taker pays 0.0005 BTC
        String fill = m.rec.linesStartingWith("fill").get(0);
        assertTrue(fill.contains(" takerFee=50000@0 makerFee=-10000@1 "), fill);
        assertEquals("postings seq=2 FILL ord=" + taker + " trade=1 2/HELD/0=-100000000 1/AVAILABLE/0=99950000"
                + " 0/AVAILABLE/0=50000 1/HELD/1=-100000000 2/AVAILABLE/1=100010000 0/AVAILABLE/1=-10000",
                m.rec.linesStartingWith("postings").get(2));
        assertEquals(usdt("100100.01"), m.avail(U2, Q));
        assertEquals(usdt("0.99"), m.avail(FEES, Q));
        assertEquals(btc("0.0005"), m.avail(FEES, B));
        assertTrue(m.lastOrderLine(maker).contains(" fee=-10000 state=FILLED"), m.lastOrderLine(maker));
    }

    @Test
    void makerRebateToABuyerIsPaidInBase() {
        TestMarket m = withRebate();
        m.balances.deposit(FEES, B, btc("1"));
        m.buy(U1, "100", "1");
        m.sell(U2, "100", "1");
        // maker (buyer) gets 1 x 0.0001 = 0.0001 BTC extra; the selling taker pays 100 x 0.0005 = 0.05 USDT
        assertTrue(m.rec.linesStartingWith("fill").get(0).contains(" takerFee=50000@1 makerFee=-10000@0 "));
        assertEquals(btc("11.0001"), m.avail(U1, B));
        assertEquals(btc("0.9999"), m.avail(FEES, B));
        assertEquals(usdt("0.05"), m.avail(FEES, Q));
        assertEquals(usdt("100099.95"), m.avail(U2, Q));
    }

    @Test
    void rebatesRoundDown() {
        TestMarket m = withRebate();
        m.balances.deposit(FEES, Q, usdt("1"));
        m.sell(U2, "153", "0.0001");
        m.buy(U1, "153", "0.0001");
        // 153 x 0.0001 = 0.0153 USDT = 15300 micro; rebate 1.53 -> 1; taker 10000 sat x 0.0005 = 5 sat
        assertTrue(m.rec.linesStartingWith("fill").get(0).contains(" quote=15300 ") && m.rec.linesStartingWith("fill")
                .get(0).contains(" takerFee=5@0 makerFee=-1@1 "), m.rec.linesStartingWith("fill").get(0));
        assertEquals(usdt("100000") + 15_301, m.avail(U2, Q));
        assertEquals(usdt("1") - 1, m.avail(FEES, Q));
    }

    @Test
    void rebateIsLimitedToWhatTheFeeAccountHolds() {
        TestMarket m = withRebate();
        m.balances.deposit(FEES, Q, usdt("0.005"));
        m.sell(U2, "100", "2");
        m.buy(U1, "100", "1");
        // 0.01 USDT earned, only 0.005 available
        assertTrue(m.rec.linesStartingWith("fill").get(0).contains(" makerFee=-5000@1 "));
        assertEquals(0, m.avail(FEES, Q));
        assertEquals(usdt("100100.005"), m.avail(U2, Q));
        // the fee account has no USDT left (its taker fees came in BTC): no rebate at all now
        m.buy(U3, "100", "1");
        assertTrue(m.rec.linesStartingWith("fill").get(1).contains(" makerFee=0@1 "), m.rec.linesStartingWith("fill").get(1));
        assertEquals(usdt("100200.005"), m.avail(U2, Q));
        assertEquals(0, m.avail(FEES, Q));
        assertEquals(0, m.held(FEES, Q));
    }

    @Test
    void unfundedFeeAccountPaysNoRebate() {
        TestMarket m = withRebate();
        m.sell(U2, "100", "1");
        m.buy(U1, "100", "1");
        assertTrue(m.rec.linesStartingWith("fill").get(0).contains(" makerFee=0@1 "));
        assertEquals(usdt("100100"), m.avail(U2, Q));
    }

    @Test
    void everyPostingSetIsBalancedAndEveryAssetIsConserved() {
        TestMarket m = new TestMarket(b -> b.fees("-0.0001", "0.0007").bandBps(2_000).referencePrice("100"));
        m.balances.deposit(FEES, Q, usdt("0.03"));
        m.balances.deposit(FEES, B, btc("0.0002"));
        long[] start = m.totals();

        // a mixed session: resting orders, sweeps, rebates, partial fills, amends, STP, market orders, cancels
        m.sell(U2, "100", "0.37");
        m.sell(U3, "100.3", "0.81");
        m.sell(U2, "101.7", "1.33");
        m.buy(U4, "99.1", "0.5");
        m.buy(U3, "98.7", "2");
        m.buy(U1, "101", "0.9");
        m.accept(U2, Side.SELL, OrderType.IOC, "98.9", "0.77", null);
        m.marketQuote(U4, Side.BUY, "123.456789");
        long bid = m.buy(U1, "99", "0.33333");
        m.amend(U1, bid, "0.5", "99.5");
        m.accept(U3, Side.SELL, OrderType.LIMIT, "99.5", "0.1", StpMode.CANCEL_BOTH);
        m.place(U1, Side.SELL, OrderType.MARKET, null, "1.2");
        m.place(U4, Side.BUY, OrderType.MARKET, null, "0.4");
        m.massCancel(U3, -1);
        m.massCancel(U2, m.sym);

        assertTrue(m.rec.linesStartingWith("fill").size() >= 8, "the session should trade a lot");
        for (EventRecorder.PostingSnapshot p : m.rec.postingSets()) {
            assertTrue(p.balanced(), () -> "unbalanced: " + Arrays.toString(p.amounts()));
        }
        assertArrayEquals(start, m.totals());
        m.balances.forEach((acct, row) -> {
            for (long v : row) {
                assertTrue(v >= 0, "negative balance in account " + acct);
            }
        });
        // every fee and rebate in the fill events ended up in the fee account
        long feeB = btc("0.0002");
        long feeQ = usdt("0.03");
        for (String f : m.rec.linesStartingWith("fill")) {
            feeB += fee(f, "takerFee", 0) + fee(f, "makerFee", 0);
            feeQ += fee(f, "takerFee", 1) + fee(f, "makerFee", 1);
        }
        assertEquals(feeB, m.avail(FEES, B));
        assertEquals(feeQ, m.avail(FEES, Q));
        // nothing left is held once all orders are gone
        assertEquals(0, m.engine.liveOrderCount(U2) + m.engine.liveOrderCount(U3));
    }

    /** The fee named {@code name} of a recorded fill line if it is charged in {@code asset}, else 0. */
    private static long fee(String fillLine, String name, int asset) {
        int i = fillLine.indexOf(" " + name + "=") + name.length() + 2;
        String v = fillLine.substring(i, fillLine.indexOf(' ', i));
        String[] parts = v.split("@");
        return Integer.parseInt(parts[1]) == asset ? Long.parseLong(parts[0]) : 0;
    }
}
