package dev.bourse.matching;

import dev.bourse.funds.InMemoryBalances;
import dev.bourse.instrument.SymbolState;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static dev.bourse.matching.TestMarket.*;
import static org.junit.jupiter.api.Assertions.*;

class DeterminismTest {

    /** A market with every feature switched on: band, breaker, fees with a rebate, a funded fee account. */
    private static TestMarket market() {
        TestMarket m = new TestMarket(b -> b.bandBps(1_500).referencePrice("100").breaker(800, 10_000)
                .fees("-0.0001", "0.0006"));
        m.balances.deposit(FEES, Q, usdt("0.5"));
        return m;
    }

    /**
     * A fixed session covering every command type and most paths (fills, STP modes, IOC/FOK/post-only,
     * market orders both ways, amends up/down/price, cancels by both ids, mass cancel, a breaker trip,
     * a resume, rejections). Builds each command with {@code next}.
     */
    private static List<Command> session(int sym, Supplier<Command> next) {
        List<Command> cs = new ArrayList<>();
        long t = 1_000;
        cs.add(next.get().place(U2, sym, Side.SELL, OrderType.LIMIT, 1_000, 37_000_000, "s1", null, t++));
        cs.add(next.get().place(U3, sym, Side.SELL, OrderType.LIMIT, 1_003, 81_000_000, null, null, t++));
        cs.add(next.get().place(U2, sym, Side.SELL, OrderType.POST_ONLY, 1_017, 133_000_000, null, null, t++));
        cs.add(next.get().place(U4, sym, Side.BUY, OrderType.LIMIT, 991, 50_000_000, "b1", null, t++));
        cs.add(next.get().place(U3, sym, Side.BUY, OrderType.LIMIT, 987, 200_000_000, null, null, t++));
        cs.add(next.get().place(U1, sym, Side.BUY, OrderType.LIMIT, 1_010, 90_000_000, null, StpMode.CANCEL_TAKER, t++));
        cs.add(next.get().place(U2, sym, Side.SELL, OrderType.IOC, 989, 77_000_000, null, null, t++));
        cs.add(next.get().place(U4, sym, Side.BUY, OrderType.MARKET, 0, 123_456_789, null, null, t++)
                .targetCurrency(TargetCurrency.QUOTE_CCY));
        cs.add(next.get().place(U1, sym, Side.BUY, OrderType.LIMIT, 990, 33_333_000, "x9", null, t++));
        cs.add(next.get().amend(U1, sym, 0, "x9", 50_000_000, 995, t++));
        cs.add(next.get().amend(U4, sym, 0, "b1", 20_000_000, 0, t++));
        cs.add(next.get().place(U3, sym, Side.SELL, OrderType.LIMIT, 995, 10_000_000, null, StpMode.CANCEL_BOTH, t++));
        cs.add(next.get().place(U1, sym, Side.SELL, OrderType.MARKET, 0, 120_000_000, null, null, t++));
        cs.add(next.get().place(U4, sym, Side.BUY, OrderType.FOK, 1_100, 500_000_000, null, null, t++)); // rejected
        cs.add(next.get().place(U4, sym, Side.BUY, OrderType.MARKET, 0, 40_000_000, null, null, t++));
        cs.add(next.get().place(U2, sym, Side.SELL, OrderType.LIMIT, 1_040, 100_000_000, null, null, t++));
        cs.add(next.get().place(U3, sym, Side.SELL, OrderType.LIMIT, 1_100, 100_000_000, null, null, t++));
        cs.add(next.get().place(U1, sym, Side.BUY, OrderType.LIMIT, 1_100, 300_000_000, null, null, t++)); // trips
        cs.add(next.get().place(U1, sym, Side.BUY, OrderType.LIMIT, 900, 100_000, null, null, t++)); // halted
        cs.add(next.get().cancel(U2, sym, 0, "s1", t++));
        cs.add(next.get().setSymbolState(sym, SymbolState.TRADING, t++));
        cs.add(next.get().place(U1, sym, Side.BUY, OrderType.LIMIT, 1_100, 50_000_000, null, null, t++));
        cs.add(next.get().massCancel(U3, -1, t++));
        cs.add(next.get().massCancel(U2, sym, t++));
        cs.add(new Command()); // rejected: no type
        return cs;
    }

    private static TestMarket run(Supplier<Command> next) {
        TestMarket m = market();
        for (Command c : session(m.sym, next)) {
            m.engine.execute(c);
        }
        return m;
    }

    @Test
    void twoEnginesFedTheSameCommandsProduceIdenticalTranscripts() {
        TestMarket a = run(Command::new);
        TestMarket b = run(Command::new);
        assertEquals(a.rec.transcript(), b.rec.transcript());
        assertEquals(a.snapshot(), b.snapshot());
        // the session really exercises the engine
        assertTrue(a.rec.linesStartingWith("fill").size() >= 8, a.rec.transcript());
        assertTrue(a.rec.lines().stream().anyMatch(l -> l.contains("reason=CIRCUIT_BREAKER")), "breaker not exercised");
        assertTrue(a.rec.lines().stream().anyMatch(l -> l.startsWith("rejected")), "no rejection exercised");
        assertTrue(a.rec.lines().stream().anyMatch(l -> l.startsWith("amended")), "no amend exercised");
        assertTrue(a.rec.lines().stream().anyMatch(l -> l.contains("reason=SELF_TRADE_PREVENTION")), "no STP exercised");
    }

