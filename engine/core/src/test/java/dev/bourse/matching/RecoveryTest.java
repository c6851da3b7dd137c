package dev.bourse.matching;

import dev.bourse.asset.Asset;
import dev.bourse.funds.InMemoryBalances;
import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;
import dev.bourse.order.OrderType;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine rebuilt from its resting orders, counters and market state (what the server stores) must
 * behave exactly like the engine that never stopped.
 */
class RecoveryTest {
    private static final Asset USDT = new Asset(0, "USDT", 6);
    private static final Asset BTC = new Asset(1, "BTC", 8);
    private static final Asset ETH = new Asset(2, "ETH", 6);
    private static final int USERS = 8;

    private static MatchingEngine engine(InMemoryBalances balances, EngineListener listener, long seq, long ord,
                                         long trade) {
        MatchingEngine e = new MatchingEngine(balances, listener, MatchingEngine.DEFAULT_FEE_ACCOUNT, seq, ord, trade);
        e.addInstrument(Instrument.builder("BTC-USDT", BTC, USDT).tickSize("0.1").lotSize("0.001").minSize("0.001")
                .maxSize("10").bandBps(800).referencePrice("100").fees("0.0001", "0.0005").build());
        e.addInstrument(Instrument.builder("ETH-USDT", ETH, USDT).tickSize("0.01").lotSize("0.01").minSize("0.01")
                .maxSize("100").bandBps(0).referencePrice("20").fees("0", "0.001").build());
        return e;
    }

    private static InMemoryBalances funded() {
        InMemoryBalances b = new InMemoryBalances(3);
        for (long u = 1; u <= USERS; u++) {
            b.deposit(u, 0, 5_000_000_000L);
            b.deposit(u, 1, 2_000_000_000L);
            b.deposit(u, 2, 500_000_000L);
        }
        return b;
    }

