package dev.bourse.matching;

import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bourse.matching.TestMarket.*;
import static org.junit.jupiter.api.Assertions.*;

class BookEventsTest {

    @Test
    void restingOrdersReportTheNewAggregate() {
        TestMarket m = new TestMarket();
        assertEquals(0, m.book().seqId());
        m.buy(U1, "100", "1");
        m.buy(U2, "100", "0.5");
        m.sell(U3, "101", "0.25");
        assertEquals(List.of(
                "level seq=1 sym=0 BUY px=1000 sz=100000000 n=1 bookSeq=1",
                "level seq=2 sym=0 BUY px=1000 sz=150000000 n=2 bookSeq=2",
                "level seq=3 sym=0 SELL px=1010 sz=25000000 n=1 bookSeq=3"), m.rec.linesStartingWith("level"));
        assertEquals(3, m.book().seqId());
    }

    @Test
    void aLevelThatDisappearsIsReportedWithSizeZero() {
        TestMarket m = new TestMarket();
        long a = m.buy(U1, "100", "1");
        long b = m.buy(U2, "100", "0.5");
        m.rec.clear();
        m.cancel(U1, a);
        m.cancel(U2, b);
        assertEquals(List.of(
                "level seq=3 sym=0 BUY px=1000 sz=50000000 n=1 bookSeq=3",
                "level seq=4 sym=0 BUY px=1000 sz=0 n=0 bookSeq=4"), m.rec.linesStartingWith("level"));
        assertEquals(0, m.book().levelCount(Side.BUY));
    }

    @Test
    void oneIncrementPerCommandHoweverManyLevelsChange() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "0.5");
        m.sell(U3, "101", "0.5");
        m.rec.clear();
        m.buy(U1, "102", "1.5");
        assertEquals(List.of(
                "level seq=3 sym=0 SELL px=1000 sz=0 n=0 bookSeq=3",
                "level seq=3 sym=0 SELL px=1010 sz=0 n=0 bookSeq=3",
                "level seq=3 sym=0 BUY px=1020 sz=50000000 n=1 bookSeq=3"), m.rec.linesStartingWith("level"));
        assertEquals(3, m.book().seqId());
    }

    @Test
    void stpCancelAndFillInOneCommandCountOnce() {
        TestMarket m = new TestMarket();
        m.sell(U1, "100", "0.5");
        m.sell(U2, "100", "0.5");
        m.rec.clear();
        m.accept(U1, Side.BUY, OrderType.LIMIT, "100", "0.2", StpMode.CANCEL_MAKER);
        assertEquals(List.of(
                "level seq=3 sym=0 SELL px=1000 sz=50000000 n=1 bookSeq=3",
                "level seq=3 sym=0 SELL px=1000 sz=30000000 n=1 bookSeq=3"), m.rec.linesStartingWith("level"));
    }

    @Test
    void partialFillOfAMakerReportsTheRemainingAggregate() {
        TestMarket m = new TestMarket();
        m.sell(U2, "100", "1");
        m.sell(U3, "100", "2");
        m.rec.clear();
        m.buy(U1, "100", "1.25");
        // first maker filled (3 -> 2 BTC, 1 order), second partly (2 -> 1.75 BTC)
        assertEquals(List.of(
                "level seq=3 sym=0 SELL px=1000 sz=200000000 n=1 bookSeq=3",
                "level seq=3 sym=0 SELL px=1000 sz=175000000 n=1 bookSeq=3"), m.rec.linesStartingWith("level"));
    }

    @Test
    void amendsReportTheirLevels() {
        TestMarket m = new TestMarket();
        long a = m.buy(U1, "100", "1");
        m.buy(U2, "100", "1");
        m.rec.clear();
        m.amend(U1, a, "0.4", null);
        m.amend(U1, a, null, "99");
        assertEquals(List.of(
                "level seq=3 sym=0 BUY px=1000 sz=140000000 n=2 bookSeq=3",
                "level seq=4 sym=0 BUY px=1000 sz=100000000 n=1 bookSeq=4",
                "level seq=4 sym=0 BUY px=990 sz=40000000 n=1 bookSeq=4"), m.rec.linesStartingWith("level"));
    }

    @Test
    void commandsThatDoNotChangeTheBookDoNotMoveTheSequence() {
        TestMarket m = new TestMarket(b -> b.bandBps(1_000).referencePrice("100"));
        long bid = m.buy(U1, "99", "1");
        long ask = m.sell(U2, "101", "1");
        long seqId = m.book().seqId();
        assertEquals(2, seqId);
        m.rec.clear();

        assertEquals(RejectReason.PRICE_OUT_OF_BAND, m.place(U3, Side.BUY, OrderType.LIMIT, "200", "1"));
        assertNull(m.place(U3, Side.BUY, OrderType.IOC, "100", "1")); // crosses nothing
        assertEquals(RejectReason.FOK_NOT_FILLABLE, m.place(U3, Side.BUY, OrderType.FOK, "101", "2"));
        assertNull(m.marketQuote(U3, Side.BUY, "0.0001")); // less than one lot
        assertEquals(RejectReason.POST_ONLY_WOULD_TAKE, m.place(U3, Side.BUY, OrderType.POST_ONLY, "101", "1"));
        assertEquals(RejectReason.CANCEL_ORDER_NOT_FOUND, m.cancel(U3, bid));
        assertNull(m.massCancel(U3, -1));
        assertNull(m.setState(SymbolState.CANCEL_ONLY));
        assertNull(m.setState(SymbolState.TRADING));
        // an amend that changes nothing on the book: same size, same price
        assertNull(m.amend(U2, ask, "1", null));
        assertNull(m.amend(U2, ask, "1", "101"));

        assertEquals(seqId, m.book().seqId());
        assertEquals(List.of(), m.rec.linesStartingWith("level"));
        // the next real change continues the sequence by one
        m.cancel(U1, bid);
        assertEquals(seqId + 1, m.book().seqId());
        assertEquals("level seq=" + m.cmd.sequence() + " sym=0 BUY px=990 sz=0 n=0 bookSeq=3",
                m.rec.linesStartingWith("level").get(0));
    }

    @Test
    void eachSymbolHasItsOwnSequence() {
        TestMarket m = new TestMarket();
        int eth = m.engine.addInstrument(Instrument.builder("ETH-USDT", ETH, USDT).tickSize("0.01").lotSize("0.0001")
                .minSize("0.0001").maxSize("1000").build());
        m.balances.deposit(U1, E, 1_000_000_000L);
        m.buy(U1, "100", "1");
        m.buy(U1, "99", "1");
        assertNull(m.engine.execute(m.cmd.place(U1, eth, Side.SELL, OrderType.LIMIT, 200_000, 100_000_000, null, null, 1)));
        assertEquals(2, m.book().seqId());
        assertEquals(1, m.engine.book(eth).seqId());
        assertEquals("level seq=3 sym=1 SELL px=200000 sz=100000000 n=1 bookSeq=1", m.rec.linesStartingWith("level").get(2));
        // a mass cancel over both symbols moves each once
        m.rec.clear();
        assertNull(m.massCancel(U1, -1));
        assertEquals(3, m.book().seqId());
        assertEquals(2, m.engine.book(eth).seqId());
        assertEquals(3, m.rec.linesStartingWith("level").size());
    }
}