    @Test
    void reusingOneCommandInstanceGivesTheSameTranscript() {
        TestMarket fresh = run(Command::new);
        TestMarket reused = market();
        Command shared = new Command();
        for (Command c : session(reused.sym, Command::new)) {
            reused.engine.execute(copyInto(shared, c));
        }
        assertEquals(fresh.rec.transcript(), reused.rec.transcript());
        assertEquals(fresh.snapshot(), reused.snapshot());
    }

    /** Re-fills {@code target} with the same instruction as {@code src} through the public builders. */
    private static Command copyInto(Command target, Command src) {
        if (src.type() == null) {
            return src; // nothing to copy: a command without a type
        }
        return switch (src.type()) {
            case PLACE -> target.place(src.userId(), src.symbolId(), src.side(), src.orderType(), src.price(), src.size(),
                    src.clOrdId(), src.stpMode(), src.timestamp()).targetCurrency(src.targetCurrency());
            case CANCEL -> target.cancel(src.userId(), src.symbolId(), src.orderId(), src.clOrdId(), src.timestamp());
            case AMEND -> target.amend(src.userId(), src.symbolId(), src.orderId(), src.clOrdId(), src.newSize(),
                    src.newPrice(), src.timestamp());
            case MASS_CANCEL -> target.massCancel(src.userId(), src.symbolId(), src.timestamp());
            case SET_SYMBOL_STATE -> target.setSymbolState(src.symbolId(), src.targetState(), src.timestamp());
        };
    }

    @Test
    void aDifferentSessionGivesADifferentTranscript() {
        TestMarket a = run(Command::new);
        TestMarket b = market();
        List<Command> script = session(b.sym, Command::new);
        script.set(0, new Command().place(U2, b.sym, Side.SELL, OrderType.LIMIT, 1_001, 37_000_000, "s1", null, 1_000));
        for (Command c : script) {
            b.engine.execute(c);
        }
        assertNotEquals(a.rec.transcript(), b.rec.transcript());
    }

    @Test
    void recoveredCountersContinueWhereTheShardLeftOff() {
        InMemoryBalances bal = new InMemoryBalances(3);
        bal.deposit(U1, Q, usdt("1000"));
        bal.deposit(U2, B, btc("1"));
        EventRecorder rec = new EventRecorder();
        MatchingEngine e = new MatchingEngine(bal, rec, 77, 100, 500, 70);
        int s = e.addInstrument(TestMarket.btcUsdt().fees("0", "0.001").build());
        Command c = new Command();
        assertNull(e.execute(c.place(U2, s, Side.SELL, OrderType.LIMIT, 1_000, 100_000_000, null, null, 1)));
        assertEquals(101, c.sequence());
        assertEquals(501, c.resultOrderId());
        assertNull(e.execute(c.place(U1, s, Side.BUY, OrderType.LIMIT, 1_000, 100_000_000, null, null, 2)));
        assertEquals(102, e.lastSequence());
        assertEquals(502, e.lastOrderId());
        assertEquals(71, e.lastTradeId());
        assertEquals(77, e.feeAccount());
        // the 0.1 % taker fee (0.001 BTC) goes to the configured fee account
        assertEquals(btc("0.001"), bal.available(77, B));
        assertEquals(0, bal.available(MatchingEngine.DEFAULT_FEE_ACCOUNT, B));
        assertTrue(rec.linesStartingWith("fill").get(0).contains(" trade=71 "));
    }

    @Test
    void anEngineWithoutListenerBehavesTheSame() {
        InMemoryBalances withRec = new InMemoryBalances(3);
        InMemoryBalances without = new InMemoryBalances(3);
        for (InMemoryBalances bal : new InMemoryBalances[]{withRec, without}) {
            bal.deposit(U1, Q, usdt("1000"));
            bal.deposit(U2, B, btc("1"));
        }
        MatchingEngine a = new MatchingEngine(withRec, new EventRecorder());
        MatchingEngine b = new MatchingEngine(without, null);
        for (MatchingEngine e : new MatchingEngine[]{a, b}) {
            int s = e.addInstrument(TestMarket.btcUsdt().build());
            Command c = new Command();
            e.execute(c.place(U2, s, Side.SELL, OrderType.LIMIT, 1_000, 60_000_000, null, null, 1));
            e.execute(c.place(U1, s, Side.BUY, OrderType.LIMIT, 1_000, 100_000_000, null, null, 2));
        }
        for (long u : new long[]{U1, U2}) {
            for (int asset : new int[]{B, Q}) {
                assertEquals(withRec.available(u, asset), without.available(u, asset));
                assertEquals(withRec.held(u, asset), without.held(u, asset));
            }
        }
        assertEquals(usdt("40"), without.held(U1, Q)); // 0.4 BTC still bid at 100
    }
}