    /** Seeded commands: places, cancels and amends (incl. priority-losing ones) on both symbols. */
    private static List<Command> commands(long seed, int n, long tsStart) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Command> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long user = 1 + rnd.nextInt(USERS);
            int sym = rnd.nextInt(2);
            long tick = 1; // one price unit: 0.1 for BTC-USDT, 0.01 for ETH-USDT
            long ref = sym == 0 ? 1_000 : 2_000;
            long lot = sym == 0 ? 100_000 : 10_000;
            long ts = tsStart + i;
            int roll = rnd.nextInt(10);
            Command c = new Command();
            if (roll < 6) {
                Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
                OrderType type = rnd.nextInt(5) == 0 ? OrderType.IOC : (rnd.nextInt(6) == 0 ? OrderType.POST_ONLY : OrderType.LIMIT);
                long px = ref + (rnd.nextInt(21) - 10) * tick;
                c.place(user, sym, side, type, px, lot * (1 + rnd.nextInt(20)),
                        rnd.nextInt(3) == 0 ? "r" + seed + "x" + i : null, StpMode.values()[rnd.nextInt(3)], ts);
            } else if (roll < 8) {
                if (rnd.nextInt(15) == 0) {
                    c.massCancel(user, rnd.nextBoolean() ? sym : -1, ts); // event order follows the user's list
                } else {
                    c.cancel(user, -1, 1 + rnd.nextInt(Math.max(1, i)), null, ts);
                }
            } else {
                long newPx = rnd.nextBoolean() ? ref + (rnd.nextInt(21) - 10) * tick : 0;
                long newSz = newPx == 0 || rnd.nextBoolean() ? lot * (1 + rnd.nextInt(20)) : 0;
                c.amend(user, -1, 1 + rnd.nextInt(Math.max(1, i)), null, newSz, newPx, ts);
            }
            out.add(c);
        }
        return out;
    }

    private static void run(MatchingEngine e, List<Command> commands) {
        for (Command c : commands) {
            e.execute(c);
        }
    }

    /** Restores into {@code to} every resting order of {@code from}, level by level in queue order. */
    private static int restoreBooks(MatchingEngine from, MatchingEngine to) {
        int restored = 0;
        for (int s = 0; s < from.symbolCount(); s++) {
            OrderBook book = from.book(s);
            to.restoreMarket(s, from.symbolState(s), from.lastTradePrice(s), book.seqId());
            for (Side side : Side.values()) {
                int n = book.levelCount(side);
                long[] px = new long[n];
                book.depth(side, n, px, new long[n], null);
                for (long price : px) {
                    for (long id : book.queueAt(side, price)) {
                        OrderView o = from.liveOrder(id);
                        to.restoreOrder(o.orderId(), o.userId(), o.symbolId(), o.clOrdId(), o.side(), o.type(),
                                o.stpMode(), o.price(), o.size(), o.filledSize(), o.filledQuote(), o.held(), o.fee(),
                                o.createdAt(), o.updatedAt());
                        restored++;
                    }
                }
            }
        }
        return restored;
    }

    @Test
    void aRestoredEngineContinuesExactlyLikeTheOneThatNeverStopped() {
        for (long seed = 1; seed <= 20; seed++) {
            List<Command> before = commands(seed, 1_500, 1_000);
            List<Command> after = commands(seed + 1_000, 1_500, 10_000);

            EventRecorder live = new EventRecorder();
            MatchingEngine original = engine(funded(), live, 0, 0, 0);
            run(original, before);
            if (seed == 3) {
                original.execute(new Command().setSymbolState(1, SymbolState.CANCEL_ONLY, 5_000));
            }

            // the balances as the database would hold them: the same commands on a twin engine
            InMemoryBalances stored = funded();
            MatchingEngine twin = engine(stored, EngineListener.NONE, 0, 0, 0);
            run(twin, commands(seed, 1_500, 1_000));
            if (seed == 3) {
                twin.execute(new Command().setSymbolState(1, SymbolState.CANCEL_ONLY, 5_000));
            }

            EventRecorder rebuilt = new EventRecorder();
            MatchingEngine recovered = engine(stored, rebuilt, original.lastSequence(), original.lastOrderId(),
                    original.lastTradeId());
            int restored = restoreBooks(original, recovered);
            assertEquals(original.liveOrderCount(), restored, "seed " + seed);
            assertEquals(original.liveOrderCount(), recovered.liveOrderCount(), "seed " + seed);
            assertTrue(restored > 0, "seed " + seed + " left no resting orders to restore");

            live.clear();
            run(original, after);
            run(recovered, commands(seed + 1_000, 1_500, 10_000));
            assertEquals(live.transcript(), rebuilt.transcript(), "seed " + seed + ": recovered engine diverged");
        }
    }

    private MatchingEngine withOneBid() {
        MatchingEngine e = engine(funded(), EngineListener.NONE, 0, 0, 0);
        e.execute(new Command().place(1, 0, Side.BUY, OrderType.LIMIT, 1_000, 200_000, "keep", null, 1));
        return e;
    }

    @Test
    void refusesStateThatWasNeverCommitted() {
        MatchingEngine src = withOneBid();
        OrderView bid = src.liveOrder(1);
        // a fresh engine whose counters say order 1 exists
        MatchingEngine e = engine(funded(), EngineListener.NONE, 1, 1, 0);
        long held = bid.held(); // 100.0 x 0.002 BTC = 0.2 USDT
        assertEquals(200_000, held);
        assertThrows(IllegalStateException.class, () -> e.restoreOrder(2, 1, 0, null, Side.BUY, OrderType.LIMIT,
                StpMode.CANCEL_MAKER, 1_000, 200_000, 0, 0, held, 0, 1, 1), "id beyond the last order id");
        assertThrows(IllegalStateException.class, () -> e.restoreOrder(1, 1, 0, null, Side.BUY, OrderType.LIMIT,
                StpMode.CANCEL_MAKER, 1_000, 200_000, 0, 0, held - 1, 0, 1, 1), "hold that does not match");
        assertThrows(IllegalStateException.class, () -> e.restoreOrder(1, 1, 0, null, Side.BUY, OrderType.IOC,
                StpMode.CANCEL_MAKER, 1_000, 200_000, 0, 0, held, 0, 1, 1), "an IOC never rests");
        assertThrows(IllegalStateException.class, () -> e.restoreOrder(1, 1, 0, null, Side.BUY, OrderType.LIMIT,
                StpMode.CANCEL_MAKER, 1_000, 200_000, 200_000, 0, 0, 0, 1, 1), "nothing left to rest");
        assertThrows(IllegalStateException.class, () -> e.restoreOrder(1, 1, 0, null, Side.BUY, OrderType.LIMIT,
                StpMode.CANCEL_MAKER, 1_000, 200_001, 0, 0, held, 0, 1, 1), "size off the lot grid");
        assertThrows(IllegalStateException.class, () -> e.restoreOrder(1, 1, 7, null, Side.BUY, OrderType.LIMIT,
                StpMode.CANCEL_MAKER, 1_000, 200_000, 0, 0, held, 0, 1, 1), "unknown symbol");
        assertEquals(0, e.liveOrderCount(), "a refused restore leaves nothing behind");

        e.restoreOrder(1, 1, 0, "keep", Side.BUY, OrderType.LIMIT, StpMode.CANCEL_MAKER, 1_000, 200_000, 0, 0, held, 0, 1, 1);
        assertEquals(1, e.liveOrderCount());
        assertThrows(IllegalStateException.class, () -> e.restoreOrder(1, 1, 0, null, Side.BUY, OrderType.LIMIT,
                StpMode.CANCEL_MAKER, 1_000, 200_000, 0, 0, held, 0, 1, 1), "already live");
    }

    @Test
    void refusesAnOrderThatWouldCrossTheRestoredBookOrRepeatAClOrdId() {
        MatchingEngine e = engine(funded(), EngineListener.NONE, 5, 5, 0);
        // bid 100.0 x 0.001 BTC holds 0.1 USDT = 100,000 units
        e.restoreOrder(1, 1, 0, null, Side.BUY, OrderType.LIMIT, StpMode.CANCEL_MAKER, 1_000, 100_000, 0, 0, 100_000, 0, 1, 1);
        assertThrows(IllegalStateException.class, () -> e.restoreOrder(2, 2, 0, null, Side.SELL, OrderType.LIMIT,
                StpMode.CANCEL_MAKER, 1_000, 100_000, 0, 0, 100_000, 0, 1, 1), "an ask at the bid would cross");
        e.restoreOrder(3, 2, 0, "dup", Side.SELL, OrderType.LIMIT, StpMode.CANCEL_MAKER, 1_010, 100_000, 0, 0, 100_000, 0, 1, 1);
        assertThrows(IllegalStateException.class, () -> e.restoreOrder(4, 2, 0, "dup", Side.SELL, OrderType.LIMIT,
                StpMode.CANCEL_MAKER, 1_020, 100_000, 0, 0, 100_000, 0, 1, 1), "the user already has a live 'dup'");
        assertEquals(2, e.liveOrderCount());
        assertEquals(1_000, e.book(0).bestBid());
        assertEquals(1_010, e.book(0).bestAsk());
    }
}
